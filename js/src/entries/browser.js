// Browsers and bundlers: instantiate asynchronously (streaming) once. `await ready()` before the
// first call; calling it again returns the same promise.
import init from '../wasm.js';
import { markReady } from '../ready.js';

let pending;

/** Load the wasm once; safe to call any number of times. Optionally pass the .wasm URL/bytes. */
export function ready(input) {
  pending ??= init({ module_or_path: input ?? new URL('../calhook_bg.wasm', import.meta.url) }).then(() => {
    markReady();
  });
  return pending;
}

export default ready;
export * from '../index.js';
