//! A flat index of a JSON text (a "tape"), for readers that only look a few paths up.
//!
//! [`parse`](super::parse) builds a [`Value`](super::Value) tree: one allocation per string,
//! array and object, then as many frees. A template renders a handful of fields per array
//! element, so most of that tree is built only to be dropped. The tape is one reused vector of
//! fixed-size nodes pointing into the text: strings stay in place (decoded only when an escape
//! makes that necessary), numbers are converted when read.
//!
//! The tape accepts a subset of what `JSON.parse` accepts and rejects the rest with `None`:
//! every text it accepts is valid JSON (same grammar, same whitespace, same escapes, nesting
//! under [`DEFAULT_MAX_DEPTH`](super::DEFAULT_MAX_DEPTH), size under
//! [`DEFAULT_MAX_BYTES`](super::DEFAULT_MAX_BYTES)), and what it reads from it is what the tree
//! holds (duplicate keys: the last value wins). Callers fall back to the parser on `None`,
//! which then reports the error, so the tape never needs messages of its own.
//!
//! A tape can also come from the *word form* ([`Tape::from_words`]): the JS layer
//! (`js/src/crossing.js`) walks the data itself and writes one node per value as three 32-bit
//! words next to a text holding every string once, raw, so neither side writes or scans JSON.

use super::parse::skip_plain;
use super::{DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH};

/// What a node is. Containers hold their element count in [`Node::a`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    False,
    True,
    /// `a..b`: the literal's bytes.
    Number,
    /// `a..b`: the bytes between the quotes, without escapes.
    Str,
    /// `a..b`: the bytes between the quotes, with at least one escape.
    EscStr,
    /// `a`: number of elements.
    Array,
    /// `a`: number of members; a member is a key node (a string) then its value.
    Object,
    /// `a`, `b`: the low and high 32 bits of the double (word form only).
    Float,
}

/// One value of the text. Children of a container follow it; `next` skips the whole subtree.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) a: u32,
    pub(crate) b: u32,
    /// Index of the node after this value and everything inside it.
    pub(crate) next: u32,
}

/// A JSON text and its nodes; node 0 is the top-level value.
pub(crate) struct Tape<'t> {
    pub(crate) text: &'t str,
    pub(crate) nodes: Vec<Node>,
    /// No object has a key twice (the word form: keys of JS objects), so a key lookup can
    /// stop at the first match.
    pub(crate) unique_keys: bool,
}

