//! Helpers shared by the fuzz targets: input splitting, span checks, and a Rust port of the JS
//! layer's `prune` (js/src/projection.js) to check template data projections.

use calhook::json::{Object, Value};
use calhook::template::ast::{Call, Expr, HashPair, Program, Statement};
use calhook::template::Span;

/// Split `data` at the first NUL byte: `(before, after)`; `after` is empty when there is none.
pub fn split_nul(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// 1-based line and column (in chars) of byte `offset` in `source`, counting `\n`, `\r\n` and a
/// lone `\r` as line ends (what [`Span`] documents).
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let mut line = 1;
    let mut column = 1;
    let mut prev_cr = false;
    for c in before.chars() {
        match c {
            '\n' if prev_cr => {
                column = 1;
            }
            '\n' | '\r' => {
                line += 1;
                column = 1;
            }
            _ => column += 1,
        }
        prev_cr = c == '\r';
    }
    (line, column)
}

/// A span must lie within `source`, at char boundaries, with `start <= end`, and its line and
/// column must be those of `start`. `what` names the span in the panic message.
pub fn check_span(source: &str, span: &Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= source.len(),
        "{what}: span {span:?} outside the source ({} bytes)",
        source.len()
    );
    assert!(
        source.is_char_boundary(span.start) && source.is_char_boundary(span.end),
        "{what}: span {span:?} not at char boundaries"
    );
    assert!(
        span.line >= 1 && span.column >= 1,
        "{what}: span {span:?} has a zero line/column"
    );
    let (line, column) = line_column(source, span.start);
    assert!(
        (span.line, span.column) == (line, column),
        "{what}: span {span:?} says line {} column {}, its start is at line {line} column {column}",
        span.line,
        span.column
    );
}

/// Check every span of a compiled template's syntax tree.
pub fn check_program_spans(source: &str, program: &Program) {
    check_span(source, &program.span, "program");
    for stmt in &program.body {
        match stmt {
            Statement::Content(c) => check_span(source, &c.span, "content"),
            Statement::Comment(c) => check_span(source, &c.span, "comment"),
            Statement::Mustache(m) => {
                check_span(source, &m.span, "mustache");
                check_call_spans(source, &m.call);
            }
            Statement::Block(b) => {
                check_span(source, &b.span, "block");
                check_call_spans(source, &b.call);
                if let Some(p) = &b.program {
                    check_program_spans(source, p);
                }
                if let Some(p) = &b.inverse {
                    check_program_spans(source, p);
                }
            }
            Statement::Partial(p) => {
                check_span(source, &p.span, "partial");
                check_expr_spans(source, &p.name);
                for e in &p.params {
                    check_expr_spans(source, e);
                }
                check_hash_spans(source, &p.hash);
            }
        }
    }
}

fn check_call_spans(source: &str, call: &Call) {
    check_span(source, &call.span, "call");
    check_expr_spans(source, &call.head);
    for e in &call.params {
        check_expr_spans(source, e);
    }
    check_hash_spans(source, &call.hash);
}

fn check_hash_spans(source: &str, hash: &[HashPair]) {
    for pair in hash {
        check_span(source, &pair.span, "hash pair");
        check_expr_spans(source, &pair.value);
    }
}

fn check_expr_spans(source: &str, e: &Expr) {
    check_span(source, &e.span(), "expression");
    if let Expr::SubExpr(c) = e {
        check_call_spans(source, c);
    }
}

/// `own(c, k)` of js/src/projection.js: only own keys of a node's `c` count (an earlier version
/// read `c[k]`, which found `Object.prototype` members such as `constructor` and pruned data
/// keys of those names to `{}`, found while porting it for the `template` target).
fn lookup<'a>(c: Option<&'a Object>, key: &str) -> Option<&'a Value> {
    c?.get(key).filter(|v| !v.is_null()) // `?? e` treats null like undefined
}

/// A projection node as JS sees it.
#[derive(Clone, Copy)]
enum JsNode<'a> {
    One,
    Obj(&'a Object),
    /// Anything else (not produced by `Projection::to_value`).
    Empty,
}

fn as_node(v: &Value) -> JsNode<'_> {
    match v {
        Value::Number(n) if *n == 1.0 => JsNode::One,
        Value::Object(o) => JsNode::Obj(o),
        _ => JsNode::Empty,
    }
}

fn node_field<'a>(node: JsNode<'a>, key: &str) -> Option<&'a Value> {
    match node {
        JsNode::Obj(o) => o.get(key).filter(|v| !v.is_null()),
        _ => None,
    }
}

/// `prune(value, projection)` exactly as `js/src/projection.js` does it (`projection` is
/// `Projection::to_value()`, non-null).
pub fn prune(value: &Value, projection: &Value) -> Value {
    prune_node(value, as_node(projection))
}

fn pick<'a>(c: Option<&'a Object>, key: &str, e: Option<&'a Value>) -> Option<JsNode<'a>> {
    lookup(c, key).or(e).map(as_node)
}

fn prune_node(value: &Value, node: JsNode<'_>) -> Value {
    if matches!(node, JsNode::One) {
        return value.clone();
    }
    let c = node_field(node, "c").and_then(Value::as_object);
    let e = node_field(node, "e");
    match value {
        Value::Array(items) => {
            let l = node_field(node, "l").is_some_and(Value::is_truthy);
            let len = if l || e.is_some() || c.is_some_and(|c| c.contains_key("length")) {
                items.len()
            } else if let Some(c) = c {
                let mut len = 0;
                for k in c.keys() {
                    if let Ok(i) = k.parse::<usize>() {
                        if i.to_string() == k && i < items.len() && i >= len {
                            len = i + 1;
                        }
                    }
                }
                len
            } else {
                0
            };
            let out = items[..len]
                .iter()
                .enumerate()
                .map(|(i, item)| match pick(c, &i.to_string(), e) {
                    None => Value::Null,
                    Some(n) => prune_node(item, n),
                })
                .collect();
            Value::array(out)
        }
        Value::Object(obj) => {
            let mut out = Object::new();
            if e.is_some() {
                for (k, v) in obj.iter() {
                    if let Some(n) = pick(c, k, e) {
                        out.insert(k, prune_node(v, n));
                    }
                }
            } else if let Some(c) = c {
                for k in c.keys() {
                    if let (Some(v), Some(n)) = (obj.get(k), pick(Some(c), k, None)) {
                        out.insert(k, prune_node(v, n));
                    }
                }
            }
            Value::object(out)
        }
        other => other.clone(),
    }
}
