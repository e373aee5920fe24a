//! The word form of a [`Tape`]: JS data written by the JS layer as nodes, without JSON text.
//!
//! Turning JS data into JSON text costs the JS side about as much as the whole render, and the
//! text then has to be scanned again here. In the word form (written by `js/src/crossing.js`)
//! every value is one node of three little-endian `u32` words, `[kind, a, b]`, in document
//! order (a container is followed by its children; an object member is a key node, then its
//! value), next to a text that holds every string once, raw and unescaped, addressed in UTF-16
//! units (what JS string lengths count):
//!
//! | kind | value | `a`, `b` |
//! |---|---|---|
//! | 0, 1, 2 | `null`, `false`, `true` | unused |
//! | 3 | a number | low, high 32 bits of the double |
//! | 4 | a string | its start and end in the text, in UTF-16 units |
//! | 5 | an array | `a`: number of elements |
//! | 6 | an object | `a`: number of members |
//!
//! [`Tape::from_words`] checks everything (kinds, counts, keys, offsets, depth) and builds the
//! same nodes a JSON text of that value gives, so everything reading a tape works unchanged.
//! It declines (`Err`) whatever it cannot vouch for, and the JS layer then sends JSON text as
//! before: words that do not describe exactly one value, nesting deeper than
//! [`DEFAULT_MAX_DEPTH`], a text over [`DEFAULT_MAX_BYTES`], an offset inside a character (a
//! lone surrogate at the end of one string and another at the start of the next, which
//! `encodeInto` joined into one character).

use super::tape::{Kind, Node, Tape};
use super::{Object, Value, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH};

/// Bytes per node in the word form.
pub const NODE_BYTES: usize = 12;

const NULL: u32 = 0;
const FALSE: u32 = 1;
const TRUE: u32 = 2;
const NUMBER: u32 = 3;
const STRING: u32 = 4;
const ARRAY: u32 = 5;
const OBJECT: u32 = 6;

/// An offset that falls inside a character (the second unit of a surrogate pair).
const INSIDE: u32 = u32::MAX;

/// A value in the word form: what `js/src/crossing.js` writes for the same data (for tests and
/// benchmarks of [`crate::template::Template::render_words`]; Rust hosts render their
/// [`Value`]s directly).
#[derive(Clone, Debug, Default)]
pub struct Words {
    /// Every string of the value (keys too), concatenated.
    pub text: String,
    /// The UTF-16 length of `text`.
    pub units: usize,
    /// The nodes, three little-endian `u32` each.
    pub words: Vec<u8>,
}

impl Words {
    /// The word form of `value`.
    pub fn of(value: &Value) -> Words {
        let mut w = Words::default();
        w.value(value);
        w
    }

    fn node(&mut self, kind: u32, a: u32, b: u32) {
        for word in [kind, a, b] {
            self.words.extend_from_slice(&word.to_le_bytes());
        }
    }

    fn string(&mut self, s: &str) {
        let start = self.units as u32;
        self.units += s.encode_utf16().count();
        self.text.push_str(s);
        self.node(STRING, start, self.units as u32);
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.node(NULL, 0, 0),
            Value::Bool(b) => self.node(if *b { TRUE } else { FALSE }, 0, 0),
            Value::Number(n) => {
                let bits = n.to_bits();
                self.node(NUMBER, bits as u32, (bits >> 32) as u32);
            }
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.node(ARRAY, items.len() as u32, 0);
                for item in items.iter() {
                    self.value(item);
                }
            }
            Value::Object(o) => {
                self.node(OBJECT, o.len() as u32, 0);
                for (k, item) in o.iter() {
                    self.string(k);
                    self.value(item);
                }
            }
        }
    }
}

/// UTF-16 offsets of the text → byte offsets.
enum Units {
    /// An ASCII text: the same numbers.
    Same,
    /// `map[unit]`: the byte offset, or [`INSIDE`].
    Map(Vec<u32>),
}

impl Units {
    /// The mapping for `text`, whose UTF-16 length JS gives as `units`.
    fn of(text: &str, units: usize) -> Option<Units> {
        if text.len() == units {
            // Every UTF-8 character is at least as many bytes as it has UTF-16 units, equal
            // only for ASCII: equal lengths mean an ASCII text.
            return Some(Units::Same);
        }
        let mut map = Vec::with_capacity(units + 1);
        for (at, c) in text.char_indices() {
            map.push(at as u32);
            if c.len_utf16() == 2 {
                map.push(INSIDE);
            }
        }
        map.push(text.len() as u32);
        (map.len() == units + 1).then_some(Units::Map(map))
    }

    fn byte(&self, unit: u32, len: usize) -> Option<u32> {
        let b = match self {
            Units::Same => unit,
            Units::Map(map) => *map.get(unit as usize)?,
        };
        (b != INSIDE && b as usize <= len).then_some(b)
    }
}

/// A container still receiving children.
struct Open {
    node: u32,
    /// Children (elements, or members) still to come.
    left: u32,
    object: bool,
    /// The next node is a member's key.
    key_next: bool,
}

