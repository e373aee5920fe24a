//! Field lookup tables for the fast path ([`super::fast`]): one small open-addressing hash
//! table per field list of the static shapes, built on first use and kept for the life of the
//! process (there are finitely many field lists, all `'static`).
//!
//! A key of the body is matched to its field with one hash of the key's first and last eight
//! bytes and one byte comparison, instead of a scan over the list's fields.

use super::shape::{Field, Shape, Ty};
use crate::json::RunMap;
use std::cell::{Cell, OnceCell, RefCell};

/// One field of a [`Table`], with what the fast path needs of it in one place.
pub(super) struct Entry {
    /// The field.
    pub(super) field: &'static Field,
    /// Its index in the table's entries.
    pub(super) index: usize,
    /// Its type with names and alternatives resolved ([`Ty::resolve`]): what the fast path
    /// checks (the sender's form of an [`Ty::Either`]).
    pub(super) ty: &'static Ty,
    /// The length of its name (in the entry, so that a predicted key is checked without
    /// reading the field).
    pub(super) name_len: usize,
    /// `null` is a valid value of its type (`Nullable` or `Any`).
    pub(super) null_ok: bool,
    /// The field is required.
    pub(super) required: bool,
    /// The [`KeyParts`] of its name (names of at most 16 bytes are compared as these two
    /// words, longer ones also byte by byte) and their hash.
    parts: KeyParts,
    hash: u64,
    /// The first eight bytes of the name followed by `":` (zero-padded), the mask of those
    /// that belong to it, and its last eight bytes: a predicted key is checked with its
    /// closing quote and colon in the same word comparisons (see [`Table::predicted`]).
    quoted_head: u64,
    quoted_mask: u64,
    quoted_tail: u64,
    /// The field that followed this one last time (see [`Table::predicted`]).
    next: Cell<Option<&'static Entry>>,
    /// The table of the object type inside its type (see [`Table::child`]).
    child: OnceCell<Option<&'static Table>>,
}

/// The fields of one object type, with a hash table from key to field index.
pub(super) struct Table {
    /// The fields, in declaration order.
    pub(super) entries: Vec<Entry>,
    /// Bit `i` of word `i / 64` is set when field `i` is required.
    pub(super) required: [u64; MAX_FIELDS / 64],
    /// Field index + 1 per slot (0: empty); the length is a power of two.
    slots: Vec<u16>,
    /// Two fields share a name: the fast path leaves such objects to the full validator
    /// (which checks the value against both); no shape has one (a test checks).
    pub(super) ambiguous: bool,
    /// The first field of an object last time.
    first: Cell<Option<&'static Entry>>,
}

impl Table {
    fn new(fields: Vec<&'static Field>) -> Table {
        let n = fields.len();
        let size = (2 * n).next_power_of_two().max(8);
        let mut slots = vec![0u16; size];
        let entries: Vec<Entry> = fields
            .iter()
            .enumerate()
            .map(|(index, &field)| {
                let parts = KeyParts::of(field.name.as_bytes(), 0, field.name.len());
                let quoted = format!("{}\":", field.name);
                let quoted = KeyParts::of(quoted.as_bytes(), 0, quoted.len());
                Entry {
                    field,
                    index,
                    ty: field.ty.resolve(),
                    name_len: field.name.len(),
                    null_ok: accepts_null(&field.ty),
                    required: field.required,
                    parts,
                    hash: parts.hash(),
                    quoted_head: quoted.head,
                    quoted_mask: match quoted.len {
                        n if n >= 8 => u64::MAX,
                        n => (1u64 << (8 * n)) - 1,
                    },
                    quoted_tail: quoted.tail,
                    next: Cell::new(None),
                    child: OnceCell::new(),
                }
            })
            .collect();
        let mut required = [0u64; MAX_FIELDS / 64];
        let mut ambiguous = n > MAX_FIELDS;
        for (i, entry) in entries.iter().enumerate() {
            if entry.field.required {
                if let Some(w) = required.get_mut(i / 64) {
                    *w |= 1 << (i % 64);
                }
            }
            let mut slot = slot_of(entry.hash, size);
            while let Some(&taken) = slots.get(slot) {
                if taken == 0 {
                    break;
                }
                let other = entries.get(usize::from(taken) - 1);
                if other.is_some_and(|o| o.field.name == entry.field.name) {
                    ambiguous = true;
                }
                slot = (slot + 1) & (size - 1);
            }
            if let (Some(s), Ok(index)) = (slots.get_mut(slot), u16::try_from(i + 1)) {
                *s = index;
            }
        }
        Table {
            entries,
            required,
            slots,
            ambiguous,
            first: Cell::new(None),
        }
    }