impl<'t> Tape<'t> {
    /// Index `text` into `nodes` (cleared first; pass a reused vector to avoid allocating).
    /// `None` when the text is not JSON, or is JSON the tape does not take (too deep, too
    /// large): the parser then decides.
    pub(crate) fn build(text: &'t str, mut nodes: Vec<Node>) -> Result<Tape<'t>, Vec<Node>> {
        nodes.clear();
        let mut tape = Tape {
            text,
            nodes,
            unique_keys: false,
        };
        match tape.fill() {
            Some(()) => Ok(tape),
            None => Err(tape.nodes),
        }
    }

    /// Give the node vector back for reuse.
    pub(crate) fn into_nodes(self) -> Vec<Node> {
        self.nodes
    }

    fn push(&mut self, kind: Kind, a: usize, b: usize) {
        let next = self.nodes.len() as u32 + 1;
        self.nodes.push(Node {
            kind,
            a: a as u32,
            b: b as u32,
            next,
        });
    }

    fn fill(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        if bytes.len() > DEFAULT_MAX_BYTES || bytes.len() >= u32::MAX as usize {
            return None;
        }
        // Open containers (node indices), innermost last.
        let mut stack: Vec<u32> = Vec::new();
        let mut pos = ws(bytes, 0);
        'value: loop {
            match *bytes.get(pos)? {
                b'{' => {
                    if stack.len() >= DEFAULT_MAX_DEPTH {
                        return None;
                    }
                    let open = self.nodes.len() as u32;
                    self.push(Kind::Object, 0, 0);
                    pos = ws(bytes, pos + 1);
                    if bytes.get(pos) == Some(&b'}') {
                        pos += 1;
                    } else {
                        stack.push(open);
                        pos = self.key(bytes, pos)?;
                        continue 'value;
                    }
                }
                b'[' => {
                    if stack.len() >= DEFAULT_MAX_DEPTH {
                        return None;
                    }
                    let open = self.nodes.len() as u32;
                    self.push(Kind::Array, 0, 0);
                    pos = ws(bytes, pos + 1);
                    if bytes.get(pos) == Some(&b']') {
                        pos += 1;
                    } else {
                        stack.push(open);
                        continue 'value;
                    }
                }
                b'"' => pos = self.string(bytes, pos)?,
                b'-' | b'0'..=b'9' => {
                    let end = number_end(bytes, pos)?;
                    self.push(Kind::Number, pos, end);
                    pos = end;
                }
                b't' => pos = self.literal(bytes, pos, b"true", Kind::True)?,
                b'f' => pos = self.literal(bytes, pos, b"false", Kind::False)?,
                b'n' => pos = self.literal(bytes, pos, b"null", Kind::Null)?,
                _ => return None,
            }
            // A value ended at `pos`: count it in its container, close containers that end.
            loop {
                pos = ws(bytes, pos);
                let Some(&open) = stack.last() else {
                    return (pos == bytes.len()).then_some(());
                };
                let container = self.nodes.get_mut(open as usize)?;
                container.a += 1;
                let is_object = container.kind == Kind::Object;
                match (bytes.get(pos), is_object) {
                    (Some(b','), false) => {
                        pos = ws(bytes, pos + 1);
                        continue 'value;
                    }
                    (Some(b','), true) => {
                        pos = self.key(bytes, ws(bytes, pos + 1))?;
                        continue 'value;
                    }
                    (Some(b']'), false) | (Some(b'}'), true) => {
                        pos += 1;
                        let end = self.nodes.len() as u32;
                        if let Some(node) = self.nodes.get_mut(open as usize) {
                            node.next = end;
                        }
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// A member key and its `:`; returns the position of the value.
    fn key(&mut self, bytes: &[u8], pos: usize) -> Option<usize> {
        if bytes.get(pos) != Some(&b'"') {
            return None;
        }
        let pos = ws(bytes, self.string(bytes, pos)?);
        if bytes.get(pos) != Some(&b':') {
            return None;
        }
        Some(ws(bytes, pos + 1))
    }

    /// A string literal at `pos` (its opening quote); returns the position after it.
    #[inline(always)]
    fn string(&mut self, bytes: &[u8], pos: usize) -> Option<usize> {
        let start = pos + 1;
        let mut at = skip_plain(bytes, start);
        let mut escaped = false;
        loop {
            match *bytes.get(at)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    at = match *bytes.get(at + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => at + 2,
                        b'u' => {
                            let hex = bytes.get(at + 2..at + 6)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            at + 6
                        }
                        _ => return None,
                    };
                    at = skip_plain(bytes, at);
                }
                // A raw control character.
                _ => return None,
            }
        }
        let kind = if escaped { Kind::EscStr } else { Kind::Str };
        self.push(kind, start, at);
        Some(at + 1)
    }

    fn literal(&mut self, bytes: &[u8], pos: usize, word: &[u8], kind: Kind) -> Option<usize> {
        let end = pos + word.len();
        if bytes.get(pos..end)? != word {
            return None;
        }
        self.push(kind, pos, end);
        Some(end)
    }

    /// The node at `i` (a `null` node past the end, which a well-formed tape never reaches).
    #[inline]
    pub(crate) fn node(&self, i: u32) -> Node {
        self.nodes.get(i as usize).copied().unwrap_or(Node {
            kind: Kind::Null,
            a: 0,
            b: 0,
            next: i.saturating_add(1),
        })
    }

    /// The raw text of a string or number node.
    #[inline]
    pub(crate) fn raw(&self, n: Node) -> &'t str {
        // Both ends sit next to ASCII bytes (quotes, digits), so they are char boundaries.
        self.text.get(n.a as usize..n.b as usize).unwrap_or("")
    }

    /// The raw bytes of a string or number node (UTF-8: see [`Tape::raw`]).
    #[inline]
    pub(crate) fn raw_bytes(&self, n: Node) -> &'t [u8] {
        self.text
            .as_bytes()
            .get(n.a as usize..n.b as usize)
            .unwrap_or_default()
    }

    /// The decoded text of an escaped string node (`"` … `"` parsed as JSON).
    pub(crate) fn decode(&self, n: Node) -> Option<std::rc::Rc<str>> {
        let quoted = self
            .text
            .get((n.a as usize).checked_sub(1)?..n.b as usize + 1)?;
        match &super::parse(quoted) {
            Ok(super::Value::String(s)) => Some(s.clone()),
            _ => None,
        }
    }

    /// JS truthiness of the value of node `n` (what `if` and `!!` make of it).
    pub(crate) fn truthy(&self, n: Node) -> bool {
        match n.kind {
            Kind::Null | Kind::False => false,
            Kind::True | Kind::Array | Kind::Object => true,
            Kind::Number | Kind::Float => {
                let x = self.number(n);
                x != 0.0 && !x.is_nan()
            }
            // An escaped string is never empty.
            Kind::Str => n.b > n.a,
            Kind::EscStr => true,
        }
    }

    /// The value of a number node, as `JSON.parse` gives it.
    pub(crate) fn number(&self, n: Node) -> f64 {
        match n.kind {
            Kind::Float => f64::from_bits(u64::from(n.b) << 32 | u64::from(n.a)),
            _ => number_value(self.raw(n)),
        }
    }

    /// The value of member `key` of the object at `obj` (the last one, as with duplicate
    /// keys in `JSON.parse`): `Some(None)` when absent, `None` when the tape cannot tell cheaply
    /// (an escaped key, or an object too large to search linearly on every lookup).
    pub(crate) fn member(&self, obj: u32, key: &str) -> Option<Option<u32>> {
        let node = self.node(obj);
        if node.a > MAX_LINEAR {
            return None;
        }
        let mut found = None;
        let mut at = obj + 1;
        for _ in 0..node.a {
            let k = self.node(at);
            let value = at + 1;
            let matches = match k.kind {
                Kind::Str => {
                    (k.b - k.a) as usize == key.len()
                        && same_bytes(self.raw_bytes(k), key.as_bytes())
                }
                _ => *self.decode(k)? == *key,
            };
            if matches {
                if self.unique_keys {
                    return Some(Some(value));
                }
                found = Some(value);
            }
            at = self.node(value).next;
        }
        Some(found)
    }

    /// Element `index` of the array at `arr`: `Some(None)` past the end, `None` when the index
    /// is too far to walk to on every lookup.
    pub(crate) fn element(&self, arr: u32, index: usize) -> Option<Option<u32>> {
        let node = self.node(arr);
        if index >= node.a as usize {
            return Some(None);
        }
        if index > MAX_LINEAR as usize {
            return None;
        }
        let mut at = arr + 1;
        for _ in 0..index {
            at = self.node(at).next;
        }
        Some(Some(at))
    }

    /// This tape with `members` added at the end of their objects, over `text`, which starts
    /// with this tape's text (the added nodes point past it); its nodes are appended to `nodes`
    /// (which may hold nodes of an enclosing value already, or be a reused vector). An object's
    /// added members follow its own, in the order given, so they win over a key it already has,
    /// as a later duplicate key does in `JSON.parse`. `members` must be sorted by object; a
    /// member of a node that is not an object is left out, and a copied value is copied as this
    /// tape has it (without members added inside it).
    pub(crate) fn with_members<'u>(
        &self,
        text: &'u str,
        members: &[Member],
        mut nodes: Vec<Node>,
    ) -> Tape<'u> {
        debug_assert!(members
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.object <= b.object)));
        nodes.reserve(self.nodes.len() + 2 * members.len());
        // Open containers: (end in this tape, index in the new one, index in this one).
        let mut open: Vec<(u32, u32, u32)> = Vec::new();
        for i in 0..=self.nodes.len() as u32 {
            while let Some(&(end, at, old)) = open.last() {
                if end != i {
                    break;
                }
                open.pop();
                let added = match self.node(old).kind {
                    Kind::Object => self.add_members(old, members, &mut nodes),
                    _ => 0,
                };
                let next = nodes.len() as u32;
                if let Some(node) = nodes.get_mut(at as usize) {
                    node.a += added;
                    node.next = next;
                }
            }
            let Some(&node) = self.nodes.get(i as usize) else {
                break;
            };
            let at = nodes.len() as u32;
            nodes.push(Node {
                next: at + 1,
                ..node
            });
            if matches!(node.kind, Kind::Array | Kind::Object) {
                open.push((node.next, at, i));
            }
        }
        // Added members may repeat a key (the later one wins): never `unique_keys`.
        Tape {
            text,
            nodes,
            unique_keys: false,
        }
    }

    /// Append the members of `object` to `nodes`; returns how many.
    fn add_members(&self, object: u32, members: &[Member], nodes: &mut Vec<Node>) -> u32 {
        let from = members.partition_point(|m| m.object < object);
        let mut added = 0;
        for m in members.get(from..).unwrap_or_default() {
            if m.object != object {
                break;
            }
            let at = nodes.len() as u32;
            nodes.push(Node {
                next: at + 1,
                ..m.key
            });
            match m.value {
                MemberValue::Scalar(node) => nodes.push(Node {
                    next: at + 2,
                    ..node
                }),
                MemberValue::Copy(value) => {
                    // Same subtree, shifted: every `next` inside it moves by the same amount.
                    let end = self.node(value).next;
                    let shift = (at + 1).wrapping_sub(value);
                    let subtree = self.nodes.get(value as usize..end as usize);
                    for node in subtree.unwrap_or_default() {
                        nodes.push(Node {
                            next: node.next.wrapping_add(shift),
                            ..*node
                        });
                    }
                }
            }
            added += 1;
        }
        added
    }
}

