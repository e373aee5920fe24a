//! The fast path of `parseEvent` for the common case: a well-formed envelope body with no
//! issue at all.
//!
//! [`parse_event`](super::parse_event) builds a [`Value`](crate::json::Value) tree (one
//! allocation per string, array and object) and then validates it, building messages for
//! issues. When the caller already has the body's values (JS runs its own `JSON.parse`) and only
//! needs the verdict, that tree is waste. [`fast_meta`] makes one pass over the bytes driven by
//! the trigger's shape: each key is matched to its field through a precomputed hash table
//! ([`super::fields`]), each value is checked against the field's type as it is read, strings
//! are skipped eight bytes at a time up to a quote or backslash, and nothing is allocated per
//! field (the few scratch buffers are reused across calls). It answers only "valid envelope,
//! nothing to report" or "don't know". On any doubt (a syntax error, a duplicate key, a lone
//! surrogate escape, `-0`, an out-of-range number, deep nesting, an escaped key, a missing
//! field, a wrong type, the legacy flat shape, a replay-window failure...) it answers `None` and
//! the caller runs the full [`parse_event`](super::parse_event), which produces the exact
//! error, issues and warnings.
//!
//! So when it answers `Some`, `parse_event` would have returned an [`Event`](super::Event) with
//! that `known` and `shape`, no warnings, and values that JS `JSON.parse` of the body reproduces
//! exactly; `tests/event_fast_path.rs` checks that agreement on every fixture, many mutations
//! and random edits.

use super::fields::{
    accepts_null, object_table, same_bytes, shape_table, Entry, KeyParts, Table, MAX_FIELDS,
};
use super::parse::{check_window, EnvelopeShape, ParseEventOptions};
use super::shape::{is_date_time, is_email, is_url, Shape, Ty};
use super::trigger::{trigger, TriggerInfo};
use crate::json::{parse_f64, skip_plain};
use std::cell::RefCell;

/// Nesting beyond this is left to the full parser (Cal.com payloads nest a few levels).
const MAX_DEPTH: usize = 64;

/// Scratch buffers grown past this many entries are released after the call.
const KEEP_ENTRIES: usize = 4096;

/// A key of an object that is not one of its type's fields: kept until the object closes, to
/// find duplicates.
#[derive(Clone, Copy)]
struct Key {
    hash: u64,
    start: u32,
    len: u32,
}

/// A key just read: where it is, its parts and their hash.
struct ReadKey {
    key: Key,
    parts: KeyParts,
}

