//! The renderer: evaluates the tree the way handlebars 4.7.10's compiled JavaScript does.
//!
//! The pieces follow handlebars' compiler and runtime: the helper/property decision
//! (`classifySexpr`), path lookups with own-property protection (`lookupProperty`), the
//! deduplicated `depths` context stack (`wrapProgram`), data frames (`createFrame`), block
//! parameters, the built-in helpers and `blockHelperMissing`. Values are `Option<Value>` where
//! `None` is JavaScript's `undefined`.
//!
//! Recursion follows template nesting (bounded by the parser) and array nesting when values
//! are stringified (bounded by `max_data_depth`).

use std::rc::Rc;

use super::ast::*;
use super::error::{Span, TemplateError, TemplateErrorCode};
use super::escape::escape_into;
use super::Limits;
use crate::json::{format_number, is_array_index, write_number, Object, Value};

type Val = Option<Value>;
type R<T> = Result<T, TemplateError>;

/// Helpers handlebars registers by default (`knownHelpers`).
pub(crate) const KNOWN_HELPERS: &[&str] = &[
    "helperMissing",
    "blockHelperMissing",
    "each",
    "if",
    "unless",
    "with",
    "log",
    "lookup",
];

/// Upper bound on statements executed plus iterations, so that nested loops over data with
/// empty bodies cannot run for ever (output-size limits would never trigger).
const MAX_STEPS: u64 = 2_000_000;

/// The `depths` array of compiled handlebars, as a shared linked list (`depths[0]` first).
struct Depths {
    value: Val,
    next: Option<Rc<Depths>>,
}

/// Block parameters declared by one program (`as |a b|`) and the values its helper passed.
struct BlockParams<'t> {
    names: &'t [String],
    /// `None` when the helper passed no `blockParams` (e.g. `#if`): reading one throws.
    values: Option<Vec<Val>>,
    parent: Option<Rc<BlockParams<'t>>>,
}

/// What a program invocation sees.
#[derive(Clone)]
struct Scope<'t> {
    /// `depth0`, the current context.
    ctx: Val,
    depths: Rc<Depths>,
    /// The data frame (`@root`, `@index`, …).
    data: Rc<Frame<'t>>,
    block_params: Option<Rc<BlockParams<'t>>>,
    /// Inline partials registered by the programs running (`container.partials`).
    partials: Option<Rc<Partials<'t>>>,
}

/// A program with the state its wrapper closed over
/// (`container.program(i, data, 0, blockParams, depths)`).
struct Closure<'t> {
    program: Option<&'t Program>,
    depths: Rc<Depths>,
    data: Rc<Frame<'t>>,
    block_params: Option<Rc<BlockParams<'t>>>,
}

/// A [`Closure`] whose state is borrowed from the running scope.
#[derive(Clone, Copy)]
struct ClosureRef<'a, 't> {
    program: &'t Program,
    depths: &'a Rc<Depths>,
    data: &'a Rc<Frame<'t>>,
    block_params: &'a Option<Rc<BlockParams<'t>>>,
}

/// `data['partial-block']`: the fallback of a `{{#> p}}…{{/p}}` being rendered, and the one
/// that was current before it.
struct PartialBlock<'t> {
    fallback: Closure<'t>,
    outer: Option<Rc<PartialBlock<'t>>>,
}

/// Inline partials (`{{#*inline "name"}}`), innermost registration first. A `None` closure is
/// the block-less `{{*inline "name"}}`, which sets `partials[name]` to `undefined`: the name
/// is then not found, even if an outer program defined it.
struct Partials<'t> {
    name: String,
    closure: Option<Rc<Closure<'t>>>,
    parent: Option<Rc<Partials<'t>>>,
}

/// How handlebars' compiler classifies a call (`classifySexpr`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Helper,
    Simple,
    Ambiguous,
}

/// A data frame (`options.data`). Handlebars copies the parent frame into a new object and
/// adds `_parent`, `key`, `index`, `first` and `last` (`createFrame` in `#each`); this keeps
/// the same information without building an object per iteration.
struct Frame<'t> {
    root: Value,
    iteration: Option<Iteration>,
    parent: Option<Rc<Frame<'t>>>,
    partial_block: Option<Rc<PartialBlock<'t>>>,
}

#[derive(Clone)]
struct Iteration {
    key: Value,
    index: usize,
    first: bool,
    last: bool,
}

/// A value reached through `@…`: a frame or an ordinary value.
enum DataVal<'t> {
    Frame(Rc<Frame<'t>>),
    Val(Val),
}

impl<'t> Frame<'t> {
    /// `createFrame(parent)`: a copy of the parent's properties with `_parent` set.
    fn child(parent: &Rc<Frame<'t>>, partial_block: Option<Rc<PartialBlock<'t>>>) -> Rc<Frame<'t>> {
        Rc::new(Frame {
            root: parent.root.clone(),
            iteration: parent.iteration.clone(),
            parent: Some(parent.clone()),
            partial_block,
        })
    }

    fn get(self: &Rc<Frame<'t>>, name: &str) -> DataVal<'t> {
        let it = self.iteration.as_ref();
        DataVal::Val(match name {
            "root" => Some(self.root.clone()),
            "_parent" => {
                return self
                    .parent
                    .clone()
                    .map_or(DataVal::Val(None), DataVal::Frame)
            }
            "key" => it.map(|i| i.key.clone()),
            "index" => it.map(|i| Value::Number(i.index as f64)),
            "first" => it.map(|i| Value::Bool(i.first)),
            "last" => it.map(|i| Value::Bool(i.last)),
            _ => None,
        })
    }

    /// The frame as the object handlebars would have (`{root, _parent, key, index, first, last}`).
    /// Frames nest only as deep as `#each` blocks do.
    fn to_value(&self) -> Value {
        let mut o = Object::new();
        o.insert("root", self.root.clone());
        if let Some(parent) = &self.parent {
            o.insert("_parent", parent.to_value());
        }
        if let Some(i) = &self.iteration {
            o.insert("key", i.key.clone());
            o.insert("index", Value::Number(i.index as f64));
            o.insert("first", Value::Bool(i.first));
            o.insert("last", Value::Bool(i.last));
        }
        Value::object(o)
    }
}

/// Program bodies for a block helper call; `None` for mustaches and sub-expressions.
#[derive(Clone, Copy)]
struct Progs<'t> {
    program: Option<&'t Program>,
    inverse: Option<&'t Program>,
}

/// A helper result: a value (from mustaches and sub-expressions) or a block's result.
enum Out {
    Value(Val),
    Item(Item),
}

/// A non-string primitive that compiled handlebars has not converted to text yet.
#[derive(Clone, Copy, Debug)]
enum Prim {
    Num(f64),
    Bool(bool),
}

impl Prim {
    fn to_number(self) -> f64 {
        match self {
            Prim::Num(n) => n,
            Prim::Bool(b) => f64::from(u8::from(b)),
        }
    }
}

/// What a program (or helper) returned, as compiled handlebars sees it: a string, already
/// written to the output, or a number/boolean not yet converted.
#[derive(Clone, Copy, Debug)]
enum Item {
    Str,
    Prim(Prim),
}

/// One pending slot of compiled handlebars' `buffer` / expression chain.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Empty,
    Str,
    Prim(Prim),
}

/// JavaScript `+` on two results: numbers and booleans add, anything with a string concatenates.
fn plus(me: &mut Renderer<'_>, a: Slot, b: Item, span: Span) -> R<Slot> {
    Ok(match (a, b) {
        (Slot::Empty, Item::Prim(q)) => Slot::Prim(q),
        (Slot::Prim(p), Item::Prim(q)) => Slot::Prim(Prim::Num(p.to_number() + q.to_number())),
        (Slot::Str, Item::Prim(q)) => {
            me.write_prim(q, span)?;
            Slot::Str
        }
        (_, Item::Str) => {
            me.write_str("", span)?;
            Slot::Str
        }
    })
}

