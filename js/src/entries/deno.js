// Deno: read the module beside this file and instantiate synchronously.
import { initSync } from '../wasm.js';
import { markReady } from '../ready.js';

initSync({ module: Deno.readFileSync(new URL('../calhook_bg.wasm', import.meta.url)) });
markReady();

export * from '../index.js';
export { ready, ready as default } from '../ready-sync.js';
