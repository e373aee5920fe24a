// Cloudflare Workers (workerd): Workers forbid compiling wasm from bytes at run time, so the
// .wasm is imported as a module (wrangler compiles it at upload) and instantiated on import.
import wasmModule from '../calhook_signature.wasm';
import { initSync } from '../wasm.js';
import { markReady } from '../ready.js';

initSync({ module: wasmModule });
markReady();

export * from '../index.js';
export { ready as default } from '../ready-sync.js';
