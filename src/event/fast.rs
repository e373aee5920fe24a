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

use super::parse::{check_window, EnvelopeShape, ParseEventOptions};
use super::shape::{is_date_time, is_email, is_url, Field, Ty};
use super::trigger::trigger;

/// Nesting beyond this is left to the full parser (Cal.com payloads nest a few levels).
const MAX_DEPTH: usize = 64;

/// Objects with more keys than this are left to the full parser (which indexes big objects).
const MAX_KEYS: usize = 256;

#[derive(Clone, Copy, Debug)]
enum Item {
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
    /// Key (`Str`) and value nodes follow alternately; `end` as for arrays. Its keys are
    /// `keys[keys_at..keys_at + count]`.
    Object {
        end: u32,
        keys_at: u32,
        count: u32,
    },
}

/// A key of an object: its length, first bytes and `Str` node (the value node follows it).
#[derive(Clone, Copy, Debug)]
struct Key {
    head: u64,
    len: u32,
    node: u32,
}

struct Tape<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    nodes: Vec<Item>,
    unescaped: String,
    /// The keys of every closed object, each object's contiguous.
    keys: Vec<Key>,
    /// The keys of the open objects (a stack: the innermost object's keys on top).
    open_keys: Vec<Key>,
    /// Scratch for sorting one object's keys.
    sorted: Vec<Key>,
}

