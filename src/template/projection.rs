//! What part of its data a template can read.
//!
//! A host that keeps data outside Rust (the JS package) must serialize it to render. Most
//! payload templates read a handful of fields from a large payload, so sending only the part
//! the template can reach makes rendering several times faster. The projection is computed
//! once per template from the syntax tree and is conservative: anything it cannot bound
//! (`../`, whole-context reads, computed contexts) makes it [`Projection::Everything`].
//!
//! Rules for applying a projection to a value (see `js/src/template.js`, `prune`):
//! - a primitive reached by the projection is kept whole (strings keep `length` and indices);
//! - a [`Reads`] marked `full` keeps its whole subtree;
//! - an object keeps the listed own keys, or every key when `elem` is set (`#each` over it);
//! - an array keeps its length when `keep_len` or `elem` is set (truthiness, iteration,
//!   `length`), else it is cut after the highest listed index; unlisted elements become `null`.

use super::ast::{head_path, scoped_id, simple_id, KNOWN_HELPERS};
use super::ast::{Block, BlockKind, Call, Expr, PathExpr, Program, Statement};
use crate::json::{Object, RunMap, Value};

/// The data a template can read.
#[derive(Clone, Debug, PartialEq)]
pub enum Projection {
    /// The template may read anything: send the whole data.
    Everything,
    /// Only what the tree reaches.
    Some(Reads),
}

/// One level of a [`Projection`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reads {
    /// Keep the whole subtree.
    pub full: bool,
    /// For arrays: keep the length (elements not otherwise needed become `null`).
    pub keep_len: bool,
    /// What is read from every element (arrays) or every value (objects, all keys kept).
    pub elem: Option<Box<Reads>>,
    /// What is read under named keys (own properties; array indices as decimal strings).
    pub children: RunMap<String, Reads>,
}

/// How a value is used, from most to least demanding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Use {
    /// Rendered or compared: the whole value.
    Full,
    /// Only its truthiness (arrays: emptiness).
    Truthy,
    /// Iterated: its length and, per element, what the body reads.
    Iterate,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Elem,
}

type APath = Vec<Seg>;

/// Why no projection can be given: the template may read anything.
struct Unbounded;

type R<T> = Result<T, Unbounded>;

#[derive(Clone)]
struct Locations {
    /// Possible locations of the current context.
    context: Vec<APath>,
    /// Block parameters visible here, innermost first.
    params: Vec<(String, Vec<APath>)>,
}

/// Compute the projection of a parsed program.
pub(crate) fn project(program: &Program) -> Projection {
    let mut walker = Walker {
        root: Reads::default(),
    };
    let scope = Locations {
        context: vec![Vec::new()],
        params: Vec::new(),
    };
    match walker.program(program, &scope) {
        Ok(()) if !walker.root.full => Projection::Some(walker.root),
        _ => Projection::Everything,
    }
}

struct Walker {
    root: Reads,
}

/// Longest data path a projection tracks (see `Walker::need`).
const MAX_PATH_DEPTH: usize = crate::json::DEFAULT_MAX_DEPTH;

impl Walker {
    fn program(&mut self, program: &Program, scope: &Locations) -> R<()> {
        for statement in &program.body {
            match statement {
                Statement::Content(_) | Statement::Comment(_) => {}
                // A partial renders another program (an inline partial) in a context this walk
                // does not follow: send everything.
                Statement::Partial(_) => return Err(Unbounded),
                Statement::Mustache(m) => {
                    self.call(&m.call, scope, Use::Full, false, None)?;
                }
                Statement::Block(b) => self.block(b, scope)?,
            }
        }
        Ok(())
    }

    fn block(&mut self, block: &Block, scope: &Locations) -> R<()> {
        match block.kind {
            BlockKind::Block => {
                self.call(&block.call, scope, Use::Full, false, Some(block))?;
            }
            // A raw block runs helper/section logic on its name; its body is literal text.
            BlockKind::Raw => {
                self.call(&block.call, scope, Use::Full, false, None)?;
            }
            // Partial blocks and decorators (`{{#*inline}}`) define or render other programs.
            BlockKind::PartialBlock | BlockKind::Decorator => return Err(Unbounded),
        }
        Ok(())
    }

