// The main wasm's reused input buffer, seen from JS. Not in instance.js: the slim
// `calhook/signature` build shares instance.js with a glue of its own, which has no
// `input_view` (and strict bundlers such as webpack refuse an import it does not export).
import * as glue from './wasm.js';

// Bodies up to this many bytes have their view of wasm's input buffer kept: src/wasm/input.rs
// KEEP_BYTES, below which the buffer moves only when `input_view` is called.
const INPUT_KEEP_BYTES = 1 << 20;
let inputCache = null;
let inputGeneration = -1;

/**
 * A view of at least `len` bytes of wasm's reused input buffer (src/wasm/input.rs), to be
 * written and then read by a `*_input` call inside the same `run`. The last view is reused
 * while it is still the buffer's: same instance (a reset makes a new one), memory not grown (a
 * grown memory detaches the old view, whose length then reads 0) and long enough. Every
 * request goes through here, so no view is kept past a call that moved the buffer.
 */
export function inputView(len) {
  const gen = glue.__calhook_current_generation();
  if (inputCache !== null && inputCache.length >= len && inputGeneration === gen) return inputCache;
  const view = glue.input_view(len);
  inputCache = len <= INPUT_KEEP_BYTES ? view : null;
  inputGeneration = gen;
  return view;
}