/// Buffers reused across calls, so that a call allocates nothing once they have grown.
#[derive(Default)]
struct Scratch {
    /// Unmatched keys of the open objects (each object's contiguous, innermost on top).
    keys: Vec<Key>,
    /// An escaped string's content, when its type needs the content.
    decoded: String,
    /// Scratch for finding duplicates among many keys.
    sorted: Vec<(u64, u32)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// `Some((known, shape))` when [`parse_event`](super::parse_event) would accept `body` as an
/// envelope (not the legacy flat shape) with no warnings and JS-exact values; `None` when
/// unsure (the caller must then run the full parse).
pub fn fast_meta(body: &[u8], options: &ParseEventOptions) -> Option<(bool, EnvelopeShape)> {
    std::str::from_utf8(body).ok()?;
    fast_meta_utf8(body, options)
}

/// [`fast_meta`] of a body known to be UTF-8 (written by `TextEncoder` from a string), so
/// that the whole-body UTF-8 check is skipped. On other bytes the answer may be `Some` for a
/// body that is not UTF-8: call [`fast_meta`] for bytes from elsewhere.
pub fn fast_meta_utf8(body: &[u8], options: &ParseEventOptions) -> Option<(bool, EnvelopeShape)> {
    if body.len() > options.max_bytes || body.len() >= u32::MAX as usize {
        return None;
    }
    SCRATCH.with_borrow_mut(|scratch| {
        scratch.keys.clear();
        let out = Scanner {
            b: body,
            pos: 0,
            s: scratch,
        }
        .envelope(options);
        if scratch.keys.capacity() > KEEP_ENTRIES || scratch.sorted.capacity() > KEEP_ENTRIES {
            *scratch = Scratch::default();
        }
        out
    })
}

/// What the root object said, read as it goes by.
#[derive(Default)]
struct Root {
    trigger: Option<Option<&'static TriggerInfo>>,
    form: bool,
    created_at: bool,
    /// Where the payload starts, and whether it was checked against the trigger's shape.
    payload: Option<(usize, bool)>,
    extra_keys: bool,
}

struct Scanner<'a, 's> {
    b: &'a [u8],
    pos: usize,
    s: &'s mut Scratch,
}

impl Scanner<'_, '_> {
    /// The whole body: `{triggerEvent, createdAt, payload, ...}`.
    fn envelope(&mut self, options: &ParseEventOptions) -> Option<(bool, EnvelopeShape)> {
        self.ws();
        self.expect(b'{')?;
        let keys_from = self.s.keys.len();
        let mut root = Root::default();
        self.ws();
        loop {
            let key = self.key()?.key;
            let name = self
                .b
                .get(key.start as usize..(key.start + key.len) as usize)?;
            match name {
                b"triggerEvent" if root.trigger.is_none() => {
                    self.ws();
                    self.expect(b'"')?;
                    let info = trigger(self.string_text()?);
                    let form = info.is_some_and(|i| i.form_root_copy);
                    if info.is_none() && options.strict {
                        return None;
                    }
                    root.trigger = Some(info);
                    root.form = form;
                }
                b"createdAt" if !root.created_at => {
                    self.ws();
                    self.expect(b'"')?;
                    let s = self.string_text()?;
                    if !(is_date_time(s) && check_window(s, options).is_ok()) {
                        return None;
                    }
                    root.created_at = true;
                }
                b"payload" if root.payload.is_none() => {
                    self.ws();
                    let at = self.pos;
                    let shape = root.trigger.flatten().map(|info| info.shape);
                    self.payload(shape)?;
                    root.payload = Some((at, shape.is_some()));
                }
                b"triggerEvent" | b"createdAt" | b"payload" => return None,
                _ => {
                    root.extra_keys = true;
                    self.s.keys.push(key);
                    self.any(1)?;
                }
            }
            if self.next_entry(b'}')? {
                break;
            }
        }
        self.duplicates(keys_from)?;
        self.ws();
        if self.pos != self.b.len() {
            return None;
        }
        let (Some(info), true, Some((at, checked))) = (root.trigger, root.created_at, root.payload)
        else {
            return None;
        };
        if let (Some(info), false) = (info, checked) {
            // The payload came before `triggerEvent`: check it again, now that its shape is known.
            self.pos = at;
            self.payload(Some(info.shape))?;
        }
        let shape = if root.form && root.extra_keys {
            EnvelopeShape::FormRootCopy
        } else {
            EnvelopeShape::Envelope
        };
        Some((info.is_some(), shape))
    }

    /// The payload object at `pos`: against `shape`, or any object when the trigger is unknown
    /// (or not read yet).
    fn payload(&mut self, shape: Option<&'static Shape>) -> Option<()> {
        self.expect(b'{')?;
        match shape {
            Some(shape) => self.object(shape_table(shape), 2),
            None => self.any_object(2),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek() == Some(c)).then(|| self.pos += 1)
    }

