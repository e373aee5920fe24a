//! The direct renderer: the common shape of webhook templates rendered straight from the JSON
//! text, without building a value tree.
//!
//! A template qualifies (a [`Plan`] exists) when it is made only of text, comments, escaped
//! `{{path}}` mustaches, and `{{#if path}}` / `{{#unless path}}` / `{{#each path}}` blocks
//! (with `{{else}}`) around the same: no raw `{{{…}}}`, no partials, no block parameters, no
//! `../`, no `{{this}}` alone, no other helpers. In that subset every statement produces text,
//! so handlebars' JavaScript `+` between results is plain concatenation, and a helper's `this`
//! (`nullContext` for a null context) cannot be observed.
//!
//! Rendering reads the data from a [`Tape`] and gives up (`None`) whenever the general
//! renderer might do something else: a value that is an array or object printed, an `#each`
//! over an object, a string's `length` or characters, a large object or a far array index, or
//! any limit reached. The caller then parses and renders the general way, which gives the
//! same text or the error. `tests/fast_render.rs` checks both agree on generated templates
//! and data.

use std::cell::RefCell;

use super::ast::{is_known_helper, simple_id, BlockKind, Expr, PathExpr, Program, Statement};
use super::escape::escape_bytes_into;
use super::render::MAX_STEPS;
use super::Limits;
use crate::json::tape::{Kind, Node, Tape};
use crate::json::{array_index, decimal_digits, write_number};

/// A template in the direct renderer's subset.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    ops: Vec<Op>,
}

#[derive(Clone, Debug)]
enum Op {
    /// Literal text (possibly empty: it still counts as a statement).
    Text(String),
    /// `{{path}}`.
    Value(Path),
    /// `{{#if path}}` (`unless`: swapped), then the program and the inverse.
    If {
        cond: Path,
        unless: bool,
        yes: Option<Vec<Op>>,
        no: Option<Vec<Op>>,
    },
    /// `{{#each path}}…{{else}}…{{/each}}`.
    Each {
        list: Path,
        body: Option<Vec<Op>>,
        inverse: Option<Vec<Op>>,
    },
}

#[derive(Clone, Debug)]
enum Head {
    /// Lookups from the context (`a.b`, `this.a`).
    Context,
    /// `@name…`: the first part is read from the data frame, the rest `&&`-chained.
    Data(DataName),
}

#[derive(Clone, Copy, Debug)]
enum DataName {
    Root,
    Index,
    Key,
    First,
    Last,
    /// Any other `@name`: undefined.
    Other,
}

#[derive(Clone, Debug)]
struct Part {
    name: String,
    /// The canonical array index this part names, if any.
    index: Option<usize>,
}

#[derive(Clone, Debug)]
struct Path {
    head: Head,
    /// For [`Head::Data`], the parts after the data name.
    parts: Vec<Part>,
}

impl Plan {
    /// The plan of `program`, or `None` when it is outside the subset.
    pub(crate) fn of(program: &Program) -> Option<Plan> {
        Some(Plan { ops: ops(program)? })
    }
}

fn ops(program: &Program) -> Option<Vec<Op>> {
    if !program.block_params.is_empty() || program.has_decorators {
        return None;
    }
    let mut out = Vec::with_capacity(program.body.len());
    for stmt in &program.body {
        match stmt {
            Statement::Content(c) => out.push(Op::Text(c.value.clone())),
            Statement::Comment(_) => {}
            Statement::Mustache(m) => {
                if m.decorator || !m.escaped || !m.call.params.is_empty() || !m.call.hash.is_empty()
                {
                    return None;
                }
                let Expr::Path(p) = &m.call.head else {
                    return None;
                };
                if simple_id(p) && is_known_helper(p.parts.first().map_or("", String::as_str)) {
                    return None;
                }
                out.push(Op::Value(path(p)?));
            }
            Statement::Block(b) => {
                if b.kind != BlockKind::Block || !b.call.hash.is_empty() {
                    return None;
                }
                let Expr::Path(head) = &b.call.head else {
                    return None;
                };
                let [Expr::Path(param)] = b.call.params.as_slice() else {
                    return None;
                };
                if !simple_id(head) {
                    return None;
                }
                let program = |p: &Option<Program>| match p {
                    Some(p) => ops(p).map(Some),
                    None => Some(None),
                };
                let (yes, no) = (program(&b.program)?, program(&b.inverse)?);
                let name = head.parts.first().map_or("", String::as_str);
                out.push(match name {
                    "if" | "unless" => Op::If {
                        cond: path(param)?,
                        unless: name == "unless",
                        yes,
                        no,
                    },
                    "each" => Op::Each {
                        list: path(param)?,
                        body: yes,
                        inverse: no,
                    },
                    _ => return None,
                });
            }
            Statement::Partial(_) => return None,
        }
    }
    Some(out)
}

fn part(name: &str) -> Part {
    Part {
        name: name.to_string(),
        index: array_index(name).map(|i| i as usize),
    }
}