    /// Bodies from one sender keep one key order: the field that followed `prev` (a field
    /// index, `None` at an object's start) last time, when the key at `b[at..]` (its opening
    /// quote) is that field's name, followed at once by `:`. The check is one or two word
    /// comparisons of the name with its closing quote and the colon, without scanning or
    /// hashing the key; a wrong prediction (or whitespace before the colon, or fewer than eight
    /// bytes left) costs only the lookup it would have saved. On a hit the key and its colon
    /// are `name_len + 3` bytes.
    pub(super) fn predicted(
        &'static self,
        prev: Option<&'static Entry>,
        b: &[u8],
        at: usize,
    ) -> Option<&'static Entry> {
        let entry = prev.map_or(&self.first, |e| &e.next).get()?;
        let start = at + 1;
        let end = start + entry.name_len + 2;
        let word = |at: usize| {
            b.get(at..)
                .and_then(|r| r.first_chunk::<8>())
                .map(|w| u64::from_le_bytes(*w))
        };
        // Names contain no quote or backslash: the quote after the name ends the key.
        let hit = word(start)? & entry.quoted_mask == entry.quoted_head
            && (entry.name_len + 2 <= 8 || word(end - 8) == Some(entry.quoted_tail))
            && (entry.name_len + 2 <= 16
                || b.get(start..start + entry.name_len)
                    .is_some_and(|key| same_bytes(key, entry.field.name.as_bytes())));
        hit.then_some(entry)
    }

    /// Remember that field `i` followed `prev`.
    pub(super) fn learn(&'static self, prev: Option<&'static Entry>, i: usize) {
        prev.map_or(&self.first, |e| &e.next)
            .set(self.entries.get(i));
    }

    /// The index of the field named `key` (whose parts are `parts` and hash `hash`).
    pub(super) fn find(&self, key: &[u8], parts: &KeyParts, hash: u64) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut slot = slot_of(hash, self.slots.len());
        loop {
            let index = usize::from(*self.slots.get(slot)?).checked_sub(1)?;
            let entry = self.entries.get(index)?;
            if entry.hash == hash
                && entry.parts == *parts
                && (key.len() <= 16 || entry.field.name.as_bytes() == key)
            {
                return Some(index);
            }
            slot = (slot + 1) & mask;
        }
    }
}

impl Entry {
    /// The table of the object type that this field's type leads to through names, nullable,
    /// arrays and maps (the one object type [`super::fast`] reaches first when checking a
    /// value of that type), looked up once per field instead of once per value.
    pub(super) fn child(&self) -> Option<&'static Table> {
        *self.child.get_or_init(|| {
            let mut ty = &self.field.ty;
            loop {
                match ty {
                    Ty::Named(_, inner)
                    | Ty::Nullable(inner)
                    | Ty::Array(inner)
                    | Ty::Map(inner) => ty = inner,
                    Ty::Either(alt) => ty = &alt.sender,
                    Ty::Object(fields) => return Some(object_table(fields)),
                    _ => return None,
                }
            }
        })
    }
}

/// `a == b`, eight bytes at a time: wasm's `memcmp` goes byte by byte, and this is for the
/// names and enum values of the hot path, which are longer than a word but short.
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| {
        s.get(at..)
            .and_then(|r| r.first_chunk::<8>())
            .map(|w| u64::from_le_bytes(*w))
    };
    let mut at = 0;
    while at + 8 <= a.len() {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    // The last (partial) word again as the last eight bytes, when there are eight.
    match a.len() {
        n if n == at => true,
        n if n >= 8 => word(a, n - 8) == word(b, n - 8),
        _ => a.iter().zip(b).all(|(x, y)| x == y),
    }
}

fn slot_of(hash: u64, size: usize) -> usize {
    // `size` is a power of two: the top bits of the (multiplied) hash pick the slot.
    (hash >> (64 - size.trailing_zeros())) as usize
}

/// Fields per object type at most (the fast path keeps one bit per field in four words).
pub(super) const MAX_FIELDS: usize = 256;

/// A key as its length and its first and last eight bytes (zero-padded): for keys of at most
/// 16 bytes these determine the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct KeyParts {
    head: u64,
    tail: u64,
    len: usize,
}

impl KeyParts {
    /// The parts of the key `b[start..end]`, read as whole words where the input allows.
    pub(super) fn of(b: &[u8], start: usize, end: usize) -> KeyParts {
        let len = end.saturating_sub(start);
        let word = |at: usize| {
            b.get(at..)
                .and_then(|r| r.first_chunk::<8>())
                .map(|w| u64::from_le_bytes(*w))
        };
        let head = match word(start) {
            Some(w) if len >= 8 => w,
            Some(w) => w & ((1u64 << (8 * len)) - 1),
            None => b
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .take(8)
                .rev()
                .fold(0u64, |w, &c| w << 8 | u64::from(c)),
        };
        let tail = if len > 8 {
            word(end - 8).unwrap_or_default()
        } else {
            0
        };
        KeyParts { head, tail, len }
    }