    fn word(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        (self.b.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    /// After a value in an object or array: `,` (then `Some(false)`, at the next entry) or
    /// `close` (then `Some(true)`, after it).
    fn next_entry(&mut self, close: u8) -> Option<bool> {
        self.ws();
        match self.peek()? {
            b',' => {
                self.pos += 1;
                self.ws();
                Some(false)
            }
            c if c == close => {
                self.pos += 1;
                Some(true)
            }
            _ => None,
        }
    }

    /// `"key" :` at `pos`; an escaped key is left to the full parser.
    fn key(&mut self) -> Option<ReadKey> {
        self.expect(b'"')?;
        let start = self.pos;
        let end = skip_plain(self.b, start);
        if self.b.get(end) != Some(&b'"') {
            return None;
        }
        let parts = KeyParts::of(self.b, start, end);
        self.pos = end + 1;
        self.colon()?;
        // Positions fit: fast_meta rejects bodies of u32::MAX bytes or more.
        Some(ReadKey {
            key: Key {
                hash: parts.hash(),
                start: start as u32,
                len: (end - start) as u32,
            },
            parts,
        })
    }

    /// The `:` after a key.
    fn colon(&mut self) -> Option<()> {
        if self.expect(b':').is_none() {
            self.ws();
            self.expect(b':')?;
        }
        Some(())
    }

    /// The rest of a string after its opening quote, validated (escapes, no raw control
    /// characters, no lone surrogate); returns its raw content's range and whether it has escapes.
    fn string(&mut self) -> Option<(usize, usize, bool)> {
        let start = self.pos;
        let mut p = skip_plain(self.b, start);
        if self.b.get(p) == Some(&b'"') {
            self.pos = p + 1;
            return Some((start, p, false));
        }
        loop {
            match *self.b.get(p)? {
                b'"' => break,
                b'\\' => p = escape(self.b, p + 1, None)?,
                _ => return None, // a raw control character
            }
            p = skip_plain(self.b, p);
        }
        self.pos = p + 1;
        Some((start, p, true))
    }

    /// The string after the opening quote at `pos`: its content, unescaped (into the scratch
    /// buffer when it has escapes). Not generic: one copy for `triggerEvent` and `createdAt`.
    fn string_text(&mut self) -> Option<&str> {
        let (start, end, escaped) = self.string()?;
        if !escaped {
            return utf8(self.b, start, end);
        }
        let out = &mut self.s.decoded;
        out.clear();
        unescape(self.b, start, end, out)?;
        Some(out)
    }

    /// A number as the full parser reads it; `None` for `-0` and out-of-range values too
    /// (their event JSON text would not round-trip).
    fn number(&mut self) -> Option<f64> {
        let b = self.b;
        let start = self.pos;
        let mut p = start + usize::from(b.get(start) == Some(&b'-'));
        let int_start = p;
        match *b.get(p)? {
            b'0' => p += 1,
            b'1'..=b'9' => p = digits(b, p + 1),
            _ => return None,
        }
        let int_end = p;
        if b.get(p) == Some(&b'.') {
            let from = p + 1;
            p = digits(b, from);
            if p == from {
                return None;
            }
        }
        if let Some(b'e' | b'E') = b.get(p) {
            p += 1;
            if let Some(b'+' | b'-') = b.get(p) {
                p += 1;
            }
            let from = p;
            p = digits(b, from);
            if p == from {
                return None;
            }
        }
        self.pos = p;
        let n = if int_end == p && int_end - int_start <= 15 {
            let n = b
                .get(int_start..int_end)?
                .iter()
                .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0')) as f64;
            if int_start > start {
                -n
            } else {
                n
            }
        } else {
            parse_f64(utf8(b, start, p)?)?
        };
        if (n == 0.0 && n.is_sign_negative()) || !n.is_finite() {
            return None;
        }
        Some(n)
    }

    /// A number checked as [`Self::number`] reads it (an integer when `integer`), without its
    /// value for the common short integer (no fraction or exponent, at most 15 digits: finite
    /// and exact; `-0` is left out).
    #[inline(always)]
    fn number_ok(&mut self, integer: bool) -> Option<()> {
        let b = self.b;
        let start = self.pos;
        let negative = b.get(start) == Some(&b'-');
        let int_start = start + usize::from(negative);
        let p = match *b.get(int_start)? {
            b'0' if !negative => int_start + 1,
            b'1'..=b'9' => digits(b, int_start + 1),
            _ => return self.number_slow(integer),
        };
        if p - int_start > 15 || matches!(b.get(p), Some(b'.' | b'e' | b'E')) {
            return self.number_slow(integer);
        }
        self.pos = p;
        Some(())
    }

    #[inline(never)]
    fn number_slow(&mut self, integer: bool) -> Option<()> {
        let n = self.number()?;
        (!integer || n.fract() == 0.0).then_some(())
    }

    /// Any JSON value at `pos` (after whitespace), at nesting `depth`.
    fn any(&mut self, depth: usize) -> Option<()> {
        self.ws();
        let c = self.peek()?;
        self.any_at(c, depth)
    }

    /// Any JSON value at `pos`, whose first byte is `c`.
    fn any_at(&mut self, c: u8, depth: usize) -> Option<()> {
        match c {
            b'"' => {
                self.pos += 1;
                self.skip_string()
            }
            b'{' => {
                self.pos += 1;
                self.any_object(depth + 1)
            }
            b'[' => {
                self.pos += 1;
                self.any_array(depth + 1)
            }
            b'-' | b'0'..=b'9' => self.number_ok(false),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            _ => None,
        }
    }

    /// The rest of a string after its opening quote, validated; the common case (no escape)
    /// inline.
    #[inline(always)]
    fn skip_string(&mut self) -> Option<()> {
        let end = skip_plain(self.b, self.pos);
        if self.b.get(end) == Some(&b'"') {
            self.pos = end + 1;
            return Some(());
        }
        self.string().map(drop)
    }

    /// The rest of an object after `{`, with any values.
    fn any_object(&mut self, depth: usize) -> Option<()> {
        self.map(&Ty::Any, depth, None)
    }

    /// The rest of an array after `[`, with any values.
    fn any_array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        if self.expect(b']').is_some() {
            return Some(());
        }
        loop {
            self.any(depth)?;
            if self.next_entry(b']')? {
                return Some(());
            }
        }
    }

    /// The value at `pos`, whose first byte is `c` (after whitespace), checked against `ty`
    /// (the rules of `validate::check_value`, answering only pass or fail).
    ///
    /// `table` is the table of the first object type inside `ty` when the caller has it (see
    /// [`Table::child`]), saving its lookup.
    fn value_at(
        &mut self,
        c: u8,
        ty: &'static Ty,
        depth: usize,
        table: Option<&'static Table>,
    ) -> Option<()> {
        match ty {
            Ty::String => {
                if c != b'"' {
                    return None;
                }
                self.pos += 1;
                self.skip_string()
            }
            Ty::Any => self.any_at(c, depth),
            Ty::Named(..) | Ty::Either(_) => self.value_at(c, ty.resolve(), depth, table),
            Ty::Nullable(inner) => {
                if c == b'n' {
                    self.word(b"null")
                } else {
                    self.value_at(c, inner, depth, table)
                }
            }
            Ty::DateTime | Ty::Email | Ty::Url | Ty::Enum(_) => {
                if c != b'"' {
                    return None;
                }
                self.pos += 1;
                self.formatted(ty)
            }
            Ty::Number | Ty::Integer => {
                if !matches!(c, b'-' | b'0'..=b'9') {
                    return None;
                }
                self.number_ok(matches!(ty, Ty::Integer))
            }
            Ty::Bool => match c {
                b't' => self.word(b"true"),
                b'f' => self.word(b"false"),
                _ => None,
            },
            Ty::Object(fields) => {
                if c != b'{' {
                    return None;
                }
                self.pos += 1;
                let table = table.unwrap_or_else(|| object_table(fields));
                self.object(table, depth + 1)
            }
            Ty::Map(inner) => {
                if c != b'{' {
                    return None;
                }
                self.pos += 1;
                self.map(inner, depth + 1, table)
            }
            Ty::Array(inner) => {
                if c != b'[' {
                    return None;
                }
                self.pos += 1;
                self.array(inner, depth + 1, table)
            }
        }
    }

    /// The rest of a string of a format type (after its opening quote), checked: on the raw
    /// bytes when it has no escape (no UTF-8 decoding for enums and ASCII emails).
    #[inline(never)]
    fn formatted(&mut self, ty: &'static Ty) -> Option<()> {
        let (start, end, escaped) = self.string()?;
        let ok = if escaped {
            let mut out = std::mem::take(&mut self.s.decoded);
            out.clear();
            let ok = unescape(self.b, start, end, &mut out).map(|()| format_ok(ty, &out));
            self.s.decoded = out;
            ok?
        } else {
            let raw = self.b.get(start..end)?;
            match ty {
                // Equal bytes to a listed value are that (UTF-8) value.
                Ty::Enum(values) => values.iter().any(|v| same_bytes(v.as_bytes(), raw)),
                Ty::Email => match email_raw(raw) {
                    Some(ok) => ok,
                    None => is_email(utf8(self.b, start, end)?),
                },
                _ => format_ok(ty, utf8(self.b, start, end)?),
            }
        };
        ok.then_some(())
    }

    /// The rest of an object after `{`, checked against the fields of `table`: every key is
    /// looked up once; unknown keys take any value.
    fn object(&mut self, table: &'static Table, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH || table.ambiguous {
            return None;
        }
        // One bit per field (tables have at most MAX_FIELDS fields).
        let mut seen = [0u64; MAX_FIELDS / 64];
        let keys_from = self.s.keys.len();
        self.ws();
        let mut c = self.peek()?;
        if c == b'}' {
            self.pos += 1;
        } else {
            let mut prev = None;
            loop {
                if c != b'"' {
                    return None;
                }
                let found = match table.predicted(prev, self.b, self.pos) {
                    Some(entry) => {
                        self.pos += entry.name_len + 3;
                        Some(entry)
                    }
                    None => self.unpredicted_key(table, prev)?,
                };
                self.ws();
                let v = self.peek()?;
                match found {
                    Some(entry) => {
                        let i = entry.index;
                        let (word, bit) = (&mut seen[(i / 64) % (MAX_FIELDS / 64)], 1 << (i % 64));
                        if *word & bit != 0 {
                            return None; // a duplicate key
                        }
                        *word |= bit;
                        prev = Some(entry);
                        if v == b'n' && !entry.null_ok {
                            // `null` passes for optional fields only.
                            if entry.required {
                                return None;
                            }
                            self.word(b"null")?;
                        } else {
                            // The commonest field types without the call to value_at.
                            match (entry.ty, v) {
                                (Ty::String, b'"') => {
                                    self.pos += 1;
                                    self.skip_string()?;
                                }
                                (Ty::DateTime | Ty::Email | Ty::Url | Ty::Enum(_), b'"') => {
                                    self.pos += 1;
                                    self.formatted(entry.ty)?;
                                }
                                (Ty::Object(_), b'{') => {
                                    self.pos += 1;
                                    self.object(entry.child()?, depth + 1)?;
                                }
                                (Ty::Integer, b'-' | b'0'..=b'9') => self.number_ok(true)?,
                                (Ty::Number, b'-' | b'0'..=b'9') => self.number_ok(false)?,
                                (Ty::Bool, b't') => self.word(b"true")?,
                                (Ty::Bool, b'f') => self.word(b"false")?,
                                (Ty::Any, _) => self.any_at(v, depth)?,
                                _ => self.value_at(v, entry.ty, depth, entry.child())?,
                            }
                        }
                    }
                    None => self.any_at(v, depth)?,
                }
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        self.ws();
                        c = self.peek()?;
                    }
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        if seen.iter().zip(&table.required).any(|(s, r)| s & r != *r) {
            return None; // a required field is missing
        }
        // Fields are told apart by `seen`; only unmatched keys can repeat unseen.
        if self.s.keys.len() > keys_from + 1 {
            return self.duplicates(keys_from);
        }
        self.s.keys.truncate(keys_from);
        Some(())
    }

    /// A key that was not the predicted one: looked up in `table` (and learnt as following
    /// `prev`), or kept with the object's unmatched keys when it is not a field.
    #[inline(never)]
    fn unpredicted_key(
        &mut self,
        table: &'static Table,
        prev: Option<&'static Entry>,
    ) -> Option<Option<&'static Entry>> {
        let ReadKey { key, parts } = self.key()?;
        let name = self
            .b
            .get(key.start as usize..(key.start + key.len) as usize)?;
        match table.find(name, &parts, key.hash) {
            Some(i) => {
                table.learn(prev, i);
                Some(Some(table.entries.get(i)?))
            }
            None => {
                self.s.keys.push(key);
                Some(None)
            }
        }
    }