    /// Mirrors the renderer's `call`: helper or property, and what each reads.
    fn call(
        &mut self,
        call: &Call,
        scope: &Locations,
        usage: Use,
        is_sexpr: bool,
        block: Option<&Block>,
    ) -> R<Vec<APath>> {
        let Some(path) = head_path(&call.head) else {
            return Ok(Vec::new());
        };
        let is_simple = simple_id(&path);
        let name = path.parts.first().map(String::as_str).unwrap_or("");
        let is_block_param = is_simple && scope.params.iter().any(|(n, _)| n == name);
        let has_args = !call.params.is_empty() || !call.hash.is_empty();
        let is_helper = !is_block_param
            && (is_sexpr || has_args || (is_simple && KNOWN_HELPERS.contains(&name)));
        if !is_helper {
            let used = if block.is_some() { Use::Iterate } else { usage };
            let value = self.path(&path, scope, used)?;
            if let Some(b) = block {
                self.section(b, scope, &value)?;
            }
            return Ok(value);
        }
        if KNOWN_HELPERS.contains(&name) {
            return self.known_helper(name, call, scope, usage, block);
        }
        // An unknown helper throws; whether it is a TypeError depends on the data's value.
        self.path(&path, scope, Use::Full)?;
        for p in &call.params {
            self.expr(p, scope, Use::Full)?;
        }
        for pair in &call.hash {
            self.expr(&pair.value, scope, Use::Full)?;
        }
        Ok(Vec::new())
    }

    fn known_helper(
        &mut self,
        name: &str,
        call: &Call,
        scope: &Locations,
        usage: Use,
        block: Option<&Block>,
    ) -> R<Vec<APath>> {
        for pair in &call.hash {
            self.expr(&pair.value, scope, Use::Truthy)?;
        }
        let first = call.params.first();
        match name {
            "if" | "unless" => {
                for p in &call.params {
                    self.expr(p, scope, Use::Truthy)?;
                }
                self.bodies(block, scope, scope)?;
                Ok(Vec::new())
            }
            "with" => {
                let value = match first {
                    Some(p) => self.expr(p, scope, Use::Truthy)?,
                    None => Vec::new(),
                };
                let inner = scope.enter(value.clone(), block, &[value]);
                self.bodies(block, &inner, scope)?;
                Ok(Vec::new())
            }
            "each" => {
                // With a second argument, handlebars' `each` takes it for its options: its
                // truthiness picks the error ("Must pass iterator" or a TypeError).
                for p in call.params.iter().skip(1) {
                    self.expr(p, scope, Use::Truthy)?;
                }
                let value = match first {
                    Some(p) => self.expr(p, scope, Use::Iterate)?,
                    None => Vec::new(),
                };
                let elems: Vec<APath> = value.iter().map(|p| with_seg(p, Seg::Elem)).collect();
                let inner = scope.enter(elems.clone(), block, &[elems]);
                self.bodies(block, &inner, scope)?;
                Ok(Vec::new())
            }
            "lookup" => self.lookup(call, scope, usage),
            // `log` prints and renders nothing; the rest throw whatever the data holds.
            _ => Ok(Vec::new()),
        }
    }

    /// `lookup obj key`: a literal key reads one property; a computed key may read any.
    fn lookup(&mut self, call: &Call, scope: &Locations, usage: Use) -> R<Vec<APath>> {
        let (Some(obj), key) = (call.params.first(), call.params.get(1)) else {
            return Ok(Vec::new());
        };
        let literal_key = match key {
            Some(Expr::Literal(l)) => Some(l.value.to_js_string()),
            _ => None,
        };
        match literal_key {
            Some(k) => {
                let objs = self.expr(obj, scope, Use::Truthy)?;
                let found: Vec<APath> = objs
                    .iter()
                    .map(|p| with_seg(p, Seg::Key(k.clone())))
                    .collect();
                for p in &found {
                    self.need(p, usage);
                }
                Ok(found)
            }
            None => {
                if let Some(k) = key {
                    self.expr(k, scope, Use::Full)?;
                }
                // Everything under `obj` is kept, so later reads below the result are covered.
                self.expr(obj, scope, Use::Full)
            }
        }
    }

    /// A section on data (`{{#x}}` / `{{^x}}`): arrays iterate, `true` keeps the context,
    /// other values become the context.
    fn section(&mut self, block: &Block, scope: &Locations, value: &[APath]) -> R<()> {
        let mut contexts = scope.context.clone();
        contexts.extend(value.iter().cloned());
        contexts.extend(value.iter().map(|p| with_seg(p, Seg::Elem)));
        let elems: Vec<APath> = value.iter().map(|p| with_seg(p, Seg::Elem)).collect();
        let inner = scope.enter(contexts, Some(block), &[elems]);
        self.bodies(Some(block), &inner, scope)
    }

