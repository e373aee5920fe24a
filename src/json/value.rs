//! The JSON value model.

use super::runs::RunMap;
use std::fmt;
use std::rc::Rc;

/// A JSON value with JavaScript semantics.
///
/// Arrays and objects are reference-counted: cloning a `Value` is cheap and keeps identity,
/// which [`Value::loose_eq`] uses as JS `==` does for objects.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An IEEE double, as every JS number is.
    Number(f64),
    /// A string. (JS strings may hold lone surrogates; these become U+FFFD here.)
    String(Rc<str>),
    /// An array.
    Array(Rc<Vec<Value>>),
    /// An object, keys in JS property order.
    Object(Rc<Object>),
}

/// An object whose iteration order is JavaScript's: keys that are canonical array indices
/// (`"0"` … `"4294967294"`) first in ascending numeric order, then the other keys in insertion
/// order. Re-inserting a key keeps its position and replaces its value.
///
/// The two kinds of key live apart, so no insert ever moves other entries: index keys in a
/// [`RunMap`] by numeric value (JS order for free, O(log n) amortised per insert whatever order
/// they come in), the other keys appended to a vector. Small objects (the common case: webhook payloads
/// have a few dozen keys at most) search that vector linearly; once it grows past `LINEAR_MAX`
/// keys an index by key text is built, a [`RunMap`] too (O(log n) amortised inserts, O(log² n)
/// lookups), so huge objects stay n log n to build and to read. No hash table: on
/// wasm32-unknown-unknown std has no randomness and `RandomState` seeds SipHash from a stack
/// and a heap address, the same in every instance of a build, so a payload could be crafted
/// whose keys collide (hash flooding); an ordered index has no hash to attack.
#[derive(Clone, Default)]
pub struct Object {
    /// Array-index keys by numeric value, with the key text for iteration.
    indexed: RunMap<u32, (Rc<str>, Value)>,
    /// The other keys, in insertion order.
    named: Vec<(Rc<str>, Value)>,
    /// Key → position in `named`, present once it has more than [`LINEAR_MAX`] keys.
    index: Option<RunMap<Rc<str>, usize>>,
}

/// Objects up to this many keys are searched linearly.
const LINEAR_MAX: usize = 16;

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        Object::default()
    }

    /// Number of own properties.
    pub fn len(&self) -> usize {
        self.indexed.len() + self.named.len()
    }

    /// True when the object has no properties.
    pub fn is_empty(&self) -> bool {
        self.indexed.is_empty() && self.named.is_empty()
    }

    /// Position of a non-index key in `named`.
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.named.iter().position(|(k, _)| **k == *key),
        }
    }

    /// `key` as an array index, when it is one and this object has index keys at all.
    fn index_key(&self, key: &str) -> Option<u32> {
        if self.indexed.is_empty() {
            return None;
        }
        array_index(key)
    }

    /// The own property `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        // Index keys never live in `named`: with no index key present (the common case) a
        // lookup is one search of `named`, without parsing `key` as a number.
        match self.index_key(key) {
            Some(n) => self.indexed.get(&n).map(|(_, v)| v),
            None => {
                let pos = self.position(key)?;
                self.named.get(pos).map(|(_, v)| v)
            }
        }
    }

    /// True when `key` is an own property.
    pub fn contains_key(&self, key: &str) -> bool {
        match self.index_key(key) {
            Some(n) => self.indexed.get(&n).is_some(),
            None => self.position(key).is_some(),
        }
    }

    /// Set `key` as JS assignment does: an existing key keeps its position.
    pub fn insert(&mut self, key: impl Into<Rc<str>>, value: Value) {
        self.insert_replacing(key.into(), value);
    }

    /// [`Object::insert`], returning true when `key` was already present (its value replaced).
    pub(crate) fn insert_replacing(&mut self, key: Rc<str>, value: Value) -> bool {
        if let Some(n) = array_index(&key) {
            return match self.indexed.get_mut(&n) {
                Some(slot) => {
                    slot.1 = value;
                    true
                }
                None => {
                    self.indexed.insert_new(n, (key, value));
                    false
                }
            };
        }
        let found = match &mut self.index {
            // One search of the index finds the key or adds it.
            Some(index) => index.get_or_insert(key.clone(), self.named.len()).copied(),
            None => self.named.iter().position(|(k, _)| *k == key),
        };
        if let Some(pos) = found {
            if let Some(slot) = self.named.get_mut(pos) {
                slot.1 = value;
            }
            return true;
        }
        self.named.push((key, value));
        if self.index.is_none() && self.named.len() > LINEAR_MAX {
            self.rebuild_index();
        }
        false
    }

    fn rebuild_index(&mut self) {
        // The keys are distinct: `named` never holds one twice.
        let mut index = RunMap::new();
        for (i, (k, _)) in self.named.iter().enumerate() {
            index.insert_new(k.clone(), i);
        }
        self.index = Some(index);
    }

    /// Remove `key`, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        if let Some(n) = array_index(key) {
            return self.indexed.remove(&n).map(|(_, v)| v);
        }
        let pos = self.position(key)?;
        if pos >= self.named.len() {
            return None;
        }
        let (_, value) = self.named.remove(pos);
        if self.index.is_some() {
            // Every later entry moved down by one; removal is rare (a few fixed keys).
            self.rebuild_index();
        }
        Some(value)
    }

    /// Properties in JS order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        let indexed = self.indexed.iter().map(|(_, (k, v))| (&**k, v));
        indexed.chain(self.named.iter().map(|(k, v)| (&**k, v)))
    }

    /// Keys in JS order (`Object.keys`).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(k, _)| k)
    }

    /// Move every value out (for [`Value`]'s iterative drop).
    fn drain_values(&mut self, out: &mut Vec<Value>) {
        out.extend(
            std::mem::take(&mut self.indexed)
                .into_values()
                .map(|(_, v)| v),
        );
        out.extend(self.named.drain(..).map(|(_, v)| v));
        self.index = None;
    }
}