    /// The rest of an object after `{` used as a dictionary: every value `null` or of `inner`.
    fn map(
        &mut self,
        inner: &'static Ty,
        depth: usize,
        table: Option<&'static Table>,
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let inner = inner.resolve();
        let keys_from = self.s.keys.len();
        let null_ok = accepts_null(inner);
        self.ws();
        if self.expect(b'}').is_none() {
            loop {
                let key = self.key()?.key;
                self.s.keys.push(key);
                self.ws();
                let c = self.peek()?;
                match (inner, c, table) {
                    (_, b'n', _) if !null_ok => self.word(b"null")?, // an unset entry, as optional fields
                    (Ty::Object(_), b'{', Some(table)) => {
                        self.pos += 1;
                        self.object(table, depth + 1)?;
                    }
                    _ => self.value_at(c, inner, depth, table)?,
                }
                if self.next_entry(b'}')? {
                    break;
                }
            }
        }
        self.duplicates(keys_from)
    }

    /// The rest of an array after `[`: every item of `inner` (`null` only when it takes it).
    fn array(
        &mut self,
        inner: &'static Ty,
        depth: usize,
        table: Option<&'static Table>,
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let inner = inner.resolve();
        let null_ok = accepts_null(inner);
        // Items of an object type share one table: look it up once.
        let items = match inner {
            Ty::Object(fields) => Some(table.unwrap_or_else(|| object_table(fields))),
            _ => None,
        };
        self.ws();
        if self.expect(b']').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            match (self.peek()?, items) {
                (b'n', _) if !null_ok => return None,
                (b'{', Some(items)) => {
                    self.pos += 1;
                    self.object(items, depth + 1)?;
                }
                (c, _) => self.value_at(c, inner, depth, table)?,
            }
            if self.next_entry(b']')? {
                return Some(());
            }
        }
    }

