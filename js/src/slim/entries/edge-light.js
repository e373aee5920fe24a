// Vercel Edge / Next.js edge runtime: no run-time compilation either; `?module` imports the
// compiled WebAssembly.Module (possibly from another realm, which ../wasm.js accepts).
import wasmModule from '../calhook_signature.wasm?module';
import { initSync } from '../wasm.js';
import { markReady } from '../ready.js';

initSync({ module: wasmModule });
markReady();

export * from '../index.js';
export { ready as default } from '../ready-sync.js';
