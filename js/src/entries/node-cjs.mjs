// Node CommonJS (bundled to dist/node.cjs by esbuild): instantiate synchronously on require.
import { join } from 'node:path';
import { initSync } from '../wasm.js';
import { markReady } from '../ready.js';
import { readWasm } from '../wasm-node.js';
import '../native-node.js';

// eslint-disable-next-line no-undef -- __filename exists in CommonJS; a bundle may lack it.
const here = typeof __filename === 'string' ? __filename : undefined;
// eslint-disable-next-line no-undef -- as above.
initSync({ module: readWasm(typeof __dirname === 'string' ? join(__dirname, 'calhook_bg.wasm') : undefined, here) });
markReady();

export * from '../index.js';
export { ready } from '../ready-sync.js';
