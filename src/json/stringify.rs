//! `JSON.stringify`, exactly.
//!
//! Strings escape `"`, `\`, `\b \f \n \r \t` and the other U+0000–U+001F as `\u00xx`
//! (lowercase hex); everything else (`/`, DEL, U+2028/2029, non-ASCII) is written raw. Numbers
//! use JS `Number#toString` ([`format_number`](super::format_number)); NaN and ±Infinity become `null`. Keys come in
//! the [`Object`](super::Object)'s JS order.
//!
//! Serialization is iterative, so any depth of [`Value`] is safe.

use super::value::{write_number, Value};

/// `JSON.stringify(value)`: compact.
///
/// ```
/// use calhook::json::{parse, stringify};
/// let v = parse("[1.0, -0, 1e21, 0.0000001, \"a\\u0001\u{2028}\"]").unwrap();
/// assert_eq!(stringify(&v), "[1,0,1e+21,1e-7,\"a\\u0001\u{2028}\"]");
/// ```
pub fn stringify(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, "");
    out
}

/// `JSON.stringify(value, null, indent)`.
///
/// As in JS, only the first 10 characters of `indent` are used, and an empty `indent` gives
/// the compact form. Objects print `"key": value`; empty arrays/objects print `[]` / `{}`.
/// (JS cuts at 10 UTF-16 code units; an astral character straddling that cut is dropped here
/// instead of being split.)
pub fn stringify_pretty(value: &Value, indent: &str) -> String {
    let mut out = String::new();
    write_json(&mut out, value, indent);
    out
}

/// Append `JSON.stringify(value, null, indent)` to `out` (`indent` empty = compact).
pub fn write_json(out: &mut String, value: &Value, indent: &str) {
    let indent = clip_indent(indent);
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut next = Some(value);
    loop {
        if let Some(v) = next.take() {
            match v {
                Value::Null => out.push_str("null"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(n) if n.is_finite() => write_number(out, *n),
                Value::Number(_) => out.push_str("null"),
                Value::String(s) => write_string(out, s),
                Value::Array(items) if items.is_empty() => out.push_str("[]"),
                Value::Array(items) => {
                    out.push('[');
                    stack.push(Frame::Array(items.iter(), true));
                }
                Value::Object(object) if object.is_empty() => out.push_str("{}"),
                Value::Object(object) => {
                    out.push('{');
                    stack.push(Frame::Object(Box::new(object.iter()), true));
                }
            }
        }
        let depth = stack.len();
        let Some(frame) = stack.last_mut() else {
            return;
        };
        match frame {
            Frame::Array(items, first) => match items.next() {
                Some(item) => {
                    if !*first {
                        out.push(',');
                    }
                    *first = false;
                    newline(out, indent, depth);
                    next = Some(item);
                }
                None => {
                    newline(out, indent, depth - 1);
                    out.push(']');
                    stack.pop();
                }
            },
            Frame::Object(entries, first) => match entries.next() {
                Some((key, item)) => {
                    if !*first {
                        out.push(',');
                    }
                    *first = false;
                    newline(out, indent, depth);
                    write_string(out, key);
                    out.push(':');
                    if !indent.is_empty() {
                        out.push(' ');
                    }
                    next = Some(item);
                }
                None => {
                    newline(out, indent, depth - 1);
                    out.push('}');
                    stack.pop();
                }
            },
        }
    }
}

type Entries<'a> = Box<dyn Iterator<Item = (&'a str, &'a Value)> + 'a>;

enum Frame<'a> {
    Array(std::slice::Iter<'a, Value>, bool),
    Object(Entries<'a>, bool),
}

fn newline(out: &mut String, indent: &str, depth: usize) {
    if indent.is_empty() {
        return;
    }
    out.push('\n');
    for _ in 0..depth {
        out.push_str(indent);
    }
}

/// The first 10 UTF-16 code units of `indent` (whole characters only).
fn clip_indent(indent: &str) -> &str {
    let mut units = 0;
    for (i, c) in indent.char_indices() {
        units += c.len_utf16();
        if units > 10 {
            return indent.get(..i).unwrap_or("");
        }
    }
    indent
}

/// Append `s` as a JSON string literal (JS `JSON.stringify` escaping).
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut run_start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\x08' => "\\b",
            b'\x0c' => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(run_start..i).unwrap_or(""));
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        run_start = i + 1;
    }
    out.push_str(s.get(run_start..).unwrap_or(""));
    out.push('"');
}
