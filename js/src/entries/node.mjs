// Node ESM: instantiate synchronously on import; no init call needed.
import { dirname, join } from 'node:path';
import { initSync } from '../wasm.js';
import { initSync as initToolsSync } from '../wasm-tools.js';
import { setToolsLoader } from '../tools.js';
import { markReady } from '../ready.js';
import { filePath, readWasm } from '../wasm-node.js';
import '../native-node.js';

// A string path, never `new URL(..., import.meta.url)`: webpack rewrites that pattern into an
// asset URL object that fs rejects. Undefined when a bundler empties `import.meta` (cjs output).
// eslint-disable-next-line no-undef -- a CommonJS bundle of this file still has __filename.
const here = filePath(import.meta.url) ?? (typeof __filename === 'string' ? __filename : undefined);
initSync({ module: readWasm(here && join(dirname(here), '..', 'calhook_bg.wasm'), here) });
markReady();
// The tools module (lintTemplate, diagnose, ...) is read and compiled on first use.
setToolsLoader(() => initToolsSync({ module: readWasm(here && join(dirname(here), '..', 'calhook_tools.wasm'), here, 'calhook_tools.wasm') }));

export * from '../index.js';
export { readySync as ready, readySync as default, readyToolsSync as readyTools } from '../tools.js';