/// The state of one running compiled program. Handlebars compiles a program body into
/// `buffer = a + b + …; if (…) { buffer += block } return buffer + c + d`, so adjacent
/// appends are added with JavaScript `+` *before* being added to the buffer: `{{{n}}}{{{m}}}`
/// with two numbers renders their sum. This reproduces that.
#[derive(Clone, Copy, Debug)]
struct Acc {
    buf: Slot,
    run: Slot,
    source_seen: bool,
    /// Past the last separate statement: items join `return buffer + a + b` directly.
    direct: bool,
    /// A one-statement program (`isSimple`): it returns its statement's value as is.
    simple: bool,
}

pub(crate) struct Renderer<'l> {
    out: String,
    /// One entry per running program, innermost last.
    accs: Vec<Acc>,
    limits: &'l Limits,
    steps: u64,
    /// Partials being rendered inside each other (a partial may call itself).
    partial_depth: usize,
    /// `container.nullContext`: the `this` helpers receive when the context is null.
    null_ctx: Value,
    /// Some slot in `accs` may hold a number or boolean not yet written (when false,
    /// `flush_pending` has nothing to do).
    pending: bool,
}

/// Render a whole template.
pub(crate) fn render(program: &Program, data: &Value, limits: &Limits) -> R<String> {
    let mut r = Renderer {
        out: String::new(),
        accs: Vec::new(),
        limits,
        steps: 0,
        partial_depth: 0,
        null_ctx: Value::object(Object::new()),
        pending: false,
    };
    let frame = Frame {
        root: data.clone(),
        iteration: None,
        parent: None,
        partial_block: None,
    };
    let scope = Scope {
        ctx: Some(data.clone()),
        depths: Rc::new(Depths {
            value: Some(data.clone()),
            next: None,
        }),
        data: Rc::new(frame),
        block_params: None,
        partials: None,
    };
    r.check_decorators(Some(program))?;
    // The main program's decorators run with empty `depths`.
    let no_depths = Rc::new(Depths {
        value: None,
        next: None,
    });
    let partials = r.register_inline(program, &no_depths, &scope.data, &None, None)?;
    let scope = Scope { partials, ..scope };
    // `'' + templateSpec.main(…)`
    if let Item::Prim(p) = r.program(program, &scope)? {
        r.write_prim(p, program.span)?;
    }
    Ok(r.out)
}

#[cold]
#[inline(never)]
fn render_error(message: impl Into<String>, span: Span) -> TemplateError {
    TemplateError::new(TemplateErrorCode::Render, message, Some(span))
}

#[cold]
#[inline(never)]
fn type_error(message: impl Into<String>, span: Span) -> TemplateError {
    TemplateError::new(
        TemplateErrorCode::Render,
        format!("TypeError: {}", message.into()),
        Some(span),
    )
}

fn is_truthy(v: &Val) -> bool {
    v.as_ref().is_some_and(Value::is_truthy)
}

#[cold]
#[inline(never)]
fn data_call_error(original: &str, span: Span) -> TemplateError {
    type_error(
        format!(
            "\"{original}\" is data, not a helper, so it cannot be called with arguments; write {{{{{original}}}}} without arguments, or use a built-in helper (if, unless, each, with, lookup)."
        ),
        span,
    )
}

#[cold]
#[inline(never)]
fn missing_helper_error(original: &str, span: Span) -> TemplateError {
    render_error(
        format!(
            "Missing helper: \"{original}\" (Cal.com has only the built-in helpers if, unless, each, with, lookup and log)"
        ),
        span,
    )
}

#[cold]
#[inline(never)]
fn arity_error(name: &str, span: Span) -> TemplateError {
    render_error(format!("#{name} requires exactly one argument"), span)
}

#[cold]
#[inline(never)]
fn not_block_error(name: &str, span: Span) -> TemplateError {
    type_error(
        format!("\"{name}\" is a block helper: write {{{{#{name} …}}}}…{{{{/{name}}}}} (handlebars throws a TypeError here)."),
        span,
    )
}

#[cold]
#[inline(never)]
fn hook_error(name: &str, span: Span) -> TemplateError {
    type_error(
        format!("\"{name}\" is not callable in templates (handlebars: Cannot read properties of undefined (reading 'call'))."),
        span,
    )
}

/// Handlebars' `isEmpty`: falsy except 0, or an empty array.
fn is_empty(v: &Val) -> bool {
    match v {
        None => true,
        Some(Value::Number(n)) => n.is_nan(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(x) => !x.is_truthy(),
    }
}

/// JS `==` between two possibly-undefined values.
fn loose_eq(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (None, None) | (None, Some(Value::Null)) | (Some(Value::Null), None) => true,
        (None, _) | (_, None) => false,
        (Some(Value::Array(items)), Some(prim)) | (Some(prim), Some(Value::Array(items)))
            if matches!(prim, Value::String(_) | Value::Number(_) | Value::Bool(_)) =>
        {
            array_loose_eq(items, prim)
        }
        (Some(x), Some(y)) => x.loose_eq(y),
    }
}

/// `array == primitive` compares the array's `join(",")` text with the primitive. The text is
/// built only as far as it can matter (a string can only equal text of its own length), so
/// each iteration over big arrays does not re-join them.
fn array_loose_eq(items: &[Value], prim: &Value) -> bool {
    /// Longer text is never compared with a number (a number's text is at most a few dozen
    /// characters; only absurd padding like 5,000 leading zeros would be lost).
    const NUMBER_TEXT_CAP: usize = 4096;
    let cap = match prim {
        Value::String(s) => s.len(),
        _ => NUMBER_TEXT_CAP,
    };
    let mut text = String::new();
    if !join_bounded(items, &mut text, cap, 0) {
        return false;
    }
    Value::string(text).loose_eq(prim)
}

/// `Array#join` into `out`; false once `out` exceeds `cap` bytes or nesting gets absurd.
fn join_bounded(items: &[Value], out: &mut String, cap: usize, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            Value::Null => {}
            Value::Array(inner) => {
                if !join_bounded(inner, out, cap, depth + 1) {
                    return false;
                }
            }
            other => out.push_str(&other.to_js_string()),
        }
        if out.len() > cap {
            return false;
        }
    }
    true
}

/// `AST.helpers.scopedId`: `/^\.|this\b/` on the original path text.
pub(crate) fn scoped_id(original: &str) -> bool {
    let b = original.as_bytes();
    if b.first() == Some(&b'.') {
        return true;
    }
    // `this` followed by a non-word character or the end (`\b`); a non-ASCII byte is no word
    // character, as in a JS regex without the `u` flag.
    b.windows(4).enumerate().any(|(i, w)| {
        w == b"this"
            && !b
                .get(i + 4)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    })
}

/// `name` is one of [`KNOWN_HELPERS`].
pub(crate) fn is_known_helper(name: &str) -> bool {
    matches!(
        name,
        "helperMissing"
            | "blockHelperMissing"
            | "each"
            | "if"
            | "unless"
            | "with"
            | "log"
            | "lookup"
    )
}

/// Whether [`Renderer::is_ambiguous`] can be true for `b` in some scope (only block parameters
/// depend on the scope, and a block parameter makes a call `Simple`).
pub(crate) fn may_be_ambiguous(b: &Block) -> bool {
    matches!(b.kind, BlockKind::Block | BlockKind::Raw)
        && b.call.params.is_empty()
        && b.call.hash.is_empty()
        && head_path(&b.call.head).is_some_and(|p| {
            simple_id(&p) && !is_known_helper(p.parts.first().map(String::as_str).unwrap_or(""))
        })
}

