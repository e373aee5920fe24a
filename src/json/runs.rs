//! A map iterated in key order, without `BTreeMap` (whose code is ~7 KB of wasm per key type).
//! It holds JSON objects' array-index keys and their key index, the children of a template
//! projection, the delivery's UTC offsets: an ordered map needs no hash, so no key set can
//! make it slow (no hash flooding) and the hot core carries no hash table code.
//!
//! Entries live in sorted runs whose lengths decrease from first to last (a binary counter: a
//! new entry is a run of one, merged into the run before it while that one is not longer), so
//! there are at most log₂ n + 1 runs and every entry is moved O(log n) times: inserts in any
//! key order stay O(n log n) in all, lookups O(log² n). Keys that arrive ascending (the common
//! case) extend a single run in place, and a map of up to 64 entries stays one run. Iteration
//! merges the runs' heads.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;

/// Up to this many entries a map is one run, inserted into in place.
const SMALL: usize = 64;

/// A map iterated in key order, with the `BTreeMap` methods calhook uses: entries in sorted
/// runs merged as a binary counter, so inserts in any key order cost O(log n) amortised and
/// lookups O(log² n); keys that arrive ascending extend one run in place.
#[derive(Clone)]
pub struct RunMap<K, V> {
    runs: Vec<Vec<(K, V)>>,
}

impl<K: Ord + fmt::Debug, V: fmt::Debug> fmt::Debug for RunMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

/// Equal when the entries are (the layout of the runs does not matter).
impl<K: Ord, V: PartialEq> PartialEq for RunMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|(a, b)| a.0 == b.0 && a.1 == b.1)
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a RunMap<K, V> {
    type Item = &'a (K, V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

/// [`RunMap::entry`]: a key, present or not.
pub struct Entry<'a, K, V> {
    map: &'a mut RunMap<K, V>,
    key: K,
}

impl<'a, K: Ord + Clone, V: Default> Entry<'a, K, V> {
    /// The value of the key, inserted as `V::default()` when absent.
    pub fn or_default(self) -> &'a mut V {
        let Entry { map, key } = self;
        if map.find(&key).is_none() {
            map.insert_new(key.clone(), V::default());
        }
        // Present now: found, or just inserted.
        let (r, at) = map.find(&key).unwrap_or_default();
        &mut map.runs[r][at].1
    }
}

/// Later entries replace earlier ones with the same key, as in `BTreeMap`.
impl<K: Ord, V> FromIterator<(K, V)> for RunMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = RunMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<K, V> Default for RunMap<K, V> {
    fn default() -> Self {
        RunMap { runs: Vec::new() }
    }
}

