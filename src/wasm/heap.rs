//! The heap behind the wasm build's global allocator (`src/wasm/alloc.rs`), written for this
//! crate's workload: every call allocates many small objects (`Rc<str>` keys, JSON values,
//! `Vec`/`String`s growing by doubling) and frees most of them when it ends; a few buffers (the
//! input copy, the output) are large. It replaces std's dlmalloc, which is 7 KiB of code.
//!
//! Plain Rust without wasm dependencies: memory comes from a [`Pages`] source (`memory.grow` in
//! the wasm build, a simulated memory in the unit tests, which run natively).
//!
//! Layout of the memory it manages (all of it obtained from [`Pages::grow`], contiguous):
//!
//! ```text
//!   [ large blocks and 64 KiB arenas, mixed | top .. end: grown, never used yet ]
//! ```
//!
//! - **Small blocks** (at most [`SMALL_MAX`] bytes after alignment rounding) are sized by one
//!   of [`CLASSES`] classes: multiples of 8 up to 128, then four classes per doubling up to
//!   8 KiB (at most 25 % rounding). Each class has a LIFO free list threaded through its free
//!   blocks; an empty list is refilled by carving blocks off the current 64 KiB arena, which
//!   comes from the large allocator. A small block never changes class: freed, it only serves
//!   its own class again.
//! - **Large blocks** are exact multiples of 16 bytes. Free ones sit in one list sorted by
//!   address, each coalesced with its free neighbours and given back to `top` when it ends
//!   there; allocation takes the first that fits (splitting it), else the top, growing memory
//!   by just the pages missing. `realloc` of the block that ends at `top` grows it in place, so
//!   a buffer doubling at the end of memory is never copied.
//!
//! No block has a header: the caller's `Layout` (the same for `alloc` and `dealloc`, as
//! `GlobalAlloc` requires) says the size, hence the class. Alignment up to 16 comes from the
//! classes (see [`Heap::alloc`]); larger ones are served by over-allocating (see
//! `alloc_aligned`).

// Memory management is unsafe by nature: each unsafe operation below says why it is sound.
#![allow(unsafe_code)]

use core::ptr;

/// The size of a wasm page, the unit of [`Pages::grow`].
pub(crate) const PAGE: usize = 64 * 1024;
/// The largest small block; larger requests are large blocks.
pub(crate) const SMALL_MAX: usize = 8192;
/// The number of small size classes (see [`class_of`]).
pub(crate) const CLASSES: usize = 40;
/// The size of an arena, the memory small blocks are carved from.
const ARENA: usize = 64 * 1024;
/// The granularity and alignment of large blocks, and the largest alignment served without
/// over-allocating.
const GRAIN: usize = 16;

/// Where the heap's memory comes from.
pub(crate) trait Pages {
    /// Adds `pages` pages of zeroed memory and returns the address of the first new byte, or
    /// `None` when there is no more memory. The new memory ends at an address `usize` can hold.
    /// It follows the previous one (as `memory.grow` does when nothing else grows the memory);
    /// the heap copes when it does not.
    fn grow(&mut self, pages: usize) -> Option<usize>;
}

/// The class of a small block of `size` bytes, `1 <= size <= SMALL_MAX`: sizes 1..=128 map to
/// classes 0..=15 (multiples of 8), larger ones to 16..=39 (four per doubling).
#[inline]
pub(crate) fn class_of(size: usize) -> usize {
    if size <= 128 {
        (size - 1) / 8
    } else {
        let m = size - 1;
        // `size` is in (2^e, 2^(e+1)], with 7 <= e <= 12: the quarter of that range it is in
        // is the two bits of `m` after its leading one.
        let e = (usize::BITS - 1 - m.leading_zeros()) as usize;
        16 + (e - 7) * 4 + ((m >> (e - 2)) & 3)
    }
}

/// The block size of class `c` (`c < CLASSES`): the largest size [`class_of`] maps to `c`.
#[inline]
pub(crate) fn class_size(c: usize) -> usize {
    if c < 16 {
        (c + 1) * 8
    } else {
        let k = c - 16;
        (5 + (k & 3)) << (k / 4 + 5)
    }
}