/// `AST.helpers.simpleId`.
pub(crate) fn simple_id(p: &PathExpr) -> bool {
    p.parts.len() == 1 && !p.scoped && p.depth == 0
}

/// `transformLiteralToPath`: a literal used as a helper name reads the property of that name.
pub(crate) fn head_path(head: &Expr) -> Option<std::borrow::Cow<'_, PathExpr>> {
    use std::borrow::Cow;
    match head {
        Expr::Path(p) => Some(Cow::Borrowed(p)),
        Expr::Literal(l) => {
            let text = match &l.value {
                LiteralValue::String(s) => s.clone(),
                LiteralValue::Number(n) => format_number(*n),
                LiteralValue::Boolean(b) => b.to_string(),
                LiteralValue::Undefined => "undefined".to_string(),
                LiteralValue::Null => "null".to_string(),
            };
            Some(Cow::Owned(PathExpr {
                data: false,
                depth: 0,
                parts: vec![text.clone()],
                scoped: scoped_id(&text),
                original: text,
                span: l.span,
            }))
        }
        Expr::SubExpr(_) => None,
    }
}

/// UTF-16 length of a string.
fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// `lookupProperty(parent, name)` for JSON values: own properties only.
fn lookup_property(parent: &Value, name: &str) -> Val {
    match parent {
        Value::Object(o) => o.get(name).cloned(),
        Value::Array(a) => {
            if name == "length" {
                return Some(Value::Number(a.len() as f64));
            }
            if !is_array_index(name) {
                return None;
            }
            name.parse::<usize>().ok().and_then(|i| a.get(i)).cloned()
        }
        Value::String(s) => {
            if name == "length" {
                return Some(Value::Number(utf16_len(s) as f64));
            }
            if !is_array_index(name) {
                return None;
            }
            let i = name.parse::<usize>().ok()?;
            let unit = s.encode_utf16().nth(i)?;
            // A lone surrogate half cannot be a Rust string: it becomes U+FFFD.
            let text = char::decode_utf16([unit]).next()?.unwrap_or('\u{fffd}');
            Some(Value::string(text.to_string()))
        }
        _ => None,
    }
}

/// Decorators (`{{* d}}`, `{{#*inline}}`) directly in a program body.
fn find_decorator(program: &Program) -> Option<(Span, String)> {
    program.body.iter().find_map(|s| match s {
        Statement::Mustache(m) if m.decorator => {
            let name = head_name(&m.call.head);
            (name != "inline").then_some((m.span, name))
        }
        Statement::Block(b) if b.kind == BlockKind::Decorator => {
            let name = head_name(&b.call.head);
            // `inline` is the one decorator handlebars registers.
            (name != "inline").then_some((b.span, name))
        }
        _ => None,
    })
}

pub(crate) fn head_name(head: &Expr) -> String {
    head_path(head)
        .map(|p| p.original.clone())
        .unwrap_or_default()
}

