// Node CommonJS (bundled to dist/node.cjs by esbuild): instantiate synchronously on require.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from '../wasm.js';
import { markReady } from '../ready.js';
import '../native-node.js';

// eslint-disable-next-line no-undef -- __dirname exists in the CommonJS bundle.
initSync({ module: readFileSync(join(__dirname, 'calhook_bg.wasm')) });
markReady();

export * from '../index.js';
export { ready } from '../ready-sync.js';