impl<K: Ord, V> RunMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        RunMap::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.runs.iter().map(Vec::len).sum()
    }

    /// True when there is no entry.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// (run, position) of `key`.
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(usize, usize)>
    where
        K: Borrow<Q>,
    {
        self.runs.iter().enumerate().find_map(|(r, run)| {
            run.binary_search_by(|(k, _)| k.borrow().cmp(key))
                .ok()
                .map(|at| (r, at))
        })
    }

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        let (r, at) = self.find(key)?;
        self.runs.get(r)?.get(at).map(|(_, v)| v)
    }

    /// The value of `key`, mutably.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let (r, at) = self.find(key)?;
        self.runs.get_mut(r)?.get_mut(at).map(|(_, v)| v)
    }

    /// Set `key` to `value`, returning the value it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.get_mut(&key) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => {
                self.insert_new(key, value);
                None
            }
        }
    }

    /// The entry of `key`, for [`Entry::or_default`].
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        Entry { map: self, key }
    }

    /// Add `key` (not present: check with [`RunMap::get_mut`] first).
    pub fn insert_new(&mut self, key: K, value: V) {
        if let [only] = self.runs.as_mut_slice() {
            if only.last().is_some_and(|(last, _)| *last < key) {
                only.push((key, value));
                return;
            }
            // A small map stays one run: a short move, no allocation.
            if only.len() < SMALL {
                let at = only.partition_point(|(k, _)| *k < key);
                only.insert(at, (key, value));
                return;
            }
        }
        self.runs.push(vec![(key, value)]);
        while let [.., before, last] = self.runs.as_slice() {
            if before.len() > last.len() {
                break;
            }
            let (Some(last), Some(before)) = (self.runs.pop(), self.runs.pop()) else {
                break;
            };
            self.runs.push(merge(before, last));
        }
    }

    /// The value of `key` when it is present (nothing changes); otherwise `key` is inserted
    /// with `value` and the answer is `None`. One search where [`RunMap::get`] and then
    /// [`RunMap::insert_new`] would make two.
    pub fn get_or_insert(&mut self, key: K, value: V) -> Option<&V> {
        let found = match self.runs.as_mut_slice() {
            [only] if only.len() < SMALL => {
                let at = only.partition_point(|(k, _)| *k < key);
                if !only.get(at).is_some_and(|(k, _)| *k == key) {
                    only.insert(at, (key, value));
                    return None;
                }
                Some((0, at))
            }
            _ => self.find(&key),
        };
        match found {
            Some((r, at)) => self.runs.get(r)?.get(at).map(|(_, v)| v),
            None => {
                self.insert_new(key, value);
                None
            }
        }
    }

    /// Remove `key`, returning its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let (r, at) = self.find(key)?;
        let run = self.runs.get_mut(r)?;
        let (_, value) = run.remove(at);
        if run.is_empty() {
            self.runs.remove(r);
        }
        Some(value)
    }

    /// Entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        let mut heads = self.runs.iter().map(|run| run.iter());
        Iter {
            first: heads.next().unwrap_or_default(),
            rest: heads.collect(),
        }
    }

    /// Entries in key order, values mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        let mut heads = self.runs.iter_mut().map(|run| run.iter_mut());
        IterMut {
            first: heads.next().unwrap_or_default(),
            rest: heads.collect(),
        }
    }

    /// Every value, in no particular order (no merge of the runs).
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.runs.iter().flatten().map(|(_, v)| v)
    }

    /// Every value, in no particular order.
    pub fn into_values(self) -> impl Iterator<Item = V> {
        self.runs.into_iter().flatten().map(|(_, v)| v)
    }
}

/// Two sorted runs with distinct keys as one.
fn merge<K: Ord, V>(a: Vec<(K, V)>, b: Vec<(K, V)>) -> Vec<(K, V)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some((x, _)), Some((y, _))) => x < y,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
}