fn path(p: &PathExpr) -> Option<Path> {
    let first = p.parts.first().filter(|n| !n.is_empty())?;
    if p.depth != 0 {
        return None;
    }
    if !p.data {
        return Some(Path {
            head: Head::Context,
            parts: p.parts.iter().map(|n| part(n)).collect(),
        });
    }
    let name = match first.as_str() {
        "root" => DataName::Root,
        "index" => DataName::Index,
        "key" => DataName::Key,
        "first" => DataName::First,
        "last" => DataName::Last,
        // `@_parent` is a frame, not a value.
        "_parent" => return None,
        _ => DataName::Other,
    };
    Some(Path {
        head: Head::Data(name),
        parts: p.parts.iter().skip(1).map(|n| part(n)).collect(),
    })
}

/// A value as the direct renderer sees it.
#[derive(Clone, Copy)]
enum V {
    Undefined,
    Node(u32),
    Number(f64),
    Bool(bool),
}

/// The `#each` iteration being rendered: index and length.
type Iter = Option<(usize, usize)>;

struct Run<'a, 't> {
    tape: &'a Tape<'t>,
    /// UTF-8 text: only whole strings of the template and the data are written.
    out: Vec<u8>,
    steps: u64,
    limits: &'a Limits,
}

thread_local! {
    /// The node vector, reused from one render to the next.
    static NODES: RefCell<Vec<Node>> = const { RefCell::new(Vec::new()) };
}

/// Node vectors grown past this many nodes are released after use.
const KEEP_NODES: usize = 1 << 16;

impl Plan {
    /// Render with the JSON text `json` as data; `None` when the general renderer must decide
    /// (invalid JSON, a case outside the subset, a limit reached).
    pub(crate) fn render(&self, json: &str, limits: &Limits) -> Option<String> {
        with_nodes(|nodes| match Tape::build(json, nodes) {
            Ok(tape) => {
                let result = self.render_tape(&tape, limits);
                (result, tape.into_nodes())
            }
            Err(nodes) => (None, nodes),
        })
    }

    /// Render with the data in `tape`; `None` when the general renderer must decide.
    pub(crate) fn render_tape(&self, tape: &Tape<'_>, limits: &Limits) -> Option<String> {
        let mut out = Vec::with_capacity(tape.text.len() + 256);
        self.render_tape_into(tape, limits, &mut out)?;
        String::from_utf8(out).ok()
    }

    /// [`Plan::render_tape`] into `out` (cleared first; UTF-8 when it answers `Some`).
    pub(crate) fn render_tape_into(
        &self,
        tape: &Tape<'_>,
        limits: &Limits,
        out: &mut Vec<u8>,
    ) -> Option<()> {
        out.clear();
        let mut run = Run {
            tape,
            out: std::mem::take(out),
            steps: 0,
            limits,
        };
        let done = run.ops(&self.ops, V::Node(0), None, 1);
        *out = run.out;
        done?;
        // Only whole strings of the template and the data were written; checked all the same.
        std::str::from_utf8(out).is_ok().then_some(())
    }
}

/// Run `f` with the reused node vector (`f` gives it back with its result); vectors grown
/// past [`KEEP_NODES`] are dropped after use.
pub(crate) fn with_nodes<R>(f: impl FnOnce(Vec<Node>) -> (R, Vec<Node>)) -> R {
    let (result, nodes) = f(NODES.with_borrow_mut(std::mem::take));
    if nodes.capacity() <= KEEP_NODES {
        NODES.with_borrow_mut(|slot| *slot = nodes);
    }
    result
}

impl Run<'_, '_> {
    #[inline]
    fn step(&mut self) -> Option<()> {
        self.steps += 1;
        (self.steps <= MAX_STEPS).then_some(())
    }

    fn ops(&mut self, ops: &[Op], ctx: V, it: Iter, level: usize) -> Option<()> {
        for op in ops {
            self.step()?;
            match op {
                Op::Text(t) => self.out.extend_from_slice(t.as_bytes()),
                Op::Value(p) => {
                    let v = self.eval(p, ctx, it)?;
                    self.write(v)?;
                }
                Op::If {
                    cond,
                    unless,
                    yes,
                    no,
                } => {
                    let v = self.eval(cond, ctx, it)?;
                    let falsy = !self.truthy(v) || self.is_empty_array(v);
                    let branch = if falsy != *unless { no } else { yes };
                    self.program(branch, ctx, it, level)?;
                }
                Op::Each {
                    list,
                    body,
                    inverse,
                } => {
                    let v = self.eval(list, ctx, it)?;
                    let n = match v {
                        V::Node(i) => self.tape.node(i),
                        _ => Node {
                            kind: Kind::Null,
                            a: 0,
                            b: 0,
                            next: 0,
                        },
                    };
                    match n.kind {
                        // Object keys in JS order (index keys first): left to the tree.
                        Kind::Object => return None,
                        Kind::Array if n.a > 0 => {
                            let V::Node(arr) = v else { return None };
                            let len = n.a as usize;
                            let mut at = arr + 1;
                            for i in 0..len {
                                self.step()?;
                                self.program(body, V::Node(at), Some((i, len)), level)?;
                                at = self.tape.node(at).next;
                            }
                        }
                        _ => self.program(inverse, ctx, it, level)?,
                    }
                }
            }
            if self.out.len() > self.limits.max_output_bytes {
                return None;
            }
        }
        Some(())
    }