    /// `None` when two of the unmatched keys from `from` are equal (JSON.parse keeps the last
    /// value and the full parser warns); drops them from the stack.
    fn duplicates(&mut self, from: usize) -> Option<()> {
        let keys = self.s.keys.get(from..)?;
        let same = |a: &Key, b: &Key| {
            a.hash == b.hash
                && a.len == b.len
                && self.b.get(a.start as usize..(a.start + a.len) as usize)
                    == self.b.get(b.start as usize..(b.start + b.len) as usize)
        };
        let dup = match keys.len() {
            0 | 1 => false,
            // Equal keys have equal hashes: when no two hashes share their top two bytes, no two
            // keys are equal (the common case, in one pass; else the exact check below).
            n if n <= 128 && distinct_top_bytes(keys) => false,
            // Else (rare: many keys, or two hashes alike in their top bytes) sorted by hash.
            _ => {
                let sorted = &mut self.s.sorted;
                sorted.clear();
                sorted.extend(keys.iter().enumerate().map(|(i, k)| (k.hash, i as u32)));
                crate::json::sort_pairs(sorted);
                // Equal keys have equal hashes: they sort within one run of equal hashes.
                sorted.iter().enumerate().any(|(i, &(h, a))| {
                    sorted
                        .get(i + 1..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|(h2, _)| *h2 == h)
                        .any(
                            |&(_, b)| match (keys.get(a as usize), keys.get(b as usize)) {
                                (Some(a), Some(b)) => same(a, b),
                                _ => true,
                            },
                        )
                })
            }
        };
        self.s.keys.truncate(from);
        (!dup).then_some(())
    }
}