/// A member for [`Tape::with_members`] to add.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Member {
    /// The object it is added to (a node of the original tape).
    pub(crate) object: u32,
    /// The key: a string node (`Str` or `EscStr`) into the new text.
    pub(crate) key: Node,
    /// The value.
    pub(crate) value: MemberValue,
}

/// The value of a [`Member`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum MemberValue {
    /// A scalar node (not an array or object) into the new text.
    Scalar(Node),
    /// A copy of the value at this node of the original tape.
    Copy(u32),
}

/// `a == b` for the short keys of template paths, without a call to `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Objects and array positions past this are left to the tree (hashed lookups), so that a
/// lookup repeated on every iteration of a loop stays cheap whatever the data.
const MAX_LINEAR: u32 = 64;

#[inline]
fn ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

fn digits(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    pos
}

/// The end of the JSON number literal at `pos`, `None` when it is malformed (also the
/// delivery normalizer's number grammar).
pub(crate) fn number_end(bytes: &[u8], mut pos: usize) -> Option<usize> {
    if bytes.get(pos) == Some(&b'-') {
        pos += 1;
    }
    match bytes.get(pos) {
        Some(b'0') => pos += 1,
        Some(b'1'..=b'9') => pos = digits(bytes, pos + 1),
        _ => return None,
    }
    if bytes.get(pos) == Some(&b'.') {
        let end = digits(bytes, pos + 1);
        if end == pos + 1 {
            return None;
        }
        pos = end;
    }
    if let Some(b'e' | b'E') = bytes.get(pos) {
        pos += 1;
        if let Some(b'+' | b'-') = bytes.get(pos) {
            pos += 1;
        }
        let end = digits(bytes, pos);
        if end == pos {
            return None;
        }
        pos = end;
    }
    Some(pos)
}

/// The double of a valid JSON number literal, as the parser computes it.
pub(crate) fn number_value(literal: &str) -> f64 {
    let (negative, digits) = match literal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, literal),
    };
    // An integer of at most 15 digits is exact as a double.
    if digits.len() <= 15 && digits.bytes().all(|d| d.is_ascii_digit()) {
        let n = digits
            .bytes()
            .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0')) as f64;
        return if negative { -n } else { n };
    }
    // Correctly rounded, saturating to ±Infinity / ±0 like JS.
    super::parse_f64(literal).unwrap_or(f64::NAN)
}
