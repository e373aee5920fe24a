// Deno: a source-phase import gives the compiled WebAssembly.Module without any permission
// (reading the file with Deno.readFileSync would need --allow-read); instantiate synchronously.
import source wasmModule from '../calhook_bg.wasm';
import { initSync } from '../wasm.js';
import { markReady } from '../ready.js';

initSync({ module: wasmModule });
markReady();

export * from '../index.js';
export { ready, ready as default } from '../ready-sync.js';