/// Whether no two hashes of `keys` share both their top byte and the next (two 256-bit sets
/// of them: a key whose bytes are both already set may equal an earlier key).
fn distinct_top_bytes(keys: &[Key]) -> bool {
    let mut set = [[0u64; 4]; 2];
    for k in keys {
        let mut seen = true;
        for (set, byte) in set.iter_mut().zip([k.hash >> 56, (k.hash >> 48) & 0xff]) {
            let (word, bit) = (&mut set[(byte >> 6) as usize & 3], 1u64 << (byte & 63));
            seen &= *word & bit != 0;
            *word |= bit;
        }
        if seen {
            return false;
        }
    }
    true
}

fn digits(b: &[u8], mut p: usize) -> usize {
    while let Some(b'0'..=b'9') = b.get(p) {
        p += 1;
    }
    p
}

fn hex4(b: &[u8], p: usize) -> Option<u32> {
    b.get(p..p + 4)?
        .iter()
        .try_fold(0u32, |unit, &d| Some(unit * 16 + (d as char).to_digit(16)?))
}

/// The escape after a backslash at `p`: its end, pushing the character to `out` when given.
/// `None` for an invalid escape and for a lone surrogate (the full parser makes it U+FFFD,
/// which JS does not).
fn escape(b: &[u8], p: usize, out: Option<&mut String>) -> Option<usize> {
    let (c, end) = match *b.get(p)? {
        b'"' => ('"', p + 1),
        b'\\' => ('\\', p + 1),
        b'/' => ('/', p + 1),
        b'b' => ('\u{8}', p + 1),
        b'f' => ('\u{c}', p + 1),
        b'n' => ('\n', p + 1),
        b'r' => ('\r', p + 1),
        b't' => ('\t', p + 1),
        b'u' => {
            let unit = hex4(b, p + 1)?;
            if (0xD800..0xDC00).contains(&unit) {
                if b.get(p + 5..p + 7)? != b"\\u" {
                    return None;
                }
                let low = hex4(b, p + 7)?;
                if !(0xDC00..0xE000).contains(&low) {
                    return None;
                }
                let c = char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?;
                (c, p + 11)
            } else {
                (char::from_u32(unit)?, p + 5)
            }
        }
        _ => return None,
    };
    if let Some(out) = out {
        out.push(c);
    }
    Some(end)
}