/// Rounds `x` up to a multiple of `to` (a power of two). Callers keep `x` far below
/// `usize::MAX` (sizes are at most `isize::MAX`, addresses inside the wasm memory).
#[inline]
fn round_up(x: usize, to: usize) -> usize {
    (x + to - 1) & !(to - 1)
}

/// The heap's state. Invariants (every method keeps them):
/// - `small[c]` is 0 or the address of a free block of class `c`, whose first word holds the
///   next one (0 ends the list). Blocks of a class whose size is a multiple of 16 are
///   16-aligned, the others 8-aligned.
/// - `[bump, bump_end)` is unused memory of the current arena (empty at first), `bump` 8-aligned.
/// - `large` is 0 or the address of the lowest free large block; each free large block holds
///   `[next, size]` (two words) at its start, `next` being a higher address (or 0) and never
///   adjacent (adjacent free blocks are merged). Every size and address there is a multiple of
///   16, and every free block lies below `top`.
/// - `[top, end)` is memory obtained from [`Pages`] and not handed out; `top` is a multiple of 16.
///   No free large block ends at `top` (it would have been given back to it).
pub(crate) struct Heap<P> {
    pages: P,
    small: [usize; CLASSES],
    bump: usize,
    bump_end: usize,
    large: usize,
    top: usize,
    end: usize,
}

/// Reads the word at `addr`. Safety: `addr` is word-aligned memory the heap owns (a free block).
#[inline]
unsafe fn get(addr: usize) -> usize {
    ptr::read(addr as *const usize)
}

/// Writes the word at `addr`. Safety: as [`get`].
#[inline]
unsafe fn set(addr: usize, value: usize) {
    ptr::write(addr as *mut usize, value)
}

/// The `size` word of the free large block at `node` (its `next` word is at `node`).
const SIZE: usize = core::mem::size_of::<usize>();

impl<P: Pages> Heap<P> {
    /// An empty heap taking memory from `pages`.
    pub(crate) const fn new(pages: P) -> Self {
        Heap {
            pages,
            small: [0; CLASSES],
            bump: 0,
            bump_end: 0,
            large: 0,
            top: 0,
            end: 0,
        }
    }

    /// The number of bytes a request of `size` bytes with alignment `align <= 16` occupies:
    /// sizes are rounded up to 16 for an alignment of 16, so that they fall in a class whose
    /// blocks are 16-aligned; and a size of 0 (never asked, by `GlobalAlloc`'s contract) counts as 1.
    #[inline]
    fn effective(size: usize, align: usize) -> usize {
        let size = size.max(1);
        if align > 8 {
            round_up(size, GRAIN)
        } else {
            size
        }
    }

    /// Allocates `size` bytes aligned to `align`, or returns null when memory is exhausted.
    ///
    /// # Safety
    /// `align` is a power of two and `size` rounded up to `align` is at most `isize::MAX`
    /// (what a `Layout` guarantees). The heap's memory is used by nothing else.
    // Not inlined (nor `dealloc`, `realloc`): one copy, called, rather than one in every drop.
    #[inline(never)]
    pub(crate) unsafe fn alloc(&mut self, size: usize, align: usize) -> *mut u8 {
        if align > GRAIN {
            return self.alloc_aligned(size, align);
        }
        let s = Self::effective(size, align);
        let addr = if s <= SMALL_MAX {
            self.alloc_small(class_of(s))
        } else {
            self.alloc_large(round_up(s, GRAIN))
        };
        addr.map_or(ptr::null_mut(), |a| a as *mut u8)
    }

    /// Frees a block [`alloc`](Self::alloc) (or [`realloc`](Self::realloc)) returned.
    ///
    /// # Safety
    /// `p` was returned by this heap for this `size` and `align` and is not used afterwards.
    #[inline(never)]
    pub(crate) unsafe fn dealloc(&mut self, p: *mut u8, size: usize, align: usize) {
        if align > GRAIN {
            return self.dealloc_aligned(p, size, align);
        }
        let s = Self::effective(size, align);
        if s <= SMALL_MAX {
            let c = class_of(s);
            set(p as usize, self.small[c]);
            self.small[c] = p as usize;
        } else {
            self.free_large(p as usize, round_up(s, GRAIN));
        }
    }

