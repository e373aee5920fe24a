// Vercel Edge / Next.js edge runtime: `?module` imports the compiled WebAssembly.Module.
import wasmModule from '../calhook_bg.wasm?module';
import { initSync } from '../wasm.js';
import { markReady } from '../ready.js';

initSync({ module: wasmModule });
markReady();

export * from '../index.js';
export { ready, ready as default } from '../ready-sync.js';
