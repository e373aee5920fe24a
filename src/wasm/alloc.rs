//! The wasm build's global allocator: [`super::heap::Heap`] over `memory.grow`, instead of
//! std's dlmalloc (7 KiB of code, more than this workload needs). Native builds keep the system
//! allocator. Out of memory, `alloc` returns null: std then aborts (a trap), and the JS layer
//! replaces the instance (js/src/instance.js).

// Memory management is unsafe by nature: each unsafe operation below says why it is sound.
#![allow(unsafe_code)]

use super::heap::{Heap, Pages, PAGE};
use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

// One thread: the heap's state is touched by one call at a time. A build with wasm threads
// (shared memory) would need a lock; refuse it rather than race.
#[cfg(target_feature = "atomics")]
compile_error!("calhook's wasm allocator is single-threaded: build without the atomics feature");

/// The wasm memory itself: pages from `memory.grow` (memory 0, the only one).
struct WasmPages;

/// The pages a wasm32 memory can have (4 GiB); the heap stops one short so that every address
/// and end of memory fits in a `usize`.
const MAX_PAGES: usize = 65536;

impl Pages for WasmPages {
    fn grow(&mut self, pages: usize) -> Option<usize> {
        if core::arch::wasm32::memory_size(0) + pages >= MAX_PAGES {
            return None;
        }
        // `memory.grow` returns the old size in pages (the first new page), or -1 (usize::MAX).
        let old = core::arch::wasm32::memory_grow(0, pages);
        (old != usize::MAX).then(|| old * PAGE)
    }
}

/// The heap behind `#[global_allocator]`.
struct WasmAllocator(UnsafeCell<Heap<WasmPages>>);

// Safety: wasm32 without the atomics feature (checked above) runs one thread, and the heap's
// methods call nothing that allocates, so there is never a second `&mut` to the heap.
unsafe impl Sync for WasmAllocator {}

#[global_allocator]
static ALLOCATOR: WasmAllocator = WasmAllocator(UnsafeCell::new(Heap::new(WasmPages)));

// Safety: the heap hands out disjoint blocks of at least the requested size and alignment
// (src/wasm/heap.rs documents and tests its invariants); every layout passed here comes from
// `GlobalAlloc`'s callers, which keep its contract (non-zero sizes, matching layouts).
unsafe impl GlobalAlloc for WasmAllocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).alloc(layout.size(), layout.align())
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.0.get()).dealloc(ptr, layout.size(), layout.align())
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size)
    }
}