impl<'l> Renderer<'l> {
    fn step(&mut self, span: Span) -> R<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(TemplateError::new(
                TemplateErrorCode::Limit,
                format!(
                    "Rendering took more than {MAX_STEPS} steps (nested loops over large data?)."
                ),
                Some(span),
            ));
        }
        Ok(())
    }

    /// Write text. Pending numbers/booleans of enclosing expressions become text first: once a
    /// string is involved, JavaScript `+` concatenates.
    #[inline]
    fn write_str(&mut self, s: &str, span: Span) -> R<()> {
        self.flush_pending(span)?;
        self.push_raw(s, span)
    }

    /// A number or boolean as text (`write_str(&p.text())` without the allocation).
    fn write_prim(&mut self, p: Prim, span: Span) -> R<()> {
        self.flush_pending(span)?;
        self.push_prim(p, span)
    }

    fn push_prim(&mut self, p: Prim, span: Span) -> R<()> {
        match p {
            Prim::Num(n) => {
                write_number(&mut self.out, n);
                if self.out.len() > self.limits.max_output_bytes {
                    return Err(self.output_limit(span));
                }
                Ok(())
            }
            Prim::Bool(b) => self.push_raw(if b { "true" } else { "false" }, span),
        }
    }

    /// Remember that a slot may now hold a number or boolean not yet written.
    #[inline]
    fn note(&mut self, slot: Slot) {
        if let Slot::Prim(_) = slot {
            self.pending = true;
        }
    }

    #[inline]
    fn flush_pending(&mut self, span: Span) -> R<()> {
        if self.pending {
            self.flush_pending_slow(span)?;
        }
        Ok(())
    }

    #[inline(never)]
    fn flush_pending_slow(&mut self, span: Span) -> R<()> {
        for i in 0..self.accs.len() {
            for which in 0..2 {
                let slot = if which == 0 {
                    self.accs[i].buf
                } else {
                    self.accs[i].run
                };
                if let Slot::Prim(p) = slot {
                    self.push_prim(p, span)?;
                    if which == 0 {
                        self.accs[i].buf = Slot::Str;
                    } else {
                        self.accs[i].run = Slot::Str;
                    }
                }
            }
        }
        self.pending = false;
        Ok(())
    }

    #[inline]
    fn push_raw(&mut self, s: &str, span: Span) -> R<()> {
        if self.out.len() + s.len() > self.limits.max_output_bytes {
            return Err(self.output_limit(span));
        }
        self.out.push_str(s);
        Ok(())
    }

    #[inline(never)]
    fn write_escaped(&mut self, s: &str, span: Span) -> R<()> {
        self.flush_pending(span)?;
        // Escaping at most sextuples the length; check the exact size only when close.
        if self.out.len() + s.len() * 6 > self.limits.max_output_bytes {
            let escaped = super::escape::escape_html(s);
            return self.push_raw(&escaped, span);
        }
        escape_into(&mut self.out, s);
        Ok(())
    }

    /// Append an item to the current program's expression chain (`… + item`).
    #[inline(never)]
    fn append_item(&mut self, item: Item, span: Span) -> R<()> {
        // Text joining text (nothing pending to convert) is text: what `plus` would compute.
        if let (Item::Str, false) = (item, self.pending) {
            if let Some(acc) = self.accs.last_mut() {
                if acc.direct {
                    acc.buf = Slot::Str;
                } else {
                    acc.run = Slot::Str;
                }
            }
            return Ok(());
        }
        let Some(acc) = self.accs.last().copied() else {
            return Ok(());
        };
        if acc.direct {
            return self.add_to_buffer(item, span);
        }
        let run = plus(self, acc.run, item, span)?;
        self.note(run);
        if let Some(acc) = self.accs.last_mut() {
            acc.run = run;
        }
        Ok(())
    }

    /// A value turned into an item the way `(v != null ? v : "")` leaves it.
    #[inline(never)]
    fn value_item(&mut self, v: &Val, span: Span) -> R<Item> {
        match v {
            Some(Value::Number(n)) => Ok(Item::Prim(Prim::Num(*n))),
            Some(Value::Bool(b)) => Ok(Item::Prim(Prim::Bool(*b))),
            Some(Value::String(s)) => {
                self.write_str(s, span)?;
                Ok(Item::Str)
            }
            other => {
                let text = self.stringify(other, span)?;
                self.write_str(&text, span)?;
                Ok(Item::Str)
            }
        }
    }

    /// End the current expression chain before a statement compiled as a separate line
    /// (`buffer = chain;` the first time, `buffer += chain;` later).
    #[inline(never)]
    fn end_run(&mut self, span: Span) -> R<()> {
        let Some(acc) = self.accs.last().copied() else {
            return Ok(());
        };
        // Take the chain out first, so that flushing pending values does not write it twice.
        if let Some(last) = self.accs.last_mut() {
            last.run = Slot::Empty;
        }
        let buf = if !acc.source_seen {
            match acc.run {
                Slot::Empty => Slot::Str,
                run => run,
            }
        } else {
            match acc.run {
                Slot::Empty => acc.buf,
                Slot::Str => plus(self, acc.buf, Item::Str, span)?,
                Slot::Prim(p) => plus(self, acc.buf, Item::Prim(p), span)?,
            }
        };
        self.note(buf);
        if let Some(last) = self.accs.last_mut() {
            *last = Acc {
                buf,
                run: Slot::Empty,
                source_seen: true,
                direct: false,
                simple: acc.simple,
            };
        }
        Ok(())
    }

    /// `if (result != null) { buffer += result; }`
    #[inline(never)]
    fn add_to_buffer(&mut self, item: Item, span: Span) -> R<()> {
        let buf = self.accs.last().map_or(Slot::Str, |a| a.buf);
        let buf = plus(self, buf, item, span)?;
        self.note(buf);
        if let Some(acc) = self.accs.last_mut() {
            acc.buf = buf;
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn output_limit(&self, span: Span) -> TemplateError {
        TemplateError::new(
            TemplateErrorCode::Limit,
            format!(
                "The rendered output exceeds {} bytes.",
                self.limits.max_output_bytes
            ),
            Some(span),
        )
    }

    /// Decorators run when their program is set up, even if it never renders; Cal.com
    /// registers none, so `{{* d}}` throws `Missing decorator` and inline partials are
    /// not supported here.
    #[inline(never)]
    fn check_decorators(&self, program: Option<&Program>) -> R<()> {
        if !program.is_some_and(|p| p.has_decorators) {
            return Ok(());
        }
        let Some((span, name)) = program.and_then(find_decorator) else {
            return Ok(());
        };
        let message = format!("Missing decorator: \"{name}\" (Cal.com registers no decorators).");
        Err(TemplateError::new(
            TemplateErrorCode::Unsupported,
            message,
            Some(span),
        ))
    }

    fn body<'t>(
        &mut self,
        body: &'t [Statement],
        last_explicit: Option<usize>,
        scope: &Scope<'t>,
    ) -> R<()> {
        for (i, stmt) in body.iter().enumerate() {
            if last_explicit.is_some_and(|l| i > l) {
                if let Some(acc) = self.accs.last_mut() {
                    acc.direct = true;
                }
            }
            match stmt {
                Statement::Content(c) => {
                    self.step(c.span)?;
                    // Empty text compiles to nothing, so it does not break up `a + b`.
                    if !c.value.is_empty() {
                        self.write_str(&c.value, c.span)?;
                        self.append_item(Item::Str, c.span)?;
                    }
                }
                Statement::Comment(_) => {}
                // A decorator ran when its program was set up (`register_inline`); it
                // compiles to nothing in the body.
                Statement::Mustache(m) if m.decorator => self.step(m.span)?,
                Statement::Mustache(m) => {
                    self.step(m.span)?;
                    self.mustache(m, scope)?;
                }
                Statement::Block(b) => {
                    self.step(b.span)?;
                    self.block(b, scope)?;
                }
                Statement::Partial(p) => {
                    self.step(p.span)?;
                    self.partial(p, scope)?;
                }
            }
        }
        Ok(())
    }

    /// A compiled program invoked as `fn(context, {data, blockParams})` (`wrapProgram`).
    fn run<'t>(
        &mut self,
        program: Option<&'t Program>,
        ctx: Val,
        outer: &Scope<'t>,
        data: Option<Rc<Frame<'t>>>,
        block_params: Option<Vec<Val>>,
    ) -> R<Item> {
        let Some(program) = program else {
            // `container.noop` returns "".
            return Ok(Item::Str);
        };
        // The wrapper closes over the caller's state: borrowed, not copied.
        let wrapper = ClosureRef {
            program,
            depths: &outer.depths,
            data: &outer.data,
            block_params: &outer.block_params,
        };
        self.invoke_ref(wrapper, ctx, data, block_params, outer.partials.clone())
    }

    /// Call a program wrapper (`prog(context, options)` in `wrapProgram`).
    fn invoke<'t>(
        &mut self,
        wrapper: &Closure<'t>,
        ctx: Val,
        data: Option<Rc<Frame<'t>>>,
        block_params: Option<Vec<Val>>,
        partials: Option<Rc<Partials<'t>>>,
    ) -> R<Item> {
        let Some(program) = wrapper.program else {
            return Ok(Item::Str);
        };
        let wrapper = ClosureRef {
            program,
            depths: &wrapper.depths,
            data: &wrapper.data,
            block_params: &wrapper.block_params,
        };
        self.invoke_ref(wrapper, ctx, data, block_params, partials)
    }

    #[inline(never)]
    fn invoke_ref<'t>(
        &mut self,
        wrapper: ClosureRef<'_, 't>,
        ctx: Val,
        data: Option<Rc<Frame<'t>>>,
        block_params: Option<Vec<Val>>,
        partials: Option<Rc<Partials<'t>>>,
    ) -> R<Item> {
        let program = wrapper.program;
        // The parser bounds block nesting within the template text, but partials nest blocks
        // inside blocks at run time: bound the recursion itself the same way.
        if self.accs.len() > self.limits.max_nesting {
            return Err(TemplateError::new(
                TemplateErrorCode::Limit,
                format!(
                    "Blocks and partials nest more than {} levels deep while rendering.",
                    self.limits.max_nesting
                ),
                Some(program.span),
            ));
        }
        let head = &wrapper.depths.value;
        let is_null_ctx = matches!((&ctx, &self.null_ctx), (Some(Value::Object(a)), Value::Object(b)) if Rc::ptr_eq(a, b));
        // `context != depths[0]` (loose), except that `nullContext` never replaces `null`.
        let same = loose_eq(&ctx, head) || (is_null_ctx && matches!(head, Some(Value::Null)));
        let depths = if same {
            wrapper.depths.clone()
        } else {
            Rc::new(Depths {
                value: ctx.clone(),
                next: Some(wrapper.depths.clone()),
            })
        };
        let block_params = if program.block_params.is_empty() {
            wrapper.block_params.clone()
        } else {
            Some(Rc::new(BlockParams {
                names: &program.block_params,
                values: block_params,
                parent: wrapper.block_params.clone(),
            }))
        };
        // Decorators run when the wrapper is made, with the wrapper's own state.
        let partials = self.register_inline(
            program,
            wrapper.depths,
            wrapper.data,
            wrapper.block_params,
            partials,
        )?;
        let scope = Scope {
            ctx,
            depths,
            data: data.unwrap_or_else(|| wrapper.data.clone()),
            block_params,
            partials,
        };
        self.program(program, &scope)
    }

    /// The `inline` decorator: `{{#*inline "name"}}…{{/inline}}` in `program` makes a partial
    /// visible while `program` runs. The partial's wrapper keeps the defining state.
    #[inline(never)]
    fn register_inline<'t>(
        &mut self,
        program: &'t Program,
        depths: &Rc<Depths>,
        data: &Rc<Frame<'t>>,
        block_params: &Option<Rc<BlockParams<'t>>>,
        mut partials: Option<Rc<Partials<'t>>>,
    ) -> R<Option<Rc<Partials<'t>>>> {
        if !program.has_decorators {
            return Ok(partials);
        }
        for stmt in &program.body {
            // `{{#*inline "p"}}…{{/inline}}` defines `p`; a block-less `{{*inline "p"}}` runs
            // the same decorator without a program: handlebars' `Decorator` compiles as a
            // `DecoratorBlock` with no program, so `options.fn` is undefined and
            // `props.partials[options.args[0]] = options.fn` (decorators/inline.js) leaves
            // the name undefined for the rest of this program.
            let (call, inner) = match stmt {
                Statement::Block(b) if b.kind == BlockKind::Decorator => (&b.call, Some(b)),
                Statement::Mustache(m) if m.decorator => (&m.call, None),
                _ => continue,
            };
            if head_name(&call.head) != "inline" {
                continue;
            }
            let name = match call.params.first() {
                Some(Expr::Path(p)) => {
                    let v = resolve_not_null(depths.value.clone(), &p.parts);
                    self.stringify(&v, p.span)?
                }
                // handlebars 4.7.10 compiles a decorator's sub-expression argument to code
                // that reads an undeclared `helpers`.
                Some(Expr::SubExpr(sub)) => {
                    return Err(TemplateError::new(
                        TemplateErrorCode::Render,
                        "ReferenceError: helpers is not defined (handlebars 4.7.10 cannot run a sub-expression argument of a decorator).",
                        Some(sub.span),
                    ))
                }
                Some(other) => head_name(other),
                None => "undefined".to_string(),
            };
            let closure = match inner {
                Some(b) => {
                    // Decorators inside the partial's body run when its wrapper is made: now.
                    self.check_decorators(b.program.as_ref())?;
                    Some(Rc::new(Closure {
                        program: b.program.as_ref(),
                        depths: depths.clone(),
                        data: data.clone(),
                        block_params: block_params.clone(),
                    }))
                }
                None => None,
            };
            partials = Some(Rc::new(Partials {
                name,
                closure,
                parent: partials,
            }));
        }
        Ok(partials)
    }

    /// Run a program body with its own expression chain and return what it returns.
    fn program<'t>(&mut self, program: &'t Program, scope: &Scope<'t>) -> R<Item> {
        // `isSimple`: a single statement is returned as is, even a `{{#x}}` section.
        let simple = program.body.len() == 1;
        let last_explicit = if simple || !program.maybe_explicit {
            None
        } else {
            program
                .body
                .iter()
                .rposition(|s| self.is_ambiguous_block(s, scope))
        };
        let append_only = last_explicit.is_none();
        self.accs.push(Acc {
            buf: Slot::Empty,
            run: Slot::Empty,
            source_seen: false,
            direct: false,
            simple,
        });
        let result = self.body(&program.body, last_explicit, scope);
        let acc = self.accs.pop().unwrap_or(Acc {
            buf: Slot::Str,
            run: Slot::Str,
            source_seen: true,
            direct: true,
            simple,
        });
        result?;
        if append_only {
            // `return a + b + …;` (or `return "";`)
            return Ok(match acc.run {
                Slot::Prim(p) => Item::Prim(p),
                _ => Item::Str,
            });
        }
        // `return buffer + a + b;`
        Ok(match (acc.buf, acc.run) {
            (Slot::Prim(p), Slot::Prim(q)) => Item::Prim(Prim::Num(p.to_number() + q.to_number())),
            (Slot::Prim(p), Slot::Empty) => Item::Prim(p),
            (Slot::Str | Slot::Empty, Slot::Prim(q)) => {
                self.write_prim(q, program.span)?;
                Item::Str
            }
            _ => Item::Str,
        })
    }

    /// A block compiled as a separate statement: a section on a plain name (`{{#x}}`), whose
    /// result is added to the buffer with `buffer += …` instead of joining the `+` chain.
    fn is_ambiguous_block(&self, stmt: &Statement, scope: &Scope<'_>) -> bool {
        match stmt {
            Statement::Block(b) => self.is_ambiguous(b, scope),
            _ => false,
        }
    }

    #[inline(never)]
    fn is_ambiguous(&self, b: &Block, scope: &Scope<'_>) -> bool {
        // Arguments make it a helper call, whatever the scope.
        if !b.call.params.is_empty() || !b.call.hash.is_empty() {
            return false;
        }
        matches!(b.kind, BlockKind::Block | BlockKind::Raw)
            && head_path(&b.call.head)
                .is_some_and(|p| self.classify(&p, &b.call, false, scope) == Class::Ambiguous)
    }

    /// `this` inside a helper: the context, or `nullContext` when it is null/undefined.
    fn helper_this(&self, scope: &Scope<'_>) -> Val {
        match &scope.ctx {
            None | Some(Value::Null) => Some(self.null_ctx.clone()),
            v => v.clone(),
        }
    }

    /// `depth0` or `depths[n]`, borrowed.
    fn context_ref<'s>(scope: &'s Scope<'_>, depth: usize) -> Option<&'s Value> {
        if depth == 0 {
            return scope.ctx.as_ref();
        }
        let mut node = Some(&scope.depths);
        for _ in 0..depth {
            node = node.and_then(|n| n.next.as_ref());
        }
        node.and_then(|n| n.value.as_ref())
    }

    /// `depth0` or `depths[n]`.
    fn context_at(scope: &Scope<'_>, depth: usize) -> Val {
        if depth == 0 {
            return scope.ctx.clone();
        }
        let mut node = Some(&scope.depths);
        for _ in 0..depth {
            node = node.and_then(|n| n.next.as_ref());
        }
        node.and_then(|n| n.value.clone())
    }

    /// A block parameter by name: `Ok(None)` when no enclosing program declares it.
    #[inline(never)]
    fn block_param(scope: &Scope<'_>, name: &str, span: Span) -> R<Option<Val>> {
        let mut frame = scope.block_params.as_ref();
        while let Some(f) = frame {
            if let Some(idx) = f.names.iter().position(|n| n == name) {
                return match &f.values {
                    Some(values) => Ok(Some(values.get(idx).cloned().flatten())),
                    None => Err(type_error(
                        format!(
                            "Block parameter \"{name}\" has no value: only #each, #with and sections over arrays provide block parameters (handlebars: Cannot read properties of undefined)."
                        ),
                        span,
                    )),
                };
            }
            frame = f.parent.as_ref();
        }
        Ok(None)
    }

    fn is_block_param(scope: &Scope<'_>, name: &str) -> bool {
        let mut frame = scope.block_params.as_ref();
        while let Some(f) = frame {
            if f.names.iter().any(|n| n == name) {
                return true;
            }
            frame = f.parent.as_ref();
        }
        false
    }

    /// Evaluate a path (`PathExpression` in handlebars' compiler).
    #[inline(never)]
    fn path(&self, p: &PathExpr, scope: &Scope<'_>) -> R<Val> {
        let first = p.parts.first();
        if p.depth == 0 && !p.scoped && scope.block_params.is_some() {
            if let Some(name) = first {
                if let Some(v) = Self::block_param(scope, name, p.span)? {
                    return Ok(resolve_not_null(v, &p.parts[1..]));
                }
            }
        }
        if !first.is_some_and(|n| !n.is_empty()) {
            // `{{this}}`, `{{.}}`, `{{..}}`, `{{[]}}`, `{{@..}}`: the context itself (handlebars'
            // `!name` case ignores any further segments).
            return Ok(Self::context_at(scope, p.depth));
        }
        if p.data {
            // `@index`, `@first`, `@key`, …: one lookup on the current frame.
            if let ([name], 0) = (p.parts.as_slice(), p.depth) {
                if name != "_parent" {
                    if let DataVal::Val(v) = scope.data.get(name) {
                        return Ok(v);
                    }
                }
            }
            // `container.data(data, depth)`, then `&&`-chained lookups.
            let mut cur = DataVal::Frame(scope.data.clone());
            for _ in 0..p.depth {
                cur = match cur {
                    DataVal::Frame(f) => f.get("_parent"),
                    other => other,
                };
            }
            for part in &p.parts {
                cur = match cur {
                    DataVal::Frame(f) => f.get(part),
                    DataVal::Val(Some(v)) if v.is_truthy() => {
                        DataVal::Val(lookup_property(&v, part))
                    }
                    falsy => falsy,
                };
            }
            return Ok(match cur {
                DataVal::Frame(f) => Some(f.to_value()),
                DataVal::Val(v) => v,
            });
        }
        Ok(resolve_ref(Self::context_ref(scope, p.depth), &p.parts))
    }

    #[inline(never)]
    fn expr(&mut self, e: &Expr, scope: &Scope<'_>) -> R<Val> {
        match e {
            Expr::Path(p) => self.path(p, scope),
            Expr::Literal(l) => Ok(match &l.value {
                LiteralValue::String(s) => Some(Value::string(s.as_str())),
                LiteralValue::Number(n) => Some(Value::Number(*n)),
                LiteralValue::Boolean(b) => Some(Value::Bool(*b)),
                LiteralValue::Undefined => None,
                LiteralValue::Null => Some(Value::Null),
            }),
            Expr::SubExpr(call) => match self.call(call, scope, None, true)? {
                Out::Value(v) => Ok(v),
                Out::Item(_) => Ok(None),
            },
        }
    }

    #[inline(never)]
    fn mustache(&mut self, m: &Mustache, scope: &Scope<'_>) -> R<()> {
        let value = match &m.call.head {
            // `{{a.b}}`, `{{@index}}`, `{{name}}`: no arguments, so `classify` can only make it
            // a helper call when it is a simple id naming a known helper.
            Expr::Path(p)
                if m.call.params.is_empty()
                    && m.call.hash.is_empty()
                    && !(simple_id(p)
                        && is_known_helper(p.parts.first().map_or("", String::as_str))) =>
            {
                self.path(p, scope)?
            }
            _ => match self.call(&m.call, scope, None, false)? {
                Out::Value(v) => v,
                Out::Item(_) => return Ok(()),
            },
        };
        let item = if m.escaped {
            // `escapeExpression` always returns a string. Numbers, booleans and
            // `[object Object]` contain nothing to escape.
            match &value {
                None | Some(Value::Null) => self.write_str("", m.span)?,
                Some(Value::String(s)) => self.write_escaped(s, m.span)?,
                Some(Value::Number(n)) => self.write_prim(Prim::Num(*n), m.span)?,
                Some(Value::Bool(b)) => self.write_prim(Prim::Bool(*b), m.span)?,
                Some(Value::Object(_)) => self.write_str("[object Object]", m.span)?,
                Some(Value::Array(_)) => {
                    let text = self.stringify(&value, m.span)?;
                    self.write_escaped(&text, m.span)?;
                }
            }
            Item::Str
        } else {
            self.value_item(&value, m.span)?
        };
        self.append_item(item, m.span)
    }

    /// `classifySexpr`.
    #[inline(never)]
    fn classify(&self, path: &PathExpr, call: &Call, is_sexpr: bool, scope: &Scope<'_>) -> Class {
        let is_simple = simple_id(path);
        let is_block_param = is_simple
            && scope.block_params.is_some()
            && path
                .parts
                .first()
                .is_some_and(|n| Self::is_block_param(scope, n));
        let has_args = !call.params.is_empty() || !call.hash.is_empty();
        let is_helper = !is_block_param && (is_sexpr || has_args);
        let is_eligible = !is_block_param && (is_helper || is_simple);
        let name = path.parts.first().map(String::as_str).unwrap_or("");
        if is_helper || (is_eligible && is_known_helper(name)) {
            Class::Helper
        } else if is_eligible {
            Class::Ambiguous
        } else {
            Class::Simple
        }
    }

    /// `classifySexpr` + `helperSexpr` / `simpleSexpr` / `ambiguousSexpr`. `progs` is `Some`
    /// for block statements; for those, non-helper values go through `blockHelperMissing`.
    fn call<'t>(
        &mut self,
        call: &'t Call,
        scope: &Scope<'t>,
        progs: Option<Progs<'t>>,
        is_sexpr: bool,
    ) -> R<Out> {
        let Some(path) = head_path(&call.head) else {
            return Err(render_error(
                "A sub-expression cannot be a helper name.",
                call.span,
            ));
        };
        if self.classify(&path, call, is_sexpr, scope) == Class::Helper {
            return self.helper(call, &path, scope, progs);
        }
        // `simpleSexpr` / `ambiguousSexpr`: the value at the path (a block param ignores any
        // arguments, as handlebars does).
        let value = self.path(&path, scope)?;
        match progs {
            None => Ok(Out::Value(value)),
            Some(progs) => Ok(Out::Item(self.block_helper_missing(value, progs, scope)?)),
        }
    }

    #[inline(never)]
    fn helper<'t>(
        &mut self,
        call: &'t Call,
        path: &PathExpr,
        scope: &Scope<'t>,
        progs: Option<Progs<'t>>,
    ) -> R<Out> {
        // One argument (`#if x`, `#each xs`) is the common case: no allocation for it.
        let mut one: [Val; 1] = [None];
        let mut many = Vec::new();
        let params: &[Val] = if let [p] = call.params.as_slice() {
            one[0] = self.expr(p, scope)?;
            &one
        } else {
            many.reserve(call.params.len());
            for p in &call.params {
                many.push(self.expr(p, scope)?);
            }
            &many
        };
        let mut hash = Vec::with_capacity(call.hash.len());
        for pair in &call.hash {
            hash.push((pair.key.as_str(), self.expr(&pair.value, scope)?));
        }
        let name = path.parts.first().map(String::as_str).unwrap_or("");
        let span = call.span;
        // Each helper has its own function: they recurse into programs, and one big `match`
        // would give every nesting level the stack frame of all of them.
        match name {
            "if" | "unless" => self.helper_if(name == "unless", params, &hash, progs, scope, span),
            "with" => self.helper_with(params, progs, scope, span),
            "each" => self.helper_each(params, progs, scope, span),
            "lookup" => self.helper_lookup(params, progs, span),
            "log" => Ok(Out::Value(None)),
            "helperMissing" | "blockHelperMissing" => Err(hook_error(name, span)),
            _ => self.unknown_helper(path, params.is_empty(), scope, span),
        }
    }

    /// `(helpers.name || nonHelper || helperMissing).call(…)` for a name that is no helper.
    #[inline(never)]
    fn unknown_helper(
        &mut self,
        path: &PathExpr,
        no_params: bool,
        scope: &Scope<'_>,
        span: Span,
    ) -> R<Out> {
        let non_helper = self.path(path, scope)?;
        if is_truthy(&non_helper) {
            return Err(data_call_error(&path.original, span));
        }
        if !no_params {
            return Err(missing_helper_error(&path.original, span));
        }
        Ok(Out::Value(None))
    }

    #[inline(never)]
    fn helper_if<'t>(
        &mut self,
        unless: bool,
        params: &[Val],
        hash: &[(&str, Val)],
        progs: Option<Progs<'t>>,
        scope: &Scope<'t>,
        span: Span,
    ) -> R<Out> {
        let name = if unless { "unless" } else { "if" };
        if params.len() != 1 {
            return Err(arity_error(name, span));
        }
        let progs = progs.ok_or_else(|| not_block_error(name, span))?;
        let include_zero = hash
            .iter()
            .rev()
            .find(|(k, _)| *k == "includeZero")
            .is_some_and(|(_, v)| is_truthy(v));
        let cond = params.first().cloned().flatten();
        let falsy = (!include_zero && !is_truthy(&cond)) || is_empty(&cond);
        let (yes, no) = if unless {
            (progs.inverse, progs.program)
        } else {
            (progs.program, progs.inverse)
        };
        let this = self.helper_this(scope);
        Ok(Out::Item(self.run(
            if falsy { no } else { yes },
            this,
            scope,
            None,
            None,
        )?))
    }

    #[inline(never)]
    fn helper_with<'t>(
        &mut self,
        params: &[Val],
        progs: Option<Progs<'t>>,
        scope: &Scope<'t>,
        span: Span,
    ) -> R<Out> {
        if params.len() != 1 {
            return Err(arity_error("with", span));
        }
        let progs = progs.ok_or_else(|| not_block_error("with", span))?;
        let value = params.first().cloned().flatten();
        let item = if is_empty(&value) {
            let this = self.helper_this(scope);
            self.run(progs.inverse, this, scope, None, None)?
        } else {
            self.run(progs.program, value.clone(), scope, None, Some(vec![value]))?
        };
        Ok(Out::Item(item))
    }

    #[inline(never)]
    fn helper_each<'t>(
        &mut self,
        params: &[Val],
        progs: Option<Progs<'t>>,
        scope: &Scope<'t>,
        span: Span,
    ) -> R<Out> {
        if params.is_empty() || (params.len() > 1 && !is_truthy(&params[1])) {
            return Err(render_error("Must pass iterator to #each", span));
        }
        if params.len() > 1 {
            return Err(type_error(
                "#each takes exactly one argument: {{#each list}}…{{/each}}.",
                span,
            ));
        }
        let progs = progs.ok_or_else(|| not_block_error("each", span))?;
        let this = self.helper_this(scope);
        Ok(Out::Item(self.each(
            params.first().cloned().flatten(),
            progs,
            this,
            scope,
            span,
        )?))
    }

    #[inline(never)]
    fn helper_lookup(&mut self, params: &[Val], progs: Option<Progs<'_>>, span: Span) -> R<Out> {
        let obj = params.first().cloned().flatten();
        if !params.is_empty() && !is_truthy(&obj) {
            return self.value_out(obj, progs, span);
        }
        if params.len() != 2 {
            return Err(type_error(
                "lookup needs exactly two arguments: {{lookup object key}}.",
                span,
            ));
        }
        let key = match &params[1] {
            None => "undefined".to_string(),
            Some(v) => self.stringify(&Some(v.clone()), span)?,
        };
        let found = obj.as_ref().and_then(|o| lookup_property(o, &key));
        self.value_out(found, progs, span)
    }

    /// A helper that returns a value: mustaches escape it, blocks append it raw.
    fn value_out(&mut self, v: Val, progs: Option<Progs<'_>>, span: Span) -> R<Out> {
        if progs.is_none() {
            return Ok(Out::Value(v));
        }
        Ok(Out::Item(self.value_item(&v, span)?))
    }

    /// The `each` helper.
    fn each<'t>(
        &mut self,
        value: Val,
        progs: Progs<'t>,
        this: Val,
        scope: &Scope<'t>,
        span: Span,
    ) -> R<Item> {
        let mut count = 0usize;
        let wants_block_params = progs.program.is_some_and(|p| !p.block_params.is_empty());
        let iteration = |me: &mut Self, key: Value, index: usize, last: bool, item: Val| -> R<()> {
            me.step(span)?;
            // `createFrame(options.data)` plus this iteration's `key`/`index`/`first`/`last`.
            let frame = Frame {
                root: scope.data.root.clone(),
                iteration: Some(Iteration {
                    key: key.clone(),
                    index,
                    first: index == 0,
                    last,
                }),
                parent: Some(scope.data.clone()),
                partial_block: scope.data.partial_block.clone(),
            };
            let block_params = wants_block_params.then(|| vec![item.clone(), Some(key)]);
            // `ret = ret + fn(…)` with `ret` starting as "": always text.
            match me.run(
                progs.program,
                item.clone(),
                scope,
                Some(Rc::new(frame)),
                block_params,
            )? {
                Item::Prim(p) => me.write_prim(p, span),
                Item::Str => me.write_str("", span),
            }
        };
        match &value {
            Some(Value::Array(items)) => {
                let len = items.len();
                for (i, item) in items.iter().enumerate() {
                    iteration(
                        self,
                        Value::Number(i as f64),
                        i,
                        i + 1 == len,
                        Some(item.clone()),
                    )?;
                    count += 1;
                }
            }
            Some(Value::Object(obj)) => {
                let len = obj.len();
                for (i, (k, v)) in obj.iter().enumerate() {
                    iteration(self, Value::string(k), i, i + 1 == len, Some(v.clone()))?;
                    count += 1;
                }
            }
            _ => {}
        }
        if count == 0 {
            return self.run(progs.inverse, this, scope, None, None);
        }
        Ok(Item::Str)
    }

    /// `blockHelperMissing`: sections over non-helper values.
    fn block_helper_missing<'t>(
        &mut self,
        value: Val,
        progs: Progs<'t>,
        scope: &Scope<'t>,
    ) -> R<Item> {
        match &value {
            Some(Value::Bool(true)) => {
                self.run(progs.program, scope.ctx.clone(), scope, None, None)
            }
            None | Some(Value::Null) | Some(Value::Bool(false)) => {
                self.run(progs.inverse, scope.ctx.clone(), scope, None, None)
            }
            Some(Value::Array(items)) if items.is_empty() => {
                self.run(progs.inverse, scope.ctx.clone(), scope, None, None)
            }
            Some(Value::Array(_)) => {
                let span = progs.program.map(|p| p.span).unwrap_or_default();
                self.each(value.clone(), progs, scope.ctx.clone(), scope, span)
            }
            _ => self.run(progs.program, value, scope, None, None),
        }
    }

    fn block<'t>(&mut self, b: &'t Block, scope: &Scope<'t>) -> R<()> {
        self.check_decorators(b.program.as_ref())?;
        self.check_decorators(b.inverse.as_ref())?;
        let progs = Progs {
            program: b.program.as_ref(),
            inverse: b.inverse.as_ref(),
        };
        match b.kind {
            // `{{#*inline}}` was registered when its program started; it renders nothing.
            BlockKind::Decorator => Ok(()),
            BlockKind::PartialBlock => {
                let item = self.partial_block(b, scope)?;
                self.append_item(item, b.span)
            }
            BlockKind::Block | BlockKind::Raw => {
                let explicit =
                    !self.accs.last().is_some_and(|a| a.simple) && self.is_ambiguous(b, scope);
                if explicit {
                    self.end_run(b.span)?;
                }
                let item = match self.call(&b.call, scope, Some(progs), false)? {
                    Out::Item(item) => item,
                    Out::Value(v) => self.value_item(&v, b.span)?,
                };
                if explicit {
                    self.add_to_buffer(item, b.span)
                } else {
                    self.append_item(item, b.span)
                }
            }
        }
    }

    /// The context a partial gets: its argument or the current context, extended with the hash
    /// (`invokePartialWrapper`).
    fn partial_context(&mut self, params: &[Expr], hash: &[HashPair], scope: &Scope<'_>) -> R<Val> {
        let mut ctx = match params.first() {
            Some(p) => self.expr(p, scope)?,
            None => scope.ctx.clone(),
        };
        if !hash.is_empty() {
            let mut obj = own_enumerable(&ctx);
            for pair in hash {
                let v = self.expr(&pair.value, scope)?;
                obj.insert(pair.key.as_str(), v.unwrap_or(Value::Null));
            }
            ctx = Some(Value::object(obj));
        }
        Ok(ctx)
    }

    /// A partial's name: the path or literal as written, or a sub-expression's value.
    fn partial_name(&mut self, name: &Expr, scope: &Scope<'_>, span: Span) -> R<String> {
        match name {
            Expr::SubExpr(_) => {
                let v = self.expr(name, scope)?;
                self.stringify(&v, span)
            }
            other => Ok(head_name(other)),
        }
    }

    fn find_partial<'t>(scope: &Scope<'t>, name: &str) -> Option<Rc<Closure<'t>>> {
        let mut p = scope.partials.as_ref();
        while let Some(entry) = p {
            if entry.name == name {
                return entry.closure.clone();
            }
            p = entry.parent.as_ref();
        }
        None
    }

    fn enter_partial(&mut self, span: Span) -> R<()> {
        self.partial_depth += 1;
        if self.partial_depth > self.limits.max_nesting {
            return Err(TemplateError::new(
                TemplateErrorCode::Limit,
                format!(
                    "Partials are nested more than {} levels deep (does a partial call itself?).",
                    self.limits.max_nesting
                ),
                Some(span),
            ));
        }
        Ok(())
    }

    /// `{{#> p}}fallback{{/p}}`: renders the inline partial `p` with `@partial-block` set to the
    /// fallback, or the fallback itself when there is no such partial.
    #[inline(never)]
    fn partial_block<'t>(&mut self, b: &'t Block, scope: &Scope<'t>) -> R<Item> {
        let name = self.partial_name(&b.call.head, scope, b.span)?;
        let ctx = self.partial_context(&b.call.params, &b.call.hash, scope)?;
        let partial = Self::find_partial(scope, &name);
        let block = Rc::new(PartialBlock {
            fallback: Closure {
                program: b.program.as_ref(),
                depths: scope.depths.clone(),
                data: scope.data.clone(),
                block_params: scope.block_params.clone(),
            },
            outer: scope.data.partial_block.clone(),
        });
        let data = Frame::child(&scope.data, Some(block.clone()));
        self.enter_partial(b.span)?;
        let item = match partial {
            Some(closure) => self.invoke(&closure, ctx, Some(data), None, scope.partials.clone()),
            None => self.invoke_partial_block(&block, ctx, &data, scope),
        };
        self.partial_depth -= 1;
        item
    }

    /// `partialBlockWrapper`: the fallback renders with the partial block that was current
    /// around it.
    fn invoke_partial_block<'t>(
        &mut self,
        block: &Rc<PartialBlock<'t>>,
        ctx: Val,
        data: &Rc<Frame<'t>>,
        scope: &Scope<'t>,
    ) -> R<Item> {
        let data = Frame::child(data, block.outer.clone());
        self.invoke(
            &block.fallback,
            ctx,
            Some(data),
            None,
            scope.partials.clone(),
        )
    }

    /// `{{> name}}`: an inline partial, or `@partial-block`.
    #[inline(never)]
    fn partial<'t>(&mut self, p: &'t Partial, scope: &Scope<'t>) -> R<()> {
        let name = self.partial_name(&p.name, scope, p.span)?;
        let ctx = self.partial_context(&p.params, &p.hash, scope)?;
        let block = if name == "@partial-block" {
            scope.data.partial_block.clone()
        } else {
            None
        };
        let partial = if block.is_some() {
            None
        } else {
            Self::find_partial(scope, &name)
        };
        if block.is_none() && partial.is_none() {
            return Err(TemplateError::new(
                TemplateErrorCode::Render,
                format!(
                    "The partial {name} could not be found (Cal.com registers no partials: define it with {{{{#*inline \"{name}\"}}}}…{{{{/inline}}}} or write the text in place)."
                ),
                Some(p.span),
            ));
        }
        // An indented partial's text is rewritten as a whole, so pending values of the
        // enclosing expression are written first (its result must be text: handlebars calls
        // `result.split`).
        if p.indent.is_some() {
            self.write_str("", p.span)?;
        }
        let start = self.out.len();
        self.enter_partial(p.span)?;
        let item = match (&block, &partial) {
            (Some(block), _) => self.invoke_partial_block(block, ctx, &scope.data, scope),
            // `options.data` is the caller's data.
            (None, Some(closure)) => self.invoke(
                closure,
                ctx,
                Some(scope.data.clone()),
                None,
                scope.partials.clone(),
            ),
            (None, None) => Ok(Item::Str),
        };
        self.partial_depth -= 1;
        let item = item?;
        if let Some(indent) = &p.indent {
            if let Item::Prim(_) = item {
                return Err(type_error("result.split is not a function (an indented partial returned a number or boolean)", p.span));
            }
            self.indent_since(start, indent, p.span)?;
        }
        self.append_item(item, p.span)
    }

    /// Prefix every line written since `start` with `indent`, except an empty last line.
    fn indent_since(&mut self, start: usize, indent: &str, span: Span) -> R<()> {
        let written = self.out.split_off(start.min(self.out.len()));
        let lines: Vec<&str> = written.split('\n').collect();
        let mut text = String::with_capacity(written.len());
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            if !(line.is_empty() && i + 1 == lines.len()) {
                text.push_str(indent);
            }
            text.push_str(line);
        }
        self.push_raw(&text, span)
    }

    /// JS `String(value)` with `null`/`undefined` as `""` (what `append` and
    /// `escapeExpression` produce), arrays joined recursively up to `max_data_depth`.
    #[inline(never)]
    fn stringify(&self, v: &Val, span: Span) -> R<String> {
        let mut out = String::new();
        match v {
            None | Some(Value::Null) => {}
            Some(v) => self.write_js_string(v, &mut out, 0, span)?,
        }
        Ok(out)
    }

    fn write_js_string(&self, v: &Value, out: &mut String, depth: usize, span: Span) -> R<()> {
        match v {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(&format_number(*n)),
            Value::String(s) => out.push_str(s),
            Value::Object(_) => out.push_str("[object Object]"),
            Value::Array(items) => {
                if depth >= self.limits.max_data_depth {
                    return Err(TemplateError::new(
                        TemplateErrorCode::Limit,
                        format!(
                            "An array nested more than {} levels deep was rendered.",
                            self.limits.max_data_depth
                        ),
                        Some(span),
                    ));
                }
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !item.is_null() {
                        self.write_js_string(item, out, depth + 1, span)?;
                    }
                    if out.len() > self.limits.max_output_bytes {
                        return Err(self.output_limit(span));
                    }
                }
            }
        }
        Ok(())
    }
}

