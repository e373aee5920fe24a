//! One reused input buffer in wasm memory, written by JS in place.
//!
//! wasm-bindgen passes `&[u8]` and `&str` by allocating, copying and freeing on every call; for
//! a body that JS has as a string, that is an encode into a fresh array plus a second copy. Here
//! JS asks for a view of this buffer ([`input_view`]), writes the body straight into it with
//! `TextEncoder.encodeInto` (or `set` for bytes), and the next call reads it with
//! [`with_input`]. The buffer lives in the instance: after a trap and re-instantiation the JS
//! layer asks the new instance for a new view, so nothing stale is ever written or read.

use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Buffers grown past this are released after use, so one huge body does not pin memory.
const KEEP_BYTES: usize = 1 << 20;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A `Uint8Array` over the first `len` bytes of the input buffer (grown as needed): JS writes
/// the input into it, then calls a `*_input` function. The buffer moves only here, and a buffer
/// of at most [`KEEP_BYTES`] is never freed, so such a view stays valid for later calls as
/// long as wasm memory does not grow (which detaches it) and the instance is not replaced.
#[wasm_bindgen]
pub fn input_view(len: usize) -> Result<js_sys::Uint8Array, JsValue> {
    INPUT.with_borrow_mut(|buf| {
        if buf.len() < len {
            buf.resize(len, 0);
        } else if buf.len() > KEEP_BYTES && len <= KEEP_BYTES {
            // A huge buffer left by a call that never reached `with_input`: replaced now, so
            // that a buffer handed out at most KEEP_BYTES long is never freed by `with_input`
            // (JS keeps such a view for later calls: js/src/instance.js `inputView`).
            *buf = vec![0; len];
        }
        memory_view(buf.as_ptr() as usize, len)
    })
}

/// A `Uint8Array` over `len` bytes of wasm memory at `ptr`.
pub(crate) fn memory_view(ptr: usize, len: usize) -> Result<js_sys::Uint8Array, JsValue> {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    match (u32::try_from(ptr), u32::try_from(len)) {
        (Ok(ptr), Ok(len)) => Ok(js_sys::Uint8Array::new_with_byte_offset_and_length(
            &memory.buffer(),
            ptr,
            len,
        )),
        _ => Err(super::js_error(
            "INVALID_ARGUMENT",
            "The input is too large for wasm memory.",
        )),
    }
}

/// Run `f` on the first `len` bytes JS wrote into the input buffer.
pub(crate) fn with_input<T>(len: usize, f: impl FnOnce(&[u8]) -> T) -> T {
    INPUT.with_borrow_mut(|buf| {
        let out = f(buf.get(..len).unwrap_or_default());
        if buf.len() > KEEP_BYTES {
            *buf = Vec::new();
        }
        out
    })
}
