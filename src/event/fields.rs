//! Field lookup tables for the fast path ([`super::fast`]): one small open-addressing hash
//! table per field list of the static shapes, built on first use and kept for the life of the
//! process (there are finitely many field lists, all `'static`).
//!
//! A key of the body is matched to its field with one hash of the key's first and last eight
//! bytes and one byte comparison, instead of a scan over the list's fields.

use super::shape::{Field, Shape, Ty};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The fields of one object type, with a hash table from key to field index.
pub(super) struct Table {
    /// The fields, in declaration order.
    pub(super) fields: Vec<&'static Field>,
    /// Per field: `null` is a valid value of its type (`Nullable` or `Any`).
    pub(super) null_ok: Vec<bool>,
    /// Bit `i` of word `i / 64` is set when field `i` is required.
    pub(super) required: Vec<u64>,
    /// Per field: [`key_hash`] of its name.
    hashes: Vec<u64>,
    /// Field index + 1 per slot (0: empty); the length is a power of two.
    slots: Vec<u16>,
    /// Two fields share a name: the fast path leaves such objects to the full validator
    /// (which checks the value against both); no shape has one (a test checks).
    pub(super) ambiguous: bool,
}

impl Table {
    fn new(fields: Vec<&'static Field>) -> Table {
        let n = fields.len();
        let size = (2 * n).next_power_of_two().max(8);
        let mut slots = vec![0u16; size];
        let hashes: Vec<u64> = fields.iter().map(|f| key_hash(f.name.as_bytes())).collect();
        let mut required = vec![0u64; n.div_ceil(64)];
        let mut ambiguous = n >= usize::from(u16::MAX);
        for (i, (field, &h)) in fields.iter().zip(&hashes).enumerate() {
            if field.required {
                if let Some(w) = required.get_mut(i / 64) {
                    *w |= 1 << (i % 64);
                }
            }
            let mut slot = slot_of(h, size);
            while let Some(&taken) = slots.get(slot) {
                if taken == 0 {
                    break;
                }
                let other = fields.get(usize::from(taken) - 1);
                if other.is_some_and(|o| o.name == field.name) {
                    ambiguous = true;
                }
                slot = (slot + 1) & (size - 1);
            }
            if let (Some(s), Ok(index)) = (slots.get_mut(slot), u16::try_from(i + 1)) {
                *s = index;
            }
        }
        let null_ok = fields.iter().map(|f| accepts_null(&f.ty)).collect();
        Table {
            fields,
            null_ok,
            required,
            hashes,
            slots,
            ambiguous,
        }
    }

    /// Words of a bitset with one bit per field.
    pub(super) fn words(&self) -> usize {
        self.required.len()
    }

    /// The index of the field named `key` (whose [`key_hash`] is `hash`).
    pub(super) fn find(&self, key: &[u8], hash: u64) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut slot = slot_of(hash, self.slots.len());
        loop {
            let index = usize::from(*self.slots.get(slot)?).checked_sub(1)?;
            if self.hashes.get(index) == Some(&hash)
                && self.fields.get(index)?.name.as_bytes() == key
            {
                return Some(index);
            }
            slot = (slot + 1) & mask;
        }
    }
}

fn slot_of(hash: u64, size: usize) -> usize {
    // `size` is a power of two: the top bits of the (multiplied) hash pick the slot.
    (hash >> (64 - size.trailing_zeros())) as usize
}

/// A hash of a key from its length and its first and last eight bytes (equal keys hash equal;
/// the caller compares bytes on a hash match).
pub(super) fn key_hash(key: &[u8]) -> u64 {
    let n = key.len();
    let (head, tail) = match (key.first_chunk::<8>(), key.last_chunk::<8>()) {
        (Some(h), Some(t)) => (u64::from_le_bytes(*h), u64::from_le_bytes(*t)),
        _ => (
            key.iter().rev().fold(0u64, |w, &b| w << 8 | u64::from(b)),
            0,
        ),
    };
    (head ^ tail.rotate_left(29) ^ (n as u64) << 58).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

pub(super) fn accepts_null(ty: &Ty) -> bool {
    matches!(ty.resolve(), Ty::Nullable(_) | Ty::Any)
}

/// A hasher for addresses (the cache's keys): one multiplication.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Which field list: a shape (its groups) or an object type's fields, by address and length.
type ListKey = (usize, usize, bool);

thread_local! {
    static TABLES: RefCell<HashMap<ListKey, &'static Table, BuildHasherDefault<AddressHasher>>> =
        RefCell::new(HashMap::default());
}

fn cached(key: ListKey, build: impl FnOnce() -> Vec<&'static Field>) -> &'static Table {
    if let Some(t) = TABLES.with_borrow(|m| m.get(&key).copied()) {
        return t;
    }
    // Built once per field list and never freed: the lists are static and finitely many.
    let table: &'static Table = Box::leak(Box::new(Table::new(build())));
    TABLES.with_borrow_mut(|m| m.insert(key, table));
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
            for (i, f) in table.fields.iter().enumerate() {
                let key = f.name.as_bytes();
                assert_eq!(table.find(key, key_hash(key)), Some(i), "{}", f.name);
                let mut other = f.name.to_string();
                other.push('x');
                assert_eq!(
                    table.find(other.as_bytes(), key_hash(other.as_bytes())),
                    None
                );
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