    /// Run a block's program (`None`: handlebars' `noop`) one level deeper.
    fn program(&mut self, ops: &Option<Vec<Op>>, ctx: V, it: Iter, level: usize) -> Option<()> {
        match ops {
            None => Some(()),
            Some(_) if level > self.limits.max_nesting => None,
            Some(ops) => self.ops(ops, ctx, it, level + 1),
        }
    }

    fn eval(&self, p: &Path, ctx: V, it: Iter) -> Option<V> {
        match p.head {
            Head::Context => {
                let mut cur = ctx;
                for part in &p.parts {
                    // `cur != null ? lookupProperty(cur, part) : cur`
                    if self.is_nullish(cur) {
                        return Some(cur);
                    }
                    cur = self.lookup(cur, part)?;
                }
                Some(cur)
            }
            Head::Data(name) => {
                let mut cur = match (name, it) {
                    (DataName::Root, _) => V::Node(0),
                    (DataName::Index | DataName::Key, Some((i, _))) => V::Number(i as f64),
                    (DataName::First, Some((i, _))) => V::Bool(i == 0),
                    (DataName::Last, Some((i, len))) => V::Bool(i + 1 == len),
                    _ => V::Undefined,
                };
                for part in &p.parts {
                    // `cur && lookupProperty(cur, part)`
                    if self.truthy(cur) {
                        cur = self.lookup(cur, part)?;
                    }
                }
                Some(cur)
            }
        }
    }

    fn is_nullish(&self, v: V) -> bool {
        match v {
            V::Undefined => true,
            V::Node(i) => self.tape.node(i).kind == Kind::Null,
            _ => false,
        }
    }

    /// `lookupProperty(v, part)` for a non-null `v`: own properties only.
    fn lookup(&self, v: V, part: &Part) -> Option<V> {
        let V::Node(i) = v else {
            // Numbers and booleans have no own properties.
            return Some(V::Undefined);
        };
        let n = self.tape.node(i);
        Some(match n.kind {
            Kind::Object => self
                .tape
                .member(i, &part.name)?
                .map_or(V::Undefined, V::Node),
            Kind::Array => {
                if part.name == "length" {
                    V::Number(f64::from(n.a))
                } else if let Some(index) = part.index {
                    self.tape.element(i, index)?.map_or(V::Undefined, V::Node)
                } else {
                    V::Undefined
                }
            }
            // A string's `length` and characters count UTF-16 units: left to the tree.
            Kind::Str | Kind::EscStr if part.name == "length" || part.index.is_some() => {
                return None
            }
            _ => V::Undefined,
        })
    }

    /// JS truthiness.
    fn truthy(&self, v: V) -> bool {
        match v {
            V::Undefined => false,
            V::Bool(b) => b,
            V::Number(n) => n != 0.0 && !n.is_nan(),
            V::Node(i) => self.tape.truthy(self.tape.node(i)),
        }
    }

    /// An empty array (which `#if` treats as false).
    fn is_empty_array(&self, v: V) -> bool {
        match v {
            V::Node(i) => {
                let n = self.tape.node(i);
                n.kind == Kind::Array && n.a == 0
            }
            _ => false,
        }
    }

    /// `escapeExpression(v)` appended to the output.
    fn write(&mut self, v: V) -> Option<()> {
        match v {
            V::Undefined => {}
            V::Bool(b) => self
                .out
                .extend_from_slice(if b { b"true" } else { b"false" }),
            V::Number(n) => self.number(n),
            V::Node(i) => {
                let n = self.tape.node(i);
                match n.kind {
                    Kind::Null => {}
                    Kind::True => self.out.extend_from_slice(b"true"),
                    Kind::False => self.out.extend_from_slice(b"false"),
                    Kind::Number | Kind::Float => self.number(self.tape.number(n)),
                    Kind::Str => escape_bytes_into(&mut self.out, self.tape.raw_bytes(n)),
                    Kind::EscStr => {
                        escape_bytes_into(&mut self.out, self.tape.decode(n)?.as_bytes())
                    }
                    // `String(array)` / `[object Object]` and their errors: left to the tree.
                    Kind::Array | Kind::Object => return None,
                }
            }
        }
        Some(())
    }

    /// JS `Number#toString`.
    fn number(&mut self, n: f64) {
        // Small non-negative integers (`@index`, ids) print as their digits.
        if n.fract() == 0.0 && (0.0..1e15).contains(&n) && !(n == 0.0 && n.is_sign_negative()) {
            let mut digits = [0u8; 20];
            self.out
                .extend_from_slice(decimal_digits(n as u64, &mut digits));
            return;
        }
        let mut text = String::new();
        write_number(&mut text, n);
        self.out.extend_from_slice(text.as_bytes());
    }
}