/// `cur != null ? lookupProperty(cur, part) : cur` along the parts.
fn resolve_not_null(start: Val, parts: &[String]) -> Val {
    let mut cur = start;
    for part in parts {
        cur = match cur {
            None | Some(Value::Null) => cur,
            Some(v) => lookup_property(&v, part),
        };
    }
    cur
}

/// [`resolve_not_null`] from a borrowed start, cloning only the result (objects and array
/// elements are walked by reference).
fn resolve_ref(start: Option<&Value>, parts: &[String]) -> Val {
    let mut cur = start;
    for (i, part) in parts.iter().enumerate() {
        cur = match cur {
            // `null`/`undefined` stay as they are for the remaining parts.
            None | Some(Value::Null) => return cur.cloned(),
            Some(Value::Object(o)) => o.get(part),
            Some(Value::Array(a)) if part != "length" => {
                if !is_array_index(part) {
                    None
                } else {
                    part.parse::<usize>().ok().and_then(|i| a.get(i))
                }
            }
            Some(v) => {
                return resolve_not_null(
                    lookup_property(v, part),
                    parts.get(i + 1..).unwrap_or_default(),
                )
            }
        };
    }
    cur.cloned()
}

/// `extend({}, value)`: own enumerable properties as an object.
fn own_enumerable(v: &Val) -> Object {
    match v {
        Some(Value::Object(o)) => (**o).clone(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, x)| (i.to_string(), x.clone()))
            .collect(),
        Some(Value::String(s)) => s
            .encode_utf16()
            .enumerate()
            .map(|(i, u)| {
                let c = char::decode_utf16([u])
                    .next()
                    .and_then(Result::ok)
                    .unwrap_or('\u{fffd}');
                (i.to_string(), Value::string(c.to_string()))
            })
            .collect(),
        _ => Object::new(),
    }
}