impl<'t> Tape<'t> {
    /// The tape of the word form `words` (whole nodes, see the module docs) over `text`, whose
    /// UTF-16 length JS gives as `units`; `nodes` is cleared and reused. `Err` (with the vector
    /// back) when the words are not exactly one well-formed value or need the JSON path.
    pub(crate) fn from_words(
        text: &'t str,
        units: usize,
        words: &[u8],
        mut nodes: Vec<Node>,
    ) -> Result<Tape<'t>, Vec<Node>> {
        nodes.clear();
        let mut tape = Tape {
            text,
            nodes,
            unique_keys: true,
        };
        match tape.fill_words(units, words) {
            Some(()) => Ok(tape),
            None => Err(tape.nodes),
        }
    }

    fn fill_words(&mut self, units: usize, words: &[u8]) -> Option<()> {
        if self.text.len() > DEFAULT_MAX_BYTES || words.len() % NODE_BYTES != 0 {
            return None;
        }
        if words.len() / NODE_BYTES >= u32::MAX as usize {
            return None;
        }
        let map = Units::of(self.text, units)?;
        let len = self.text.len();
        let mut stack: Vec<Open> = Vec::new();
        let mut done = false;
        for w in words.chunks_exact(NODE_BYTES) {
            let word = |i: usize| {
                let b: [u8; 4] = w.get(i * 4..i * 4 + 4)?.try_into().ok()?;
                Some(u32::from_le_bytes(b))
            };
            let (kind, a, b) = (word(0)?, word(1)?, word(2)?);
            if done {
                return None;
            }
            let is_key = match stack.last_mut() {
                Some(open) if open.key_next => {
                    open.key_next = false;
                    true
                }
                _ => false,
            };
            if is_key && kind != STRING {
                return None;
            }
            let index = self.nodes.len() as u32;
            let (kind, a, b) = match kind {
                NULL => (Kind::Null, 0, 0),
                FALSE => (Kind::False, 0, 0),
                TRUE => (Kind::True, 0, 0),
                NUMBER => (Kind::Float, a, b),
                STRING => {
                    let (start, end) = (map.byte(a, len)?, map.byte(b, len)?);
                    if start > end {
                        return None;
                    }
                    (Kind::Str, start, end)
                }
                ARRAY | OBJECT => {
                    if stack.len() >= DEFAULT_MAX_DEPTH {
                        return None;
                    }
                    let kind = if kind == ARRAY {
                        Kind::Array
                    } else {
                        Kind::Object
                    };
                    (kind, a, 0)
                }
                _ => return None,
            };
            self.nodes.push(Node {
                kind,
                a,
                b,
                next: index + 1,
            });
            if matches!(kind, Kind::Array | Kind::Object) && a > 0 {
                let object = kind == Kind::Object;
                stack.push(Open {
                    node: index,
                    left: a,
                    object,
                    key_next: object,
                });
                continue;
            }
            if is_key {
                continue;
            }
            // A value ended: count it in its container, close the containers it completes.
            loop {
                let Some(open) = stack.last_mut() else {
                    done = true;
                    break;
                };
                open.left -= 1;
                if open.left > 0 {
                    open.key_next = open.object;
                    break;
                }
                let end = self.nodes.len() as u32;
                let node = open.node as usize;
                stack.pop();
                self.nodes.get_mut(node)?.next = end;
            }
        }
        done.then_some(())
    }

    /// The value at node 0 as a tree, as `json::parse` of the same data's JSON text gives it
    /// (for the general renderer); `None` for a malformed tape.
    pub(crate) fn to_value(&self) -> Option<Value> {
        self.value_at(0, 0)
    }

    fn value_at(&self, i: u32, depth: usize) -> Option<Value> {
        let n = self.nodes.get(i as usize).copied()?;
        Some(match n.kind {
            Kind::Null => Value::Null,
            Kind::False => Value::Bool(false),
            Kind::True => Value::Bool(true),
            Kind::Number | Kind::Float => Value::Number(self.number(n)),
            Kind::Str => Value::string(self.raw(n)),
            Kind::EscStr => Value::String(self.decode(n)?),
            Kind::Array | Kind::Object if depth >= DEFAULT_MAX_DEPTH => return None,
            Kind::Array => {
                let mut items = Vec::with_capacity((n.a as usize).min(self.nodes.len()));
                let mut at = i + 1;
                for _ in 0..n.a {
                    items.push(self.value_at(at, depth + 1)?);
                    at = self.node(at).next;
                }
                Value::array(items)
            }
            Kind::Object => {
                let mut o = Object::new();
                let mut at = i + 1;
                for _ in 0..n.a {
                    let k = self.node(at);
                    let key: std::rc::Rc<str> = match k.kind {
                        Kind::Str => self.raw(k).into(),
                        Kind::EscStr => self.decode(k)?,
                        _ => return None,
                    };
                    o.insert(key, self.value_at(at + 1, depth + 1)?);
                    at = self.node(at + 1).next;
                }
                Value::object(o)
            }
        })
    }
}