    /// Resizes the block `p` of `size` bytes to `new_size` bytes, in place when it can, else by
    /// moving it (the first `min(size, new_size)` bytes are kept). Null when memory is exhausted
    /// (then `p` is still allocated, unchanged).
    ///
    /// # Safety
    /// As [`dealloc`](Self::dealloc) for `p`, `size`, `align`; and as [`alloc`](Self::alloc)
    /// for `new_size`, `align`.
    #[inline(never)]
    pub(crate) unsafe fn realloc(
        &mut self,
        p: *mut u8,
        size: usize,
        align: usize,
        new_size: usize,
    ) -> *mut u8 {
        if align <= GRAIN {
            let (old, new) = (
                Self::effective(size, align),
                Self::effective(new_size, align),
            );
            if old <= SMALL_MAX && new <= SMALL_MAX {
                if self.resize_small(p as usize, class_of(old), class_of(new)) {
                    return p;
                }
            } else if old > SMALL_MAX && new > SMALL_MAX {
                let (old, new) = (round_up(old, GRAIN), round_up(new, GRAIN));
                if self.resize_large(p as usize, old, new) {
                    return p;
                }
            }
        }
        let q = self.alloc(new_size, align);
        if !q.is_null() {
            // Two distinct live blocks: they do not overlap.
            ptr::copy_nonoverlapping(p, q, size.min(new_size));
            self.dealloc(p, size, align);
        }
        q
    }

    /// Whether the small block `p` of class `c` can become one of class `to` where it is: the
    /// same class, or the block carved last from the arena (it ends at `bump`) when the arena
    /// holds the new size there and `p` has the new class's alignment. A `Vec` or `String`
    /// growing while nothing else is carved then grows in place, without a copy.
    #[inline]
    fn resize_small(&mut self, p: usize, c: usize, to: usize) -> bool {
        if c == to {
            return true;
        }
        let size = class_size(to);
        let align = if size % 16 == 0 { 16 } else { 8 };
        if p + class_size(c) == self.bump && p + size <= self.bump_end && p % align == 0 {
            self.bump = p + size;
            return true;
        }
        false
    }

    /// A block of class `c`: the head of its free list, else carved from the arena.
    #[inline]
    unsafe fn alloc_small(&mut self, c: usize) -> Option<usize> {
        let head = self.small[c];
        if head != 0 {
            self.small[c] = get(head);
            return Some(head);
        }
        self.carve(c)
    }

    /// Carves a new block of class `c` off the arena, starting a new arena when it is too
    /// short (the old one's tail, less than one block, stays unused).
    #[inline(never)]
    unsafe fn carve(&mut self, c: usize) -> Option<usize> {
        let size = class_size(c);
        let align = if size % 16 == 0 { 16 } else { 8 };
        let mut at = round_up(self.bump, align);
        if at + size > self.bump_end {
            let arena = self.alloc_large(ARENA)?;
            (at, self.bump_end) = (arena, arena + ARENA);
        }
        self.bump = at + size;
        Some(at)
    }

    /// A large block of `n` bytes (`n` a multiple of 16): the smallest free block that fits
    /// (the lowest of those; its tail stays free), else the top. Best fit keeps big free
    /// regions whole for big requests: an arena or a small buffer goes into the smallest gap.
    unsafe fn alloc_large(&mut self, n: usize) -> Option<usize> {
        // `link` is the word pointing at `node`: `self.large` or the previous node's `next`;
        // `best` is the link of the best fit so far (null: none), `best_size` its size.
        let mut link: *mut usize = &mut self.large;
        let (mut best, mut best_size): (*mut usize, usize) = (ptr::null_mut(), usize::MAX);
        while *link != 0 {
            let node = *link;
            let size = get(node + SIZE);
            if size >= n && size < best_size {
                (best, best_size) = (link, size);
                if size == n {
                    break;
                }
            }
            link = node as *mut usize;
        }
        if best.is_null() {
            return self.take_top(n);
        }
        let node = *best;
        let next = get(node);
        // Both multiples of 16: the rest is 0 or a valid free block of its own.
        if best_size == n {
            *best = next;
        } else {
            let rest = node + n;
            set(rest, next);
            set(rest + SIZE, best_size - n);
            *best = rest;
        }
        Some(node)
    }

    /// `n` bytes (a multiple of 16) from the top, growing memory by the pages missing.
    unsafe fn take_top(&mut self, n: usize) -> Option<usize> {
        if !self.ensure_top(n) {
            return None;
        }
        let at = self.top;
        self.top += n;
        Some(at)
    }

