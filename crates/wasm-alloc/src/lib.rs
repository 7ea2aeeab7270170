//! The allocator of the npm package's WebAssembly modules (`flexkit`, `flexkit/sandbox`,
//! `flexkit/flexiti`): power-of-two size classes, one free list per class, fresh blocks cut
//! from the end of linear memory. It replaces std's dlmalloc (about 7 KB of code) with a few hundred bytes: 2.3 to
//! 2.4 KB brotli less for each of the sandbox and Flexiti modules. The portal keeps dlmalloc:
//! there the swap measured 1.2 KB smaller raw but 1.5 KB larger in brotli (LLVM inlines the
//! small allocator into its callers differently).
//! WebAssembly memory never shrinks, so a general-purpose allocator's coalescing buys nothing
//! here: a freed block is reused by the next request of its class, and at most half of a block
//! is unused. A growing vector or text moves up one class at a time, so what it leaves behind is
//! at most the size it reached, and the next one of that size takes it again.
//!
//! Single-threaded: the modules are built without the `atomics` target feature, so nothing
//! else can run while an allocation is in progress. Each module declares it:
//!
//! ```ignore
//! #[cfg(target_arch = "wasm32")]
//! #[global_allocator]
//! static ALLOCATOR: flexkit_wasm_alloc::Allocator = flexkit_wasm_alloc::Allocator::new();
//! ```

#![no_std]
#![cfg(target_arch = "wasm32")]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

const PAGE: usize = 65_536;
/// Blocks are at least this large and aligned at least this much.
const MIN_BLOCK: usize = 16;
const CLASSES: usize = usize::BITS as usize;

struct State {
    /// Head of the free list of each class (block size `1 << class`); 0 when empty. A free
    /// block holds the address of the next free block of its class.
    free: [usize; CLASSES],
    /// The unused end of the memory this allocator grew: `next..end`.
    next: usize,
    end: usize,
}

pub struct Allocator(UnsafeCell<State>);

// SAFETY: the module is single-threaded (no `atomics` target feature).
unsafe impl Sync for Allocator {}

impl Default for Allocator {
    fn default() -> Self {
        Self::new()
    }
}

impl Allocator {
    pub const fn new() -> Self {
        Allocator(UnsafeCell::new(State {
            free: [0; CLASSES],
            next: 0,
            end: 0,
        }))
    }
}

/// The class of a layout: `1 << class` bytes hold it with its alignment.
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(MIN_BLOCK);
    let block = size.checked_next_power_of_two()?;
    Some(block.trailing_zeros() as usize)
}

impl State {
    /// A fresh block of `size` bytes aligned to `align` from the end of memory.
    unsafe fn carve(&mut self, size: usize, align: usize) -> *mut u8 {
        if let Some(start) = align_up(self.next, align) {
            if start.checked_add(size).is_some_and(|e| e <= self.end) {
                self.next = start + size;
                return start as *mut u8;
            }
        }
        // Grow memory by enough pages for the block wherever the new pages start. Every sum
        // is checked: near the 4 GiB end of a 32-bit address space an overflow must mean
        // "no memory", never a wrapped address.
        let Some(want) = size.checked_add(align) else {
            return core::ptr::null_mut();
        };
        let pages = want.div_ceil(PAGE);
        let old = core::arch::wasm32::memory_grow(0, pages);
        if old == usize::MAX {
            return core::ptr::null_mut();
        }
        let (Some(base), Some(len)) = (old.checked_mul(PAGE), pages.checked_mul(PAGE)) else {
            return core::ptr::null_mut();
        };
        let Some(end) = base.checked_add(len) else {
            return core::ptr::null_mut();
        };
        if base != self.end {
            // Someone else grew memory in between: start over at the new pages.
            self.next = base;
        }
        self.end = end;
        match align_up(self.next, align) {
            Some(start) if start.checked_add(size).is_some_and(|e| e <= end) => {
                self.next = start + size;
                start as *mut u8
            }
            _ => core::ptr::null_mut(),
        }
    }
}

/// `value` rounded up to a multiple of `align` (a power of two); `None` on overflow.
fn align_up(value: usize, align: usize) -> Option<usize> {
    Some(value.checked_add(align - 1)? & !(align - 1))
}

unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            return core::ptr::null_mut();
        };
        // SAFETY: single-threaded, and no reference into the state outlives this call.
        let state = unsafe { &mut *self.0.get() };
        let head = state.free[class];
        // Listed blocks are aligned to MIN_BLOCK only; stricter alignments get fresh blocks.
        if head != 0 && layout.align() <= MIN_BLOCK {
            // SAFETY: `head` is a free block of this class; its first word links the list.
            state.free[class] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        unsafe { state.carve(1 << class, layout.align().max(MIN_BLOCK)) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout) else {
            return;
        };
        let state = unsafe { &mut *self.0.get() };
        // SAFETY: the block is ours, at least MIN_BLOCK bytes and aligned to a word.
        unsafe { *(ptr as *mut usize) = state.free[class] };
        state.free[class] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return core::ptr::null_mut();
        };
        if class_of(layout) == class_of(new_layout) {
            return ptr;
        }
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks hold at least the smaller size and do not overlap.
            unsafe {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}