    /// The program runs in `inner`, the `{{else}}` in `outer`.
    fn bodies(&mut self, block: Option<&Block>, inner: &Locations, outer: &Locations) -> R<()> {
        let Some(b) = block else { return Ok(()) };
        if let Some(p) = &b.program {
            self.program(p, inner)?;
        }
        if let Some(p) = &b.inverse {
            self.program(p, outer)?;
        }
        Ok(())
    }

    fn expr(&mut self, e: &Expr, scope: &Locations, usage: Use) -> R<Vec<APath>> {
        match e {
            Expr::Path(p) => self.path(p, scope, usage),
            Expr::Literal(_) => Ok(Vec::new()),
            Expr::SubExpr(call) => self.call(call, scope, usage, true, None),
        }
    }

    /// Where a path can point, recording that it is used as `usage`.
    fn path(&mut self, p: &PathExpr, scope: &Locations, usage: Use) -> R<Vec<APath>> {
        if p.depth > 0 {
            // `../` walks handlebars' de-duplicated context stack; not bounded here.
            return Err(Unbounded);
        }
        let rest: Vec<Seg> = p.parts.iter().map(|s| Seg::Key(s.clone())).collect();
        let bases: Vec<APath> = if p.data {
            match p.parts.first().map(String::as_str) {
                Some("root") => vec![rest[1..].to_vec()],
                // `@index`, `@key`, `@first`, `@last`: not data.
                _ => return Ok(Vec::new()),
            }
        } else if let Some(param) = self.block_param(p, scope) {
            param
                .iter()
                .map(|base| [base.as_slice(), &rest[1..]].concat())
                .collect()
        } else if p.parts.first().map_or(true, |first| first.is_empty()) {
            // `this`, `.`, `[]`: the context itself.
            scope.context.clone()
        } else {
            scope
                .context
                .iter()
                .map(|base| [base.as_slice(), &rest].concat())
                .collect()
        };
        for b in &bases {
            if b.is_empty() && usage == Use::Full {
                return Err(Unbounded);
            }
            self.need(b, usage);
        }
        Ok(bases)
    }

    fn block_param<'s>(&self, p: &PathExpr, scope: &'s Locations) -> Option<&'s Vec<APath>> {
        if scoped_id(&p.original) {
            return None;
        }
        let first = p.parts.first()?;
        scope
            .params
            .iter()
            .find(|(n, _)| n == first)
            .map(|(_, paths)| paths)
    }

    fn need(&mut self, path: &[Seg], usage: Use) {
        // The tree is as deep as the longest path, and it is merged, converted and dropped
        // recursively: past this depth, keep everything instead (always correct, and no JSON
        // value from JS is deeper anyway).
        if path.len() > MAX_PATH_DEPTH {
            self.root.full = true;
            return;
        }
        let mut node = &mut self.root;
        for seg in path {
            if node.full {
                return;
            }
            node = match seg {
                Seg::Key(k) => node.children.entry(k.clone()).or_default(),
                Seg::Elem => node.elem.get_or_insert_with(Box::default),
            };
        }
        match usage {
            Use::Full => node.full = true,
            Use::Truthy => node.keep_len = true,
            Use::Iterate => {
                node.keep_len = true;
                node.elem.get_or_insert_with(Box::default);
            }
        }
    }
}

impl Locations {
    /// The scope of a block body: a new context and the block's parameters.
    fn enter(
        &self,
        context: Vec<APath>,
        block: Option<&Block>,
        values: &[Vec<APath>],
    ) -> Locations {
        let mut params = self.params.clone();
        if let Some(names) = block
            .and_then(|b| b.program.as_ref())
            .map(|p| &p.block_params)
        {
            for (i, name) in names.iter().enumerate() {
                params.insert(
                    0,
                    (name.clone(), values.get(i).cloned().unwrap_or_default()),
                );
            }
        }
        Locations { context, params }
    }
}

fn with_seg(path: &[Seg], seg: Seg) -> APath {
    let mut out = path.to_vec();
    out.push(seg);
    out
}

impl Reads {
    /// Merge `other` into `self`.
    fn merge(&mut self, other: &Reads) {
        self.full |= other.full;
        self.keep_len |= other.keep_len;
        if let Some(e) = &other.elem {
            self.elem.get_or_insert_with(Box::default).merge(e);
        }
        for (k, child) in &other.children {
            self.children.entry(k.clone()).or_default().merge(child);
        }
    }