    /// Makes `[top, top + n)` available, growing memory by the pages missing; false when
    /// memory is exhausted.
    unsafe fn ensure_top(&mut self, n: usize) -> bool {
        while self.end - self.top < n {
            let pages = (n - (self.end - self.top)).div_ceil(PAGE);
            let Some(base) = self.pages.grow(pages) else {
                return false;
            };
            if base != self.end {
                // Not after the old memory (something else grew it): the old `[top, end)` is
                // abandoned and the new memory becomes the top (page addresses are multiples of 16).
                self.top = base;
            }
            self.end = base + pages * PAGE;
        }
        true
    }

    /// Frees the large block `[p, p + n)`: merged with the free blocks next to it, given back
    /// to the top when it ends there, else kept in the address-sorted free list.
    #[inline(never)]
    unsafe fn free_large(&mut self, p: usize, n: usize) {
        // Find the free blocks before (`prev`, 0 if none) and after (`node`) `p`; `prev_link`
        // points at the word holding `prev`, `link` at the one holding `node`.
        let mut prev_link: *mut usize = ptr::null_mut();
        let mut link: *mut usize = &mut self.large;
        let mut node = *link;
        while node != 0 && node < p {
            prev_link = link;
            link = node as *mut usize;
            node = *link;
        }
        let prev = if prev_link.is_null() { 0 } else { *prev_link };
        let (mut start, mut size, mut next) = (p, n, node);
        if node != 0 && p + n == node {
            size += get(node + SIZE);
            next = get(node);
        }
        if prev != 0 && prev + get(prev + SIZE) == p {
            start = prev;
            size += get(prev + SIZE);
            link = prev_link;
        }
        if start + size == self.top {
            // The last block: nothing free lies after it (`next` is 0), back to the top.
            self.top = start;
            *link = 0;
        } else {
            set(start, next);
            set(start + SIZE, size);
            *link = start;
        }
    }

    /// Resizes the large block `[p, p + old)` to `new` bytes in place (both multiples of 16):
    /// a shrink frees the tail, a growth takes the top when the block ends there. False when it
    /// cannot (the caller then moves the block).
    #[inline(never)]
    unsafe fn resize_large(&mut self, p: usize, old: usize, new: usize) -> bool {
        if new <= old {
            if new < old {
                self.free_large(p + new, old - new);
            }
            return true;
        }
        let top = self.top;
        if p + old != top {
            return false;
        }
        // The growth comes from the top, right after the block, unless memory ran out or the
        // top moved elsewhere (new memory not after the old: never on wasm).
        if !self.ensure_top(new - old) || self.top != top {
            return false;
        }
        self.top += new - old;
        true
    }

    /// `size` bytes aligned to `align > 16`: a block of `size + align` bytes, handing out its
    /// first `align`-aligned address past its start; the start is kept in the word just
    /// before it (at least 16 bytes lie between the two, both being multiples of 16).
    #[inline(never)]
    unsafe fn alloc_aligned(&mut self, size: usize, align: usize) -> *mut u8 {
        // A Layout keeps `size + align - 1` within `isize::MAX`: no overflow.
        let base = self.alloc(size + align, GRAIN);
        if base.is_null() {
            return base;
        }
        let at = (base as usize + align) & !(align - 1);
        set(at - SIZE, base as usize);
        at as *mut u8
    }

    /// Frees a block [`alloc_aligned`](Self::alloc_aligned) returned.
    #[inline(never)]
    unsafe fn dealloc_aligned(&mut self, p: *mut u8, size: usize, align: usize) {
        let base = get(p as usize - SIZE);
        self.dealloc(base as *mut u8, size + align, GRAIN);
    }

    /// The bytes of memory obtained from [`Pages`] and not free: for tests and measurements.
    #[cfg(test)]
    pub(crate) fn top(&self) -> usize {
        self.top
    }
}

