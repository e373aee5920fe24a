// Cloudflare Workers (workerd): the .wasm import is a compiled WebAssembly.Module; instantiate it
// synchronously. Workers forbid compiling from bytes and have no import.meta.url to fetch from.
import wasmModule from '../calhook_bg.wasm';
import { initSync } from '../wasm.js';
import { markReady } from '../ready.js';

initSync({ module: wasmModule });
markReady();

export * from '../index.js';
export { ready, ready as default } from '../ready-sync.js';