/// The content of the validated string literal `start..end` (raw, between the quotes) into `out`.
fn unescape(b: &[u8], start: usize, end: usize, out: &mut String) -> Option<()> {
    let mut p = start;
    while p < end {
        let run = skip_plain(b, p).min(end);
        // Runs stop at ASCII bytes only, so both ends are char boundaries.
        out.push_str(utf8(b, p, run)?);
        p = run;
        if p < end {
            p = escape(b, p + 1, Some(out))?;
        }
    }
    Some(())
}

/// `b[start..end]` as text (the few strings whose content is checked are validated one by one:
/// [`fast_meta_utf8`] skips the whole-body check).
fn utf8(b: &[u8], start: usize, end: usize) -> Option<&str> {
    std::str::from_utf8(b.get(start..end)?).ok()
}

/// Whether `s` is of the format type `ty` (a string of any other type passes).
fn format_ok(ty: &Ty, s: &str) -> bool {
    match ty {
        Ty::DateTime => is_date_time(s),
        Ty::Email => email_ok(s),
        Ty::Url => url_ok(s),
        Ty::Enum(values) => values.contains(&s),
        _ => true,
    }
}

/// [`is_email`] of raw bytes, eight at a time: one `@` with bytes on both sides, no
/// whitespace. `None` when a byte is not ASCII (the `str` check then decides).
fn email_raw(s: &[u8]) -> Option<bool> {
    let mut email = EmailScan {
        ats: 0,
        first_at: 0,
    };
    let mut i = 0;
    while let Some(chunk) = s.get(i..).and_then(|r| r.first_chunk::<8>()) {
        if !email.word(u64::from_le_bytes(*chunk), u64::MAX, i)? {
            return Some(false);
        }
        i += 8;
    }
    let rest = s.len() - i;
    if rest > 0 {
        match s
            .len()
            .checked_sub(8)
            .and_then(|at| Some((at, s.get(at..)?.first_chunk::<8>()?)))
        {
            // The last eight bytes, the ones already scanned masked off.
            Some((at, last)) => {
                if !email.word(u64::from_le_bytes(*last), u64::MAX << (8 * (8 - rest)), at)? {
                    return Some(false);
                }
            }
            None => {
                let mut word = [0u8; 8];
                word.get_mut(..rest)?.copy_from_slice(s.get(i..)?);
                if !email.word(u64::from_le_bytes(word), (1u64 << (8 * rest)) - 1, i)? {
                    return Some(false);
                }
            }
        }
    }
    Some(email.ats == 1 && email.first_at > 0 && email.first_at + 1 < s.len())
}

/// What [`email_raw`] has seen so far: how many `@` and where the first is.
struct EmailScan {
    ats: u32,
    first_at: usize,
}