/// `Some((known, shape))` when [`parse_event`](super::parse_event) would accept `body` as an
/// envelope (not the legacy flat shape) with no warnings and JS-exact values; `None` when
/// unsure (the caller must then run the full parse).
pub fn fast_meta(body: &[u8], options: &ParseEventOptions) -> Option<(bool, EnvelopeShape)> {
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
        keys: Vec::with_capacity(body.len() / 16 + 4),
        open_keys: Vec::with_capacity(64),
        sorted: Vec::new(),
    };
    tape.parse()?;
    tape.ws();
    if tape.pos != body.len() {
        return None;
    }
    let root = 0;
    let Some(Item::Object { .. }) = tape.nodes.first() else {
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
    let Some(Item::Object { .. }) = tape.nodes.get(payload) else {
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
    let shape = if extra_root_keys && info.is_some_and(|i| i.form_root_copy) {
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

    /// The whole body as one value: an iterative parser with the position in a local (the
    /// per-token overhead dominates on webhook bodies, which are mostly short strings).
    fn parse(&mut self) -> Option<()> {
        struct Open {
            at: usize,
            keys_from: usize,
            object: bool,
        }
        let b = self.bytes;
        let mut stack: Vec<Open> = Vec::with_capacity(8);
        let mut pos = 0;
        'value: loop {
            pos = skip_ws(b, pos);
            let mut close_empty = false;
            match *b.get(pos)? {
                c @ (b'{' | b'[') => {
                    if stack.len() >= MAX_DEPTH {
                        return None;
                    }
                    let object = c == b'{';
                    let at = self.nodes.len();
                    self.nodes.push(if object {
                        Item::Object {
                            end: 0,
                            keys_at: 0,
                            count: 0,
                        }
                    } else {
                        Item::Array { end: 0 }
                    });
                    stack.push(Open {
                        at,
                        keys_from: self.open_keys.len(),
                        object,
                    });
                    pos = skip_ws(b, pos + 1);
                    let closer = if object { b'}' } else { b']' };
                    if b.get(pos) == Some(&closer) {
                        close_empty = true;
                    } else if object {
                        pos = self.key(pos)?;
                        continue 'value;
                    } else {
                        continue 'value;
                    }
                }
                b'"' => pos = self.string_at(pos)?,
                b'-' | b'0'..=b'9' => {
                    self.pos = pos;
                    let n = self.number()?;
                    pos = self.pos;
                    self.nodes.push(Item::Number(n));
                }
                b't' => pos = self.word(pos, b"true", Item::Bool)?,
                b'f' => pos = self.word(pos, b"false", Item::Bool)?,
                b'n' => pos = self.word(pos, b"null", Item::Null)?,
                _ => return None,
            }
            // A value is complete: continue or close the enclosing containers.
            loop {
                let Some(open) = stack.last() else {
                    self.pos = pos;
                    return Some(());
                };
                if !close_empty {
                    pos = skip_ws(b, pos);
                }
                close_empty = false;
                match (*b.get(pos)?, open.object) {
                    (b',', true) => {
                        pos = self.key(skip_ws(b, pos + 1))?;
                        continue 'value;
                    }
                    (b',', false) => {
                        pos += 1;
                        continue 'value;
                    }
                    (b'}', true) => {
                        pos += 1;
                        let (at, keys_from) = (open.at, open.keys_from);
                        stack.pop();
                        self.close_object(at, keys_from)?;
                    }
                    (b']', false) => {
                        pos += 1;
                        let at = open.at;
                        stack.pop();
                        let end = u32::try_from(self.nodes.len()).ok()?;
                        *self.nodes.get_mut(at)? = Item::Array { end };
                    }
                    _ => return None,
                }
            }
        }
    }

    /// `"key" :` at `pos`; returns the position after the colon.
    fn key(&mut self, pos: usize) -> Option<usize> {
        if self.bytes.get(pos) != Some(&b'"') {
            return None;
        }
        let node = self.nodes.len();
        let start = pos + 1;
        let end = crate::json::skip_plain(self.bytes, start);
        let (pos, head, len) = if self.bytes.get(end) == Some(&b'"') {
            // No escapes (the common case): the key is the input's bytes; its head can be read
            // from the input directly when eight bytes are available there.
            self.nodes.push(Item::Str {
                unescaped: false,
                start: start as u32,
                end: end as u32,
            });
            let len = end - start;
            let head = match self.bytes.get(start..).and_then(|r| r.first_chunk::<8>()) {
                Some(chunk) if len >= 8 => u64::from_le_bytes(*chunk),
                Some(chunk) => u64::from_le_bytes(*chunk) & ((1u64 << (8 * len)) - 1),
                None => head(self.text.get(start..end)?),
            };
            (end + 1, head, len)
        } else {
            let pos = self.string_at(pos)?;
            let key = self.as_str(node)?;
            (pos, head(key), key.len())
        };
        // Lengths and node indices are below the body's length, which fits in u32.
        self.open_keys.push(Key {
            head,
            len: len as u32,
            node: node as u32,
        });
        let pos = skip_ws(self.bytes, pos);
        (self.bytes.get(pos) == Some(&b':')).then_some(pos + 1)
    }

    /// A string at `pos` (the quote); returns the position after it.
    fn string_at(&mut self, pos: usize) -> Option<usize> {
        let start = pos + 1;
        let end = crate::json::skip_plain(self.bytes, start);
        if self.bytes.get(end) == Some(&b'"') {
            // Positions fit: fast_meta rejects bodies of u32::MAX bytes or more.
            self.nodes.push(Item::Str {
                unescaped: false,
                start: start as u32,
                end: end as u32,
            });
            return Some(end + 1);
        }
        self.pos = pos;
        self.string()?;
        Some(self.pos)
    }

    fn word(&mut self, pos: usize, word: &[u8], node: Item) -> Option<usize> {
        let end = pos + word.len();
        if self.bytes.get(pos..end)? != word {
            return None;
        }
        self.nodes.push(node);
        Some(end)
    }

    /// Close the object at node `at` whose keys start at `keys_from` in `open_keys`.
    fn close_object(&mut self, at: usize, keys_from: usize) -> Option<()> {
        if self.may_have_duplicates(keys_from) {
            return None;
        }
        let keys_at = u32::try_from(self.keys.len()).ok()?;
        let count = u32::try_from(self.open_keys.len() - keys_from).ok()?;
        self.keys
            .extend_from_slice(self.open_keys.get(keys_from..).unwrap_or_default());
        self.open_keys.truncate(keys_from);
        let end = u32::try_from(self.nodes.len()).ok()?;
        *self.nodes.get_mut(at)? = Item::Object {
            end,
            keys_at,
            count,
        };
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
            let node = Item::Str {
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
        let node = Item::Str {
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
            Some(Item::Array { end } | Item::Object { end, .. }) => *end as usize,
            _ => i + 1,
        }
    }

    fn as_str(&self, i: usize) -> Option<&str> {
        match self.nodes.get(i)? {
            Item::Str {
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

    /// The keys of the object at `object`.
    fn object_keys(&self, object: usize) -> &[Key] {
        match self.nodes.get(object) {
            Some(Item::Object { keys_at, count, .. }) => {
                let at = *keys_at as usize;
                self.keys.get(at..at + *count as usize).unwrap_or_default()
            }
            _ => &[],
        }
    }

    /// (key node, value node) of the object at `object`.
    fn entries(&self, object: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.object_keys(object)
            .iter()
            .map(|k| (k.node as usize, k.node as usize + 1))
    }

    fn keys(&self, object: usize) -> impl Iterator<Item = &str> {
        self.entries(object)
            .map(|(k, _)| self.as_str(k).unwrap_or_default())
    }

    /// True when `k` is the key `key` whose first bytes are `head`.
    fn is_key(&self, k: &Key, key: &str, head: u64) -> bool {
        k.len as usize == key.len()
            && k.head == head
            && (key.len() <= 8 || self.as_str(k.node as usize) == Some(key))
    }

    /// True when the keys `a` and `b` are equal.
    fn same_keys(&self, a: &Key, b: &Key) -> bool {
        a.len == b.len
            && a.head == b.head
            && (a.len <= 8 || self.as_str(a.node as usize) == self.as_str(b.node as usize))
    }

    /// The position in `keys` and the value node of `key`, searching from position `hint` and
    /// wrapping around.
    fn find(&self, keys: &[Key], key: &str, hint: usize) -> Option<(usize, usize)> {
        self.find_head(keys, key, head(key), hint)
    }

    /// [`Tape::find`] with the key's [`head`] already computed.
    fn find_head(&self, keys: &[Key], key: &str, h: u64, hint: usize) -> Option<(usize, usize)> {
        let hint = hint.min(keys.len());
        let (before, after) = keys.split_at(hint);
        let hit =
            |(i, k): (usize, &Key)| self.is_key(k, key, h).then_some((i, k.node as usize + 1));
        after
            .iter()
            .enumerate()
            .map(|(i, k)| (i + hint, k))
            .find_map(hit)
            .or_else(|| before.iter().enumerate().find_map(hit))
    }

    /// The value node of `key` (keys are unique: duplicates were rejected).
    fn get(&self, object: usize, key: &str) -> Option<usize> {
        self.find(self.object_keys(object), key, 0).map(|(_, v)| v)
    }

    /// True when two keys of the innermost open object (from `from` in `open_keys`) are equal,
    /// or it has too many keys.
    fn may_have_duplicates(&mut self, from: usize) -> bool {
        let keys = self.open_keys.get(from..).unwrap_or_default();
        match keys.len() {
            0 | 1 => false,
            n if n <= 16 => keys.iter().enumerate().any(|(i, a)| {
                keys.get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .any(|b| self.same_keys(a, b))
            }),
            n if n > MAX_KEYS => true,
            _ => {
                let mut sorted = std::mem::take(&mut self.sorted);
                sorted.clear();
                sorted.extend_from_slice(keys);
                sorted.sort_unstable_by_key(|k| (k.len, k.head));
                // Equal keys sort next to each other or within a run of equal (len, head).
                let dup = sorted.iter().enumerate().any(|(i, a)| {
                    sorted
                        .get(i + 1..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|b| b.len == a.len && b.head == a.head)
                        .any(|b| self.same_keys(a, b))
                });
                self.sorted = sorted;
                dup
            }
        }
    }

    fn is_null(&self, i: usize) -> bool {
        matches!(self.nodes.get(i), Some(Item::Null))
    }

    /// True when every field passes (the rules of `validate::validate_fields`).
    fn fields_ok<'f>(&self, fields: impl Iterator<Item = &'f Field>, object: usize) -> bool {
        let keys = self.object_keys(object);
        // Most optional fields are absent: a small Bloom filter of the object's keys answers
        // "absent" for most of them without scanning every key.
        let mut bloom = [0u64; 4];
        for k in keys {
            bloom_add(&mut bloom, k.len, k.head);
        }
        // Fields and keys mostly come in the same order: search from after the last hit.
        let mut hint = 0;
        for field in fields {
            let h = head(field.name);
            let found = if bloom_has(&bloom, field.name.len() as u32, h) {
                self.find_head(keys, field.name, h, hint)
            } else {
                None
            };
            let value = found.map(|(i, v)| {
                hint = i + 1;
                v
            });
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
            // The reference's form gives a warning: leave it to the full parser.
            Ty::Either(alt) => self.value_ok(&alt.sender, i),
            Ty::Nullable(inner) => self.is_null(i) || self.value_ok(inner, i),
            Ty::String | Ty::DateTime | Ty::Email | Ty::Url | Ty::Enum(_) => {
                let Some(s) = self.as_str(i) else {
                    return false;
                };
                match ty {
                    Ty::DateTime => is_date_time(s),
                    Ty::Email => email_ok(s),
                    Ty::Url => url_ok(s),
                    Ty::Enum(values) => values.contains(&s),
                    _ => true,
                }
            }
            Ty::Number | Ty::Integer => match self.nodes.get(i) {
                Some(Item::Number(n)) => {
                    n.is_finite() && (!matches!(ty, Ty::Integer) || n.fract() == 0.0)
                }
                _ => false,
            },
            Ty::Bool => matches!(self.nodes.get(i), Some(Item::Bool)),
            Ty::Object(fields) => match self.nodes.get(i) {
                Some(Item::Object { .. }) => self.fields_ok(fields.iter(), i),
                _ => false,
            },
            Ty::Map(inner) => match self.nodes.get(i) {
                Some(Item::Object { .. }) => self.entries(i).all(|(_, v)| {
                    (self.is_null(v) && !accepts_null(inner)) || self.value_ok(inner, v)
                }),
                _ => false,
            },
            Ty::Array(inner) => match self.nodes.get(i) {
                Some(Item::Array { end }) => {
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

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

/// The bit of a key (its length and [`head`]) in a 256-bit Bloom filter.
fn bloom_bit(len: u32, head: u64) -> (usize, u64) {
    let x = (head ^ u64::from(len)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56;
    ((x >> 6) as usize, 1u64 << (x & 63))
}

fn bloom_add(bloom: &mut [u64; 4], len: u32, head: u64) {
    let (word, bit) = bloom_bit(len, head);
    if let Some(w) = bloom.get_mut(word) {
        *w |= bit;
    }
}

fn bloom_has(bloom: &[u64; 4], len: u32, head: u64) -> bool {
    let (word, bit) = bloom_bit(len, head);
    bloom.get(word).is_some_and(|w| w & bit != 0)
}

/// The first eight bytes of a key, zero-padded.
fn head(key: &str) -> u64 {
    match key.as_bytes().first_chunk::<8>() {
        Some(chunk) => u64::from_le_bytes(*chunk),
        None => key.bytes().rev().fold(0u64, |w, b| w << 8 | u64::from(b)),
    }
}

/// [`is_email`] (ASCII strings checked bytewise).
fn email_ok(s: &str) -> bool {
    if !s.is_ascii() {
        return is_email(s);
    }
    let mut at = None;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'@' if at.is_some() => return false,
            b'@' => at = Some(i),
            b' ' | b'\t'..=b'\r' => return false,
            _ => {}
        }
    }
    at.is_some_and(|i| i > 0 && i + 1 < s.len())
}

/// [`is_url`] (ASCII strings checked bytewise).
fn url_ok(s: &str) -> bool {
    if !s.is_ascii() {
        return is_url(s);
    }
    let bytes = s.as_bytes();
    let Some(colon) = bytes.iter().position(|&b| b == b':') else {
        return false;
    };
    let scheme = bytes.get(..colon).unwrap_or_default();
    scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        && colon + 1 < bytes.len()
        && !bytes.iter().any(|&b| b <= b' ' || b == 0x7f)
}

fn accepts_null(ty: &Ty) -> bool {
    matches!(ty.resolve(), Ty::Nullable(_) | Ty::Any)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytewise_formats_agree() {
        let cases = [
            "",
            "@",
            "a@",
            "@b",
            "a@b",
            "a@@b",
            "a@b@c",
            "a b@c",
            "a@b\t",
            "a\u{1}@b",
            "é@b",
            "a@b\u{85}",
            "a@b\u{a0}",
            "https://x.test/a",
            "mailto:x@y",
            "/relative",
            "x:",
            ":x",
            "1http://x",
            "h+t.-p:x",
            "h_t:x",
            "https://x y",
            "https://x\u{7f}",
            "https://x\u{1}",
            "https://é",
            "https://x\u{2028}",
            "a:b:c",
            "A:1",
        ];
        for s in cases {
            assert_eq!(email_ok(s), is_email(s), "email {s:?}");
            assert_eq!(url_ok(s), is_url(s), "url {s:?}");
        }
    }

    #[test]
    fn heads_and_keys() {
        assert_eq!(head(""), 0);
        assert_ne!(head("a"), head("b"));
        assert_eq!(head("abcdefgh"), head("abcdefghij"));
    }
}
