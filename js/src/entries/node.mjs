// Node ESM: instantiate synchronously on import; no init call needed.
import { readFileSync } from 'node:fs';
import { initSync } from '../wasm.js';
import { markReady } from '../ready.js';
import '../native-node.js';

initSync({ module: readFileSync(new URL('../calhook_bg.wasm', import.meta.url)) });
markReady();

export * from '../index.js';
export { ready, ready as default } from '../ready-sync.js';
