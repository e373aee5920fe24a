// Browsers and bundlers: instantiate asynchronously (streaming) once. `await ready()` before the
// first call; calling it again returns the same promise.
import init from '../wasm.js';
import { markReady } from '../ready.js';
import { wasmLoadFailed } from '../error.js';

let pending;

function describeInput(input) {
  if (typeof input === 'string') return input;
  if (typeof URL === 'function' && input instanceof URL) return input.href;
  if (typeof Response === 'function' && input instanceof Response) return input.url || 'the given Response';
  return 'the given bytes';
}

// What a failed load means and how to fix it; a bundler that does not emit assets referenced by
// `new URL(..., import.meta.url)` (esbuild, Rollup without a plugin, bun build) is the usual cause.
function loadFailed(input, cause) {
  const where = describeInput(input);
  return wasmLoadFailed(
    `calhook could not load its WebAssembly from ${where}: ${cause && cause.message}. ` +
      'If your bundler did not emit calhook_bg.wasm, serve node_modules/calhook/dist/calhook_bg.wasm ' +
      "yourself and pass its URL (or its bytes) once: `await ready('/calhook_bg.wasm')`.",
    cause,
  );
}

/** Load the wasm once; safe to call any number of times. Optionally pass the .wasm URL/bytes. */
export function ready(input) {
  if (pending) return pending;
  const source = input ?? new URL('../calhook_bg.wasm', import.meta.url);
  pending = init({ module_or_path: source }).then(
    () => {
      markReady();
    },
    (err) => {
      pending = undefined; // a later call may retry, e.g. with an explicit URL
      throw loadFailed(source, err);
    },
  );
  return pending;
}

export default ready;
export * from '../index.js';