impl EmailScan {
    /// The bytes of `v` selected by `mask` (whole bytes), at `offset` in the email: `None` on a
    /// non-ASCII byte, `Some(false)` on whitespace, else `Some(true)` with the `@` counted.
    fn word(&mut self, v: u64, mask: u64, offset: usize) -> Option<bool> {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        let v = v & mask;
        if v & HIGH != 0 {
            return None;
        }
        // ASCII bytes: these sums and differences carry or borrow within each byte only, so
        // the flags are exact. A byte's high bit ends set when the byte is `@` / below 0x21.
        let at = !((v ^ (ONES * u64::from(b'@'))) + LOW) & HIGH & mask;
        let low = !((v | HIGH) - ONES * 0x21) & HIGH & mask;
        if low != 0 {
            // Space, or a control byte (of which only \t..\r are whitespace).
            let bytes = v.to_le_bytes();
            let flagged = (0..8).filter(|i| low >> (8 * i + 7) & 1 != 0);
            if flagged
                .filter_map(|i| bytes.get(i))
                .any(|b| matches!(b, b' ' | b'\t'..=b'\r'))
            {
                return Some(false);
            }
        }
        if at != 0 {
            if self.ats == 0 {
                self.first_at = offset + (at.trailing_zeros() / 8) as usize;
            }
            self.ats += at.count_ones();
        }
        Some(true)
    }
}

/// [`is_email`] (ASCII strings checked eight bytes at a time).
fn email_ok(s: &str) -> bool {
    email_raw(s.as_bytes()).unwrap_or_else(|| is_email(s))
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
            // Longer than a word: the eight-byte scan of email_raw.
            "john.doe@example.com",
            "john.doe.smith@example.com",
            "abcdefgh@",
            "@abcdefghijklmnop",
            "abcdefghijklmno@p",
            "abcdefgh@ijklmnop@q",
            "abcdefghijklmnopq@r@",
            "abcdefgh ijklmn@op",
            "abcdefghijklmn@o\u{b}",
            "abcdefghijklmnopqrstuvw\u{c}@x",
            "abcdefgh\tijklmnop@x",
            "abcdefgh~ijklmnop@x",
            "abcdefghij\u{1}@example.com",
            "abcdefghij@example.co\u{8}",
            "abcdefghi@",
            "abcdefghi@@",
            "@abcdefghi",
            "abcdefghijklmnop",
            "abcdefg@hijklmnopqrstuvwxyz",
            "abcdefghijklmnopqrstuvwxyz@a",
            "abcdefghijklmnopqrstuvwxyz@a@",
            "abcdefg@",
            "abcdefgh@i",
            "abcdefghijklmno@",
            "abcdefghijklmnop@",
            "a@bcdefghijklmnopqrstuvwxyz\r",
        ];
        for s in cases {
            assert_eq!(email_ok(s), is_email(s), "email {s:?}");
            assert_eq!(url_ok(s), is_url(s), "url {s:?}");
        }
    }

    #[test]
    fn word_scans_of_emails_agree() {
        // Every string of up to six of these characters, then longer ones from a fixed
        // pseudo-random sequence: `@`, whitespace, a control that is not whitespace and a
        // non-ASCII character at every offset of the eight-byte words and of the last word.
        const ALPHABET: [char; 7] = ['a', '@', ' ', '\t', '\u{1}', '\u{b}', 'é'];
        let mut cases = vec![String::new()];
        let mut from = 0;
        for _ in 0..6 {
            let end = cases.len();
            for i in from..end {
                for c in ALPHABET {
                    let mut s = cases[i].clone();
                    s.push(c);
                    cases.push(s);
                }
            }
            from = end;
        }
        let mut next = crate::json::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let s: String = (0..len)
                .map(|_| match next() % 24 {
                    0 => '@',
                    1 => ' ',
                    2 => '\r',
                    3 => '\u{7}',
                    4 => 'é',
                    _ => 'x',
                })
                .collect();
            cases.push(s);
        }
        for s in &cases {
            assert_eq!(email_ok(s), is_email(s), "email {s:?}");
        }
    }

    #[test]
    fn answers_on_a_plain_body() {
        let body = br#" {"triggerEvent":"FUTURE_TRIGGER","createdAt":"2024-01-15T10:00:00Z","payload":{}} "#;
        let options = ParseEventOptions::default();
        assert!(fast_meta(body, &options).is_some());
        let dup = br#"{"triggerEvent":"FUTURE_TRIGGER","createdAt":"2024-01-15T10:00:00Z","payload":{"a":1,"a":2}}"#;
        assert_eq!(fast_meta(dup, &options), None);
    }
}