    /// The JSON form the JS layer applies: `1` for a full subtree, else
    /// `{"l": 1?, "e": node?, "c": {key: node}?}`, with `e` already merged into each child.
    pub fn to_value(&self) -> Value {
        if self.full {
            return Value::Number(1.0);
        }
        let mut o = Object::new();
        if self.keep_len {
            o.insert("l", Value::Number(1.0));
        }
        if let Some(e) = &self.elem {
            o.insert("e", e.to_value());
        }
        if !self.children.is_empty() {
            let mut c = Object::new();
            for (k, child) in &self.children {
                let merged = match &self.elem {
                    Some(e) => {
                        let mut m = child.clone();
                        m.merge(e);
                        m
                    }
                    None => child.clone(),
                };
                c.insert(k.as_str(), merged.to_value());
            }
            o.insert("c", Value::object(c));
        }
        Value::object(o)
    }
}

impl Projection {
    /// JSON for the JS layer: `null` for everything, else the root node's form.
    pub fn to_value(&self) -> Value {
        match self {
            Projection::Everything => Value::Null,
            Projection::Some(node) => node.to_value(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::json::stringify;
    use crate::template::{compile, CompileOptions};

    fn projection(src: &str) -> String {
        let t = compile(src, &CompileOptions::default()).expect("compiles");
        stringify(&t.data_projection().to_value())
    }

    #[test]
    fn paths_deeper_than_json_keep_everything() {
        let long = format!("{{{{{}}}}}", vec!["a"; 600].join("."));
        assert_eq!(projection(&long), "null");
        let ok = format!("{{{{{}}}}}", vec!["a"; 500].join("."));
        assert!(projection(&ok).starts_with("{\"c\":{\"a\":"));
    }

    #[test]
    fn simple_paths() {
        assert_eq!(
            projection("{{title}} {{organizer.name}}"),
            r#"{"c":{"organizer":{"c":{"name":1}},"title":1}}"#
        );
        assert_eq!(
            projection("{{attendees.0.email}}"),
            r#"{"c":{"attendees":{"c":{"0":{"c":{"email":1}}}}}}"#
        );
    }

    #[test]
    fn each_iterates_with_element_reads() {
        assert_eq!(
            projection("{{#each attendees}}{{email}}{{@index}}{{/each}}"),
            r#"{"c":{"attendees":{"l":1,"e":{"c":{"email":1}}}}}"#
        );
        assert_eq!(
            projection("{{#each attendees as |a|}}{{a.name}}{{/each}}"),
            r#"{"c":{"attendees":{"l":1,"e":{"c":{"name":1}}}}}"#
        );
    }

    #[test]
    fn conditions_need_only_truthiness() {
        assert_eq!(
            projection("{{#if metadata}}y{{/if}}"),
            r#"{"c":{"metadata":{"l":1}}}"#
        );
        assert_eq!(
            projection("{{#with organizer}}{{name}}{{/with}}"),
            r#"{"c":{"organizer":{"l":1,"c":{"name":1}}}}"#
        );
    }

    #[test]
    fn each_with_two_arguments_reads_the_second() {
        // fuzz/corpus/template/regression-each-second-argument: without `obj` in the
        // projection, the pruned data gave "Must pass iterator to #each" where the whole data
        // gives the TypeError.
        assert_eq!(
            projection("{{#each oach obj}}{{name}}{{/each}}"),
            r#"{"c":{"oach":{"l":1,"e":{"c":{"name":1}}},"obj":{"l":1}}}"#
        );
    }

    #[test]
    fn unbounded_reads_fall_back_to_everything() {
        for src in [
            "{{this}}",
            "{{#each a}}{{../b}}{{/each}}",
            "{{.}}",
            "{{#with a}}{{@../index}}{{/with}}",
            "{{#*inline \"p\"}}{{title}}{{/inline}}{{> p}}",
            "{{#> layout}}{{title}}{{/layout}}",
        ] {
            assert_eq!(projection(src), "null", "{src}");
        }
    }

    #[test]
    fn lookup_with_a_computed_key_keeps_the_object() {
        assert_eq!(
            projection("{{lookup a 'x'}}"),
            r#"{"c":{"a":{"l":1,"c":{"x":1}}}}"#
        );
        assert_eq!(projection("{{lookup a b}}"), r#"{"c":{"a":1,"b":1}}"#);
    }
}