// Run natively (src/lib.rs includes this file under `cfg(test)`), over a simulated memory.
#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A simulated wasm memory: `cap` bytes reserved at a 64 KiB-aligned address, handed out a
    /// page at a time; `grown` counts what was handed out.
    struct SimPages {
        base: *mut u8,
        cap: usize,
        grown: usize,
    }

    impl SimPages {
        fn new(cap: usize) -> Self {
            let layout = std::alloc::Layout::from_size_align(cap, PAGE).expect("layout");
            // Safety: a non-zero size.
            let base = unsafe { std::alloc::alloc_zeroed(layout) };
            assert!(!base.is_null());
            SimPages {
                base,
                cap,
                grown: 0,
            }
        }
        fn contains(&self, at: usize, len: usize) -> bool {
            let base = self.base as usize;
            at >= base && at + len <= base + self.grown
        }
    }

    impl Drop for SimPages {
        fn drop(&mut self) {
            let layout = std::alloc::Layout::from_size_align(self.cap, PAGE).expect("layout");
            // Safety: allocated in `new` with this layout.
            unsafe { std::alloc::dealloc(self.base, layout) }
        }
    }

    impl Pages for SimPages {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            let bytes = pages * PAGE;
            if self.grown + bytes > self.cap {
                return None;
            }
            let at = self.base as usize + self.grown;
            self.grown += bytes;
            Some(at)
        }
    }

    #[test]
    fn classes_cover_every_small_size_tightly() {
        for size in 1..=SMALL_MAX {
            let c = class_of(size);
            assert!(c < CLASSES, "size {size}");
            let block = class_size(c);
            assert!(block >= size, "size {size} in class {c} of {block}");
            assert!(
                c == 0 || class_size(c - 1) < size,
                "size {size}: a smaller class fits"
            );
            // The rounding waste is bounded: under 8 bytes, or under a quarter of the size.
            assert!(
                block - size < 8 || (block - size) * 4 < size,
                "size {size} → {block}"
            );
        }
        for c in 0..CLASSES {
            assert_eq!(class_of(class_size(c)), c);
            assert_eq!(class_size(c) % 8, 0);
            assert!(c < 16 || class_size(c) % 16 == 0);
        }
        assert_eq!(class_size(CLASSES - 1), SMALL_MAX);
    }

    /// A live block of the model: its layout and the byte it is filled with.
    #[derive(Clone, Copy)]
    struct Block {
        size: usize,
        align: usize,
        fill: u8,
    }

    /// Fills `[at, at + size)` with `fill`.
    fn fill(at: usize, size: usize, fill: u8) {
        // Safety: a live block of the heap, at least `size` bytes.
        unsafe { ptr::write_bytes(at as *mut u8, fill, size) }
    }

    /// Whether `[at, at + len)` still holds `fill` everywhere.
    fn holds(at: usize, len: usize, fill: u8) -> bool {
        // Safety: a live block of the heap, at least `len` bytes.
        unsafe { core::slice::from_raw_parts(at as *const u8, len) }
            .iter()
            .all(|&b| b == fill)
    }

    /// Checks a block the heap just handed out: aligned, inside the memory, overlapping no
    /// other live block; then records and fills it.
    fn place(heap: &Heap<SimPages>, live: &mut BTreeMap<usize, Block>, at: usize, b: Block) {
        assert_ne!(at, 0, "out of memory");
        assert_eq!(at % b.align, 0, "alignment {} of {at:#x}", b.align);
        assert!(heap.pages.contains(at, b.size), "outside the memory");
        if let Some((&before, prev)) = live.range(..=at).next_back() {
            assert!(before + prev.size <= at, "overlaps the block before");
        }
        if let Some((&after, _)) = live.range(at..).next() {
            assert!(at + b.size <= after, "overlaps the block after");
        }
        fill(at, b.size, b.fill);
        live.insert(at, b);
    }

    /// A request size: mostly small, some medium, a few large (up to 300 KB).
    fn size(rand: &mut impl FnMut() -> u64) -> usize {
        let r = rand();
        let size = match r % 16 {
            0..=9 => r >> 8 & 63,
            10..=12 => r >> 8 & 1023,
            13..=14 => r >> 8 & 16383,
            _ => r >> 8 & 0x3ffff,
        };
        size as usize + 1
    }

    /// Runs `ops` random allocations, reallocations and frees checked against the model.
    fn run(heap: &mut Heap<SimPages>, seed: u64, ops: usize, live: &mut BTreeMap<usize, Block>) {
        let mut rand = crate::json::xorshift(seed);
        const ALIGNS: [usize; 9] = [1, 2, 4, 8, 8, 16, 32, 64, 4096];
        for op in 0..ops {
            let pick = live.len().checked_sub(1).map(|n| rand() as usize % (n + 1));
            let victim = pick.and_then(|i| live.iter().nth(i).map(|(&a, &b)| (a, b)));
            let fill_byte = (op % 251) as u8 + 1;
            match (rand() % 10, victim) {
                (0..=2, Some((at, b))) => {
                    assert!(holds(at, b.size, b.fill), "a live block was overwritten");
                    live.remove(&at);
                    // Safety: a live block of this layout.
                    unsafe { heap.dealloc(at as *mut u8, b.size, b.align) };
                }
                (3..=5, Some((at, b))) => {
                    // Grow by doubling most of the time, as Vec does; sometimes any size.
                    let new_size = if rand() % 4 == 0 {
                        size(&mut rand)
                    } else {
                        (b.size * 2).min(1 << 21)
                    };
                    live.remove(&at);
                    // Safety: a live block of this layout; a valid new size.
                    let q = unsafe { heap.realloc(at as *mut u8, b.size, b.align, new_size) };
                    let kept = b.size.min(new_size);
                    assert!(holds(q as usize, kept, b.fill), "realloc lost the contents");
                    let nb = Block {
                        size: new_size,
                        ..b
                    };
                    place(
                        heap,
                        live,
                        q as usize,
                        Block {
                            fill: fill_byte,
                            ..nb
                        },
                    );
                }
                _ => {
                    let align = ALIGNS[rand() as usize % ALIGNS.len()];
                    let b = Block {
                        size: size(&mut rand),
                        align,
                        fill: fill_byte,
                    };
                    // Safety: a valid layout.
                    let at = unsafe { heap.alloc(b.size, b.align) } as usize;
                    place(heap, live, at, b);
                }
            }
        }
    }

    /// Frees every live block, checking it was not overwritten.
    fn free_all(heap: &mut Heap<SimPages>, live: &mut BTreeMap<usize, Block>) {
        for (at, b) in std::mem::take(live) {
            assert!(holds(at, b.size, b.fill), "a live block was overwritten");
            // Safety: a live block of this layout.
            unsafe { heap.dealloc(at as *mut u8, b.size, b.align) };
        }
    }

    #[test]
    fn random_sequences_match_the_model() {
        for seed in 1..=8u64 {
            let mut heap = Heap::new(SimPages::new(256 << 20));
            let mut live = BTreeMap::new();
            run(&mut heap, seed * 0x9e37_79b9, 4000, &mut live);
            free_all(&mut heap, &mut live);
            // Everything was freed: the same again still matches the model.
            run(&mut heap, seed * 0x9e37_79b9 + 1, 4000, &mut live);
            free_all(&mut heap, &mut live);
        }
    }

    /// One call of the wasm layer, roughly: many small objects (keys, values), a few buffers
    /// growing by doubling (parsed text, output), all freed at the end.
    fn call(heap: &mut Heap<SimPages>, rand: &mut impl FnMut() -> u64, buffer: usize) {
        let mut small = Vec::new();
        let (mut out, mut out_size): (*mut u8, usize) = (ptr::null_mut(), 0);
        // Safety: valid layouts; each block freed once with its own layout.
        unsafe {
            let input = heap.alloc(buffer, 1);
            fill(input as usize, buffer, 1);
            for i in 0..20_000 {
                let size = (rand() % 200 + 1) as usize;
                small.push((heap.alloc(size, 8), size));
                if i % 1000 == 0 {
                    let new_size = (out_size * 2).max(8);
                    out = if out.is_null() {
                        heap.alloc(new_size, 1)
                    } else {
                        heap.realloc(out, out_size, 1, new_size)
                    };
                    out_size = new_size;
                }
                if i % 3 == 0 {
                    let (p, size) = small.swap_remove(rand() as usize % small.len());
                    heap.dealloc(p, size, 8);
                }
            }
            for (p, size) in small {
                heap.dealloc(p, size, 8);
            }
            heap.dealloc(out, out_size, 1);
            heap.dealloc(input, buffer, 1);
        }
    }

    #[test]
    fn repeated_calls_reuse_their_memory() {
        let mut heap = Heap::new(SimPages::new(64 << 20));
        let mut rand = crate::json::xorshift(7);
        call(&mut heap, &mut rand, 1 << 20);
        let grown = heap.pages.grown;
        for _ in 0..20 {
            call(&mut heap, &mut rand, 1 << 20);
        }
        assert_eq!(heap.pages.grown, grown, "memory kept growing");
    }

    #[test]
    fn a_buffer_doubling_at_the_top_grows_in_place() {
        let mut heap = Heap::new(SimPages::new(128 << 20));
        // Safety: valid layouts; each realloc passes the block's current size.
        unsafe {
            let mut p = heap.alloc(16 << 10, 1);
            let first = p;
            let mut size = 16 << 10;
            while size < 40 << 20 {
                p = heap.realloc(p, size, 1, size * 2);
                size *= 2;
                assert_eq!(p, first, "moved at {size}");
            }
            // 64 MiB of buffer cost 64 MiB of memory, not more.
            assert_eq!(heap.pages.grown, size);
            heap.dealloc(p, size, 1);
        }
        assert_eq!(
            heap.top(),
            heap.pages.base as usize,
            "freed back to the top"
        );
    }

    #[test]
    fn freed_large_blocks_are_merged_and_reused() {
        let mut heap = Heap::new(SimPages::new(64 << 20));
        // Safety: valid layouts, each freed once with its own layout.
        unsafe {
            let blocks: Vec<*mut u8> = (0..8).map(|_| heap.alloc(1 << 20, 8)).collect();
            let guard = heap.alloc(100, 8);
            let grown = heap.pages.grown;
            // Free in an order that needs merging on both sides.
            for i in [1, 3, 2, 0, 5, 7, 6, 4] {
                heap.dealloc(blocks[i], 1 << 20, 8);
            }
            // One 8 MiB block fits in the merged space: no new memory.
            let big = heap.alloc(8 << 20, 16);
            assert_eq!(big, blocks[0]);
            assert_eq!(heap.pages.grown, grown);
            heap.dealloc(big, 8 << 20, 16);
            heap.dealloc(guard, 100, 8);
        }
    }

    #[test]
    fn out_of_memory_is_null_and_the_heap_still_works() {
        let mut heap = Heap::new(SimPages::new(4 << 20));
        // Safety: valid layouts.
        unsafe {
            let small = heap.alloc(24, 8);
            assert!(!small.is_null());
            assert!(heap.alloc(8 << 20, 8).is_null());
            assert!(heap.alloc(1 << 30, 4096).is_null());
            let p = heap.alloc(1 << 20, 8);
            assert!(!p.is_null());
            assert!(heap.realloc(p, 1 << 20, 8, 16 << 20).is_null());
            // A failed realloc leaves the block allocated and unchanged.
            fill(p as usize, 1 << 20, 7);
            let q = heap.realloc(p, 1 << 20, 8, 2 << 20);
            assert!(!q.is_null());
            assert!(holds(q as usize, 1 << 20, 7));
            heap.dealloc(q, 2 << 20, 8);
            heap.dealloc(small, 24, 8);
        }
    }

    #[test]
    fn small_blocks_are_reused_last_in_first_out() {
        let mut heap = Heap::new(SimPages::new(1 << 20));
        // Safety: valid layouts, each freed once with its own layout.
        unsafe {
            let a = heap.alloc(40, 8);
            let b = heap.alloc(33, 4);
            heap.dealloc(a, 40, 8);
            heap.dealloc(b, 33, 4);
            assert_eq!(heap.alloc(35, 8), b);
            assert_eq!(heap.alloc(40, 1), a);
            // Same class: realloc keeps the block.
            assert_eq!(heap.realloc(a, 40, 1, 36), a);
            // 16-aligned requests round up to a 16-aligned class.
            let c = heap.alloc(40, 16);
            assert_eq!(c as usize % 16, 0);
            assert_ne!(c, a);
            // The block carved last grows and shrinks in place; another one moves.
            assert_eq!(heap.realloc(c, 40, 16, 100), c);
            assert_eq!(heap.realloc(c, 100, 16, 20), c);
            let d = heap.alloc(8, 8);
            assert_ne!(heap.realloc(c, 20, 16, 100), c);
            heap.dealloc(d, 8, 8);
        }
    }
}