    /// A hash of the parts (equal keys hash equal; the caller compares on a hash match).
    pub(super) fn hash(&self) -> u64 {
        (self.head ^ self.tail.rotate_left(29) ^ (self.len as u64) << 58)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

/// [`KeyParts::hash`] of a whole key.
#[cfg(test)]
fn key_hash(key: &[u8]) -> u64 {
    KeyParts::of(key, 0, key.len()).hash()
}

pub(super) fn accepts_null(ty: &Ty) -> bool {
    matches!(ty.resolve(), Ty::Nullable(_) | Ty::Any)
}

/// Which field list: a shape (its groups) or an object type's fields, by address and length.
type ListKey = (usize, usize, bool);

thread_local! {
    /// The tables built so far, by list (a few dozen at most: an ordered map, no hash table
    /// code in the wasm).
    static TABLES: RefCell<RunMap<ListKey, &'static Table>> = RefCell::new(RunMap::new());
}

fn cached(key: ListKey, build: impl FnOnce() -> Vec<&'static Field>) -> &'static Table {
    if let Some(t) = TABLES.with_borrow(|m| m.get(&key).copied()) {
        return t;
    }
    // Built once per field list and never freed: the lists are static and finitely many.
    let table: &'static Table = Box::leak(Box::new(Table::new(build())));
    // Absent: looked up above, and building a table never builds another.
    TABLES.with_borrow_mut(|m| m.insert_new(key, table));
    table
}

/// The table of a payload shape's fields.
pub(super) fn shape_table(shape: &'static Shape) -> &'static Table {
    let key = (shape.groups.as_ptr() as usize, shape.groups.len(), true);
    cached(key, || shape.fields().collect())
}

/// The table of an object type's fields.
pub(super) fn object_table(fields: &'static [Field]) -> &'static Table {
    let key = (fields.as_ptr() as usize, fields.len(), false);
    cached(key, || fields.iter().collect())
}

/// Every table of every trigger's shape (for tests: none is ambiguous).
#[cfg(test)]
pub(super) fn all_tables() -> Vec<&'static Table> {
    fn walk(ty: &'static Ty, out: &mut Vec<&'static Table>) {
        match ty {
            Ty::Object(fields) => {
                out.push(object_table(fields));
                for f in fields.iter() {
                    walk(&f.ty, out);
                }
            }
            Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) | Ty::Named(_, inner) => {
                walk(inner, out)
            }
            Ty::Either(alt) => walk(&alt.sender, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for info in super::TRIGGERS {
        out.push(shape_table(info.shape));
        for f in info.shape.fields() {
            walk(&f.ty, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_found_and_no_list_is_ambiguous() {
        for table in all_tables() {
            assert!(!table.ambiguous, "a field list repeats a name");
            for (i, f) in table.entries.iter().map(|e| e.field).enumerate() {
                // As read from a body: the key followed by more input.
                let body = format!("{}\":1}}", f.name);
                let parts = KeyParts::of(body.as_bytes(), 0, f.name.len());
                let key = f.name.as_bytes();
                assert_eq!(parts, KeyParts::of(key, 0, key.len()), "{}", f.name);
                assert_eq!(table.find(key, &parts, parts.hash()), Some(i), "{}", f.name);
                for other in [format!("{}x", f.name), format!("x{}", f.name)] {
                    let p = KeyParts::of(other.as_bytes(), 0, other.len());
                    assert_eq!(table.find(other.as_bytes(), &p, p.hash()), None);
                }
                let mut changed = f.name.as_bytes().to_vec();
                if let Some(last) = changed.last_mut() {
                    *last ^= 1;
                }
                let p = KeyParts::of(&changed, 0, changed.len());
                assert_eq!(table.find(&changed, &p, p.hash()), None, "{}", f.name);
            }
        }
    }

    #[test]
    fn word_comparisons_are_equality() {
        let words = [
            "",
            "a",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    same_bytes(a.as_bytes(), b.as_bytes()),
                    a == b,
                    "{a:?} {b:?}"
                );
            }
            // One byte changed at every offset.
            for i in 0..a.len() {
                let mut c = a.as_bytes().to_vec();
                c[i] ^= 0x20;
                assert!(!same_bytes(a.as_bytes(), &c), "{a:?} at {i}");
            }
        }
    }

    #[test]
    fn hashes_tell_keys_apart() {
        assert_ne!(key_hash(b"a"), key_hash(b"b"));
        assert_ne!(key_hash(b"a"), key_hash(b"a\0"));
        assert_ne!(key_hash(b"abcdefghij"), key_hash(b"abcdefghik"));
        assert_ne!(key_hash(b"startTime"), key_hash(b"startTimz"));
        assert_eq!(key_hash(b""), key_hash(b""));
    }
}