/// Sort `(hash or offset, index)` pairs ascending: a heapsort, for the event scanner's key
/// hashes and the duplicate-key report. One small loop in the wasm instead of core's
/// `sort_unstable` (ipnsort + quicksort + small-sorts, ~6 KB per element type), still
/// O(n log n) in the worst case whatever a hostile payload's keys are; both callers sort
/// only in rare cases (many keys, or colliding hashes).
pub(crate) fn sort_pairs(v: &mut [(u64, u32)]) {
    let n = v.len();
    for root in (0..n / 2).rev() {
        sift_down(v, root, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// Move `v[root]` down the max-heap held in `v[..end]` until both children are smaller.
fn sift_down(v: &mut [(u64, u32)], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        let (Some(left), Some(top)) = (v.get(child), v.get(root)) else {
            return;
        };
        if child >= end {
            return;
        }
        let mut larger = *left;
        if let Some(right) = v.get(child + 1).filter(|_| child + 1 < end) {
            if *right > larger {
                larger = *right;
                child += 1;
            }
        }
        if *top >= larger {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

/// [`RunMap::iter`]: the smallest head of the runs, each step.
pub struct Iter<'a, K, V> {
    first: std::slice::Iter<'a, (K, V)>,
    rest: Vec<std::slice::Iter<'a, (K, V)>>,
}

impl<'a, K: Ord, V> Iterator for Iter<'a, K, V> {
    type Item = &'a (K, V);

    fn next(&mut self) -> Option<&'a (K, V)> {
        let mut best = &mut self.first;
        for run in &mut self.rest {
            let smaller = match (run.as_slice().first(), best.as_slice().first()) {
                (Some((k, _)), Some((b, _))) => k.cmp(b) == Ordering::Less,
                (Some(_), None) => true,
                _ => false,
            };
            if smaller {
                best = run;
            }
        }
        best.next()
    }
}

/// [`RunMap::iter_mut`]: the smallest head of the runs, each step.
struct IterMut<'a, K, V> {
    first: std::slice::IterMut<'a, (K, V)>,
    rest: Vec<std::slice::IterMut<'a, (K, V)>>,
}

impl<'a, K: Ord, V> Iterator for IterMut<'a, K, V> {
    type Item = (&'a K, &'a mut V);

    fn next(&mut self) -> Option<(&'a K, &'a mut V)> {
        let mut best = &mut self.first;
        for run in &mut self.rest {
            let smaller = match (run.as_slice().first(), best.as_slice().first()) {
                (Some((k, _)), Some((b, _))) => k.cmp(b) == Ordering::Less,
                (Some(_), None) => true,
                _ => false,
            };
            if smaller {
                best = run;
            }
        }
        best.next().map(|(k, v)| (&*k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::{sort_pairs, RunMap};
    use std::collections::BTreeMap;

    /// Random inserts, replacements, lookups and removals against `BTreeMap` (the oracle),
    /// keys ascending, descending and scrambled: same contents in the same order throughout.
    #[test]
    fn behaves_as_a_btree_map() {
        let mut next = crate::json::xorshift(0x2545_F491_4F6C_DD1D);
        for round in 0..300u64 {
            let (mut map, mut oracle) = (RunMap::default(), BTreeMap::new());
            let n = next() % 400;
            let range = 1 + next() % 600;
            for i in 0..n {
                let key = match round % 3 {
                    0 => i,
                    1 => n - i,
                    _ => next() % range,
                };
                match next() % 8 {
                    0 => assert_eq!(map.remove(&key), oracle.remove(&key)),
                    1 => assert_eq!(map.get(&key), oracle.get(&key)),
                    2 => match map.get_or_insert(key, i).copied() {
                        Some(old) => assert_eq!(Some(&old), oracle.get(&key)),
                        None => assert!(oracle.insert(key, i).is_none()),
                    },
                    _ => match map.get_mut(&key) {
                        Some(v) => {
                            *v = i;
                            assert!(oracle.insert(key, i).is_some());
                        }
                        None => {
                            map.insert_new(key, i);
                            assert!(oracle.insert(key, i).is_none());
                        }
                    },
                }
                assert_eq!(map.len(), oracle.len());
                assert_eq!(map.is_empty(), oracle.is_empty());
            }
            for (k, v) in map.iter_mut() {
                *v += *k;
            }
            for (k, v) in oracle.iter_mut() {
                *v += *k;
            }
            let mut same = RunMap::new();
            for (k, v) in oracle.iter().rev() {
                assert_eq!(same.insert(*k, *v), None);
                assert_eq!(same.insert(*k, *v), Some(*v));
            }
            assert_eq!(same, map);
            *same.entry(u64::MAX).or_default() += 1;
            *same.entry(u64::MAX).or_default() += 1;
            assert_eq!(same.get(&u64::MAX), Some(&2));
            assert_ne!(same, map);
            let got: Vec<_> = map.iter().map(|(k, v)| (*k, *v)).collect();
            let want: Vec<_> = oracle.iter().map(|(k, v)| (*k, *v)).collect();
            assert_eq!(got, want, "round {round}");
            let mut borrowed: Vec<_> = map.values().copied().collect();
            borrowed.sort_unstable();
            let mut values: Vec<_> = map.into_values().collect();
            values.sort_unstable();
            let mut want: Vec<_> = oracle.into_values().collect();
            want.sort_unstable();
            assert_eq!(values, want);
            assert_eq!(borrowed, want);
        }
    }

    /// `sort_pairs` against `sort_unstable` (the oracle): random lengths, few and many
    /// distinct hashes (ties broken by index), already sorted and reversed input.
    #[test]
    fn sort_pairs_sorts_as_sort_unstable() {
        let mut next = crate::json::xorshift(0x9E37_79B9_7F4A_7C15);
        for round in 0..2000u64 {
            let n = (next() % 300) as usize;
            let range = 1 + next() % [2, 16, 1000, u64::MAX][(round % 4) as usize];
            let mut v: Vec<(u64, u32)> = (0..n).map(|i| (next() % range, i as u32)).collect();
            match round % 7 {
                0 => v.sort_unstable(),
                1 => v.sort_unstable_by(|a, b| b.cmp(a)),
                _ => {}
            }
            let mut want = v.clone();
            want.sort_unstable();
            sort_pairs(&mut v);
            assert_eq!(v, want, "round {round}");
        }
    }
}
