// Node CommonJS (bundled to dist/node.cjs by esbuild): instantiate synchronously on require.
import { join } from 'node:path';
import { initSync } from '../wasm.js';
import { initSync as initToolsSync } from '../wasm-tools.js';
import { setToolsLoader } from '../tools.js';
import { markReady } from '../ready.js';
import { readWasm } from '../wasm-node.js';
import '../native-node.js';

// eslint-disable-next-line no-undef -- __filename exists in CommonJS; a bundle may lack it.
const here = typeof __filename === 'string' ? __filename : undefined;
// eslint-disable-next-line no-undef -- as above.
initSync({ module: readWasm(typeof __dirname === 'string' ? join(__dirname, 'calhook_bg.wasm') : undefined, here) });
markReady();
// The tools module (lintTemplate, diagnose, ...) is read and compiled on first use.
// eslint-disable-next-line no-undef -- as above.
const toolsPath = typeof __dirname === 'string' ? join(__dirname, 'calhook_tools.wasm') : undefined;
setToolsLoader(() => initToolsSync({ module: readWasm(toolsPath, here, 'calhook_tools.wasm') }));

export * from '../index.js';
export { readySync as ready, readyToolsSync as readyTools } from '../tools.js';