impl FromIterator<(String, Value)> for Object {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Object {
        let mut object = Object::new();
        for (k, v) in iter {
            object.insert(k, v);
        }
        object
    }
}

/// True when `key` is a canonical array index: `"0"` or no leading zero, value below 2³²−1.
pub fn is_array_index(key: &str) -> bool {
    array_index(key).is_some()
}

/// The array index `key` spells (`is_array_index`), as a number.
pub(crate) fn array_index(key: &str) -> Option<u32> {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if bytes.len() > 1 && bytes[0] == b'0' {
        return None;
    }
    let n: u64 = key.parse().ok()?;
    (n < u32::MAX as u64).then_some(n as u32)
}

/// JS `Number#toString` for a double: `1`, `0.1`, `1e+21`, `1e-7`, `NaN`, `Infinity`, `0` for -0.
pub fn format_number(n: f64) -> String {
    let mut out = String::new();
    write_number(&mut out, n);
    out
}

/// [`format_number`] appended to `out` (integers, the common case, without `ryu`).
pub fn write_number(out: &mut String, n: f64) {
    // Integers below 2^53 are exact in an `i64` and print as their digits in JS.
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        let mut v = n as i64;
        if (0..10).contains(&v) {
            out.push(char::from(b'0' + v as u8));
            return;
        }
        if v < 0 {
            out.push('-');
            v = -v;
        }
        let mut digits = [0u8; 20];
        let text = decimal_digits(v.unsigned_abs(), &mut digits);
        out.push_str(std::str::from_utf8(text).unwrap_or_default());
        return;
    }
    let mut buffer = ryu_js::Buffer::new();
    out.push_str(buffer.format(n));
}

/// The decimal digits of `v`, written at the end of `buf` (20 bytes hold every `u64`): the
/// part of `buf` that holds them. Shared by the number printers, which want no allocation.
pub(crate) fn decimal_digits(mut v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    while let Some(slot) = i.checked_sub(1).and_then(|at| buf.get_mut(at)) {
        *slot = b'0' + (v % 10) as u8;
        i -= 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.get(i..).unwrap_or_default()
}

impl Value {
    /// A string value.
    pub fn string(s: impl Into<Rc<str>>) -> Value {
        Value::String(s.into())
    }

    /// An array value.
    pub fn array(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(items))
    }

    /// An object value.
    pub fn object(object: Object) -> Value {
        Value::Object(Rc::new(object))
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, when this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The bool, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The array items, when this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The object, when this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Own property `key` of an object (None for other values).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// JS truthiness: false for `null`, `false`, `0`, `-0`, `NaN` and `""`.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::String(s) => !s.is_empty(),
            Value::Array(_) | Value::Object(_) => true,
        }
    }

    /// JS `typeof`-style name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

/// Dropping is iterative: a value nested a million levels deep (built natively, where no
/// parser bounds it) must not overflow the stack. Children of a uniquely owned array or
/// object are moved onto a heap stack and dropped from there, each arriving childless.
impl Drop for Value {
    fn drop(&mut self) {
        if !owns_nested(self) {
            return;
        }
        let mut stack = Vec::new();
        take_children(self, &mut stack);
        while let Some(mut value) = stack.pop() {
            if owns_nested(&value) {
                take_children(&mut value, &mut stack);
            }
        }
    }
}

/// True when dropping `value` would free a nested array or object (the recursive case).
fn owns_nested(value: &Value) -> bool {
    let nested = |v: &Value| matches!(v, Value::Array(_) | Value::Object(_));
    match value {
        Value::Array(items) => Rc::strong_count(items) == 1 && items.iter().any(nested),
        // In no particular order: the key-order merge of the index keys is not needed here.
        Value::Object(object) => {
            Rc::strong_count(object) == 1
                && (object.named.iter().any(|(_, v)| nested(v))
                    || object.indexed.values().any(|(_, v)| nested(v)))
        }
        _ => false,
    }
}

fn take_children(value: &mut Value, stack: &mut Vec<Value>) {
    match value {
        Value::Array(items) => {
            if let Some(items) = Rc::get_mut(items) {
                stack.append(items);
            }
        }
        Value::Object(object) => {
            if let Some(object) = Rc::get_mut(object) {
                object.drain_values(stack);
            }
        }
        _ => {}
    }
}
