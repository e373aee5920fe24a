//! The fast path of `parseEvent` for the common case: a well-formed envelope body with no
//! issue at all.
//!
//! [`parse_event`](super::parse_event) builds a [`Value`](crate::json::Value) tree (one
//! allocation per string, array and object) and then validates it, building messages for
//! issues. When the caller already has the body's values (JS runs its own `JSON.parse`) and only
//! needs the verdict, that tree is waste. [`fast_meta`] parses the body into a flat tape in two
//! buffers and validates the tape against the trigger's shape, answering only "valid envelope,
//! nothing to report" or "don't know". On any doubt (a syntax error, a duplicate key, a lone
//! surrogate escape, `-0`, an out-of-range number, deep nesting, a missing field, a wrong type,
//! the legacy flat shape, a replay-window failure...) it answers `None` and the caller runs the
//! full [`parse_event`](super::parse_event), which produces the exact error, issues and warnings.
//!
//! So when it answers `Some`, `parse_event` would have returned an [`Event`](super::Event) with
//! that `known` and `shape`, no warnings, and values that JS `JSON.parse` of the body reproduces
//! exactly; `tests` below check that agreement on every fixture and many mutations.

use super::parse::{check_window, EnvelopeShape, ParseOptions, FORM_TRIGGERS};
use super::shape::{is_date_time, is_email, is_url, Field, Ty};
use super::trigger::trigger;

/// Nesting beyond this is left to the full parser (Cal.com payloads nest a few levels).
const MAX_DEPTH: usize = 64;

/// Objects with more keys than this are left to the full parser (which indexes big objects).
const MAX_KEYS: usize = 256;

#[derive(Clone, Copy, Debug)]
enum Node {
    Null,
    Bool,
    Number(f64),
    /// Bytes `start..end` of the input, or of the unescaped-strings buffer when `unescaped`.
    Str {
        unescaped: bool,
        start: u32,
        end: u32,
    },
    /// Items follow; `end` is the index after the last node of the array.
    Array {
        end: u32,
    },
    /// Key (`Str`) and value nodes follow alternately; `end` as for arrays.
    Object {
        end: u32,
    },
}

struct Tape<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    nodes: Vec<Node>,
    unescaped: String,
    /// Fingerprints of the keys of the open objects (a stack: each object's keys on top).
    key_prints: Vec<u64>,
    /// Scratch for sorting one object's fingerprints.
    sorted: Vec<u64>,
}

/// `Some((known, shape))` when [`parse_event`](super::parse_event) would accept `body` as an
/// envelope (not the legacy flat shape) with no warnings and JS-exact values; `None` when
/// unsure (the caller must then run the full parse).
pub fn fast_meta(body: &[u8], options: &ParseOptions) -> Option<(bool, EnvelopeShape)> {
    if body.len() > options.max_bytes || body.len() >= u32::MAX as usize {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let mut tape = Tape {
        bytes: body,
        text,
        pos: 0,
        nodes: Vec::with_capacity(body.len() / 8 + 4),
        unescaped: String::new(),
        key_prints: Vec::new(),
        sorted: Vec::new(),
    };
    tape.value(0)?;
    tape.ws();
    if tape.pos != body.len() {
        return None;
    }
    let root = 0;
    let Some(Node::Object { .. }) = tape.nodes.first() else {
        return None;
    };
    let name = tape.as_str(tape.get(root, "triggerEvent")?)?;
    let info = trigger(name);
    if info.is_none() && options.strict {
        return None;
    }
    let created_at = tape.as_str(tape.get(root, "createdAt")?)?;
    if !is_date_time(created_at) {
        return None;
    }
    let payload = tape.get(root, "payload")?;
    let Some(Node::Object { .. }) = tape.nodes.get(payload) else {
        return None;
    };
    if let Some(info) = info {
        if !tape.fields_ok(info.shape.fields(), payload) {
            return None;
        }
    }
    let extra_root_keys = tape
        .keys(root)
        .any(|k| !matches!(k, "triggerEvent" | "createdAt" | "payload"));
    let shape = if FORM_TRIGGERS.contains(&name) && extra_root_keys {
        EnvelopeShape::FormRootCopy
    } else {
        EnvelopeShape::Envelope
    };
    check_window(created_at, options).ok()?;
    Some((info.is_some(), shape))
}

impl<'a> Tape<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// One value (whitespace before it skipped here).
    fn value(&mut self, depth: usize) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'{' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.pos += 1;
                let at = self.nodes.len();
                self.nodes.push(Node::Object { end: 0 });
                let prints_from = self.key_prints.len();
                self.ws();
                if self.eat(b'}').is_none() {
                    loop {
                        self.ws();
                        if self.peek() != Some(b'"') {
                            return None;
                        }
                        self.string()?;
                        let key = self.as_str(self.nodes.len().wrapping_sub(1))?;
                        let print = fingerprint(key);
                        self.key_prints.push(print);
                        self.ws();
                        self.eat(b':')?;
                        self.value(depth + 1)?;
                        self.ws();
                        match self.peek()? {
                            b',' => self.pos += 1,
                            b'}' => {
                                self.pos += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                let end = u32::try_from(self.nodes.len()).ok()?;
                *self.nodes.get_mut(at)? = Node::Object { end };
                if self.may_have_duplicates(prints_from) {
                    return None;
                }
                self.key_prints.truncate(prints_from);
            }
            b'[' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.pos += 1;
                let at = self.nodes.len();
                self.nodes.push(Node::Array { end: 0 });
                self.ws();
                if self.eat(b']').is_none() {
                    loop {
                        self.value(depth + 1)?;
                        self.ws();
                        match self.peek()? {
                            b',' => self.pos += 1,
                            b']' => {
                                self.pos += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                let end = u32::try_from(self.nodes.len()).ok()?;
                *self.nodes.get_mut(at)? = Node::Array { end };
            }
            b'"' => self.string()?,
            b'-' | b'0'..=b'9' => {
                let n = self.number()?;
                self.nodes.push(Node::Number(n));
            }
            b't' => self.literal(b"true", Node::Bool)?,
            b'f' => self.literal(b"false", Node::Bool)?,
            b'n' => self.literal(b"null", Node::Null)?,
            _ => return None,
        }
        Some(())
    }

    fn literal(&mut self, word: &[u8], node: Node) -> Option<()> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end)? != word {
            return None;
        }
        self.pos = end;
        self.nodes.push(node);
        Some(())
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A number as the full parser reads it; `None` for `-0` and out-of-range values too
    /// (their event JSON text would not round-trip).
    fn number(&mut self) -> Option<f64> {
        let start = self.pos;
        let negative = self.eat(b'-').is_some();
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        let int_end = self.pos;
        if self.eat(b'.').is_some() && self.digits() == 0 {
            return None;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        let digits = self.bytes.get(start + usize::from(negative)..int_end)?;
        let n = if int_end == self.pos && digits.len() <= 15 {
            let n = digits
                .iter()
                .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0')) as f64;
            if negative {
                -n
            } else {
                n
            }
        } else {
            self.text.get(start..self.pos)?.parse::<f64>().ok()?
        };
        if (n == 0.0 && n.is_sign_negative()) || !n.is_finite() {
            return None;
        }
        Some(n)
    }

    /// A string literal (`pos` at the quote), pushed as a `Str` node.
    fn string(&mut self) -> Option<()> {
        self.pos += 1;
        let start = self.pos;
        self.pos = crate::json::skip_plain(self.bytes, self.pos);
        if self.peek()? == b'"' {
            let node = Node::Str {
                unescaped: false,
                start: u32::try_from(start).ok()?,
                end: u32::try_from(self.pos).ok()?,
            };
            self.pos += 1;
            self.nodes.push(node);
            return Some(());
        }
        let from = self.unescaped.len();
        // The run stops at ASCII bytes only, so both ends are char boundaries.
        self.unescaped.push_str(self.text.get(start..self.pos)?);
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    self.pos += 1;
                    self.escape()?;
                }
                _ => return None, // a raw control character
            }
            let run = self.pos;
            self.pos = crate::json::skip_plain(self.bytes, self.pos);
            self.unescaped.push_str(self.text.get(run..self.pos)?);
        }
        let node = Node::Str {
            unescaped: true,
            start: u32::try_from(from).ok()?,
            end: u32::try_from(self.unescaped.len()).ok()?,
        };
        self.nodes.push(node);
        Some(())
    }

    /// After a backslash; `None` for a lone surrogate (it would become U+FFFD).
    fn escape(&mut self) -> Option<()> {
        let c = match self.peek()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                self.pos += 1;
                let unit = self.hex4()?;
                let c = if (0xD800..0xDC00).contains(&unit) {
                    if self.bytes.get(self.pos..self.pos + 2)? != b"\\u" {
                        return None;
                    }
                    self.pos += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(unit)?
                };
                self.unescaped.push(c);
                return Some(());
            }
            _ => return None,
        };
        self.pos += 1;
        self.unescaped.push(c);
        Some(())
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut unit = 0u32;
        for _ in 0..4 {
            let d = (self.peek()? as char).to_digit(16)?;
            unit = unit * 16 + d;
            self.pos += 1;
        }
        Some(unit)
    }

    /// The index after the subtree at `i`.
    fn skip(&self, i: usize) -> usize {
        match self.nodes.get(i) {
            Some(Node::Array { end } | Node::Object { end }) => *end as usize,
            _ => i + 1,
        }
    }

    fn as_str(&self, i: usize) -> Option<&str> {
        match self.nodes.get(i)? {
            Node::Str {
                unescaped,
                start,
                end,
            } => {
                let source = if *unescaped {
                    self.unescaped.as_str()
                } else {
                    self.text
                };
                source.get(*start as usize..*end as usize)
            }
            _ => None,
        }
    }

    /// (key node, value node) of the object at `object`.
    fn entries(&self, object: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let end = self.skip(object);
        let mut i = object + 1;
        std::iter::from_fn(move || {
            if i + 1 >= end {
                return None;
            }
            let item = (i, i + 1);
            i = self.skip(i + 1);
            Some(item)
        })
    }

    fn keys(&self, object: usize) -> impl Iterator<Item = &str> {
        self.entries(object)
            .map(|(k, _)| self.as_str(k).unwrap_or_default())
    }

    /// The value node of `key` among the entries from key node `from` to node `end`.
    fn find_key(&self, from: usize, end: usize, key: &str) -> Option<usize> {
        let mut i = from;
        while i + 1 < end {
            if let Some(Node::Str { start, end, .. }) = self.nodes.get(i) {
                if (end - start) as usize == key.len() && self.as_str(i) == Some(key) {
                    return Some(i + 1);
                }
            }
            i = self.skip(i + 1);
        }
        None
    }

    /// The value node of `key` (keys are unique: duplicates were rejected).
    fn get(&self, object: usize, key: &str) -> Option<usize> {
        self.entries(object)
            .find(|&(k, _)| self.as_str(k) == Some(key))
            .map(|(_, v)| v)
    }

    /// True when two keys of the object whose fingerprints start at `from` may be equal (equal
    /// fingerprints; a collision only sends the body to the full parser), or it has too many.
    fn may_have_duplicates(&mut self, from: usize) -> bool {
        let prints = self.key_prints.get(from..).unwrap_or_default();
        match prints.len() {
            0 | 1 => false,
            n if n <= 8 => prints
                .iter()
                .enumerate()
                .any(|(i, p)| prints.get(i + 1..).unwrap_or_default().contains(p)),
            n if n > MAX_KEYS => true,
            _ => {
                self.sorted.clear();
                self.sorted.extend_from_slice(prints);
                self.sorted.sort_unstable();
                self.sorted.windows(2).any(|w| w.first() == w.last())
            }
        }
    }

    fn is_null(&self, i: usize) -> bool {
        matches!(self.nodes.get(i), Some(Node::Null))
    }

    /// True when every field passes (the rules of `validate::validate_fields`).
    fn fields_ok<'f>(&self, fields: impl Iterator<Item = &'f Field>, object: usize) -> bool {
        let end = self.skip(object);
        // Fields and keys mostly come in the same order: search from after the last hit,
        // wrapping around.
        let mut hint = object + 1;
        for field in fields {
            let value = self
                .find_key(hint, end, field.name)
                .or_else(|| self.find_key(object + 1, hint.min(end), field.name));
            if let Some(v) = value {
                hint = self.skip(v);
            }
            match value {
                None => {
                    if field.required {
                        return false;
                    }
                }
                Some(v) if self.is_null(v) && !accepts_null(&field.ty) => {
                    if field.required {
                        return false;
                    }
                }
                Some(v) => {
                    if !self.value_ok(&field.ty, v) {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// True when the value at `i` passes `ty` (the rules of `validate::check_value`).
    fn value_ok(&self, ty: &Ty, i: usize) -> bool {
        match ty {
            Ty::Any => true,
            Ty::Named(_, inner) => self.value_ok(inner, i),
            Ty::Nullable(inner) => self.is_null(i) || self.value_ok(inner, i),
            Ty::String | Ty::DateTime | Ty::Email | Ty::Url | Ty::Enum(_) => {
                let Some(s) = self.as_str(i) else {
                    return false;
                };
                match ty {
                    Ty::DateTime => is_date_time(s),
                    Ty::Email => is_email(s),
                    Ty::Url => is_url(s),
                    Ty::Enum(values) => values.contains(&s),
                    _ => true,
                }
            }
            Ty::Number | Ty::Integer => match self.nodes.get(i) {
                Some(Node::Number(n)) => {
                    n.is_finite() && (!matches!(ty, Ty::Integer) || n.fract() == 0.0)
                }
                _ => false,
            },
            Ty::Bool => matches!(self.nodes.get(i), Some(Node::Bool)),
            Ty::Object(fields) => match self.nodes.get(i) {
                Some(Node::Object { .. }) => self.fields_ok(fields.iter(), i),
                _ => false,
            },
            Ty::Map(inner) => match self.nodes.get(i) {
                Some(Node::Object { .. }) => self.entries(i).all(|(_, v)| {
                    (self.is_null(v) && !accepts_null(inner)) || self.value_ok(inner, v)
                }),
                _ => false,
            },
            Ty::Array(inner) => match self.nodes.get(i) {
                Some(Node::Array { end }) => {
                    let end = *end as usize;
                    let mut j = i + 1;
                    while j < end {
                        if self.is_null(j) && !accepts_null(inner) {
                            return false;
                        }
                        if !self.value_ok(inner, j) {
                            return false;
                        }
                        j = self.skip(j);
                    }
                    true
                }
                _ => false,
            },
        }
    }
}

/// A 64-bit FNV-1a hash of a key, for duplicate detection.
fn fingerprint(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn accepts_null(ty: &Ty) -> bool {
    matches!(ty.resolve(), Ty::Nullable(_) | Ty::Any)
}
