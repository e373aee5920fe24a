// Cloudflare Workers (workerd): the .wasm import is a compiled WebAssembly.Module; instantiate it
// synchronously. Workers forbid compiling from bytes and have no import.meta.url to fetch from.
import wasmModule from '../calhook_bg.wasm';
import toolsModule from '../calhook_tools.wasm';
import { initSync } from '../wasm.js';
import { initSync as initToolsSync } from '../wasm-tools.js';
import { setToolsLoader } from '../tools.js';
import { markReady } from '../ready.js';

initSync({ module: wasmModule });
markReady();
// The tools module (lintTemplate, diagnose, ...): compiled by the runtime, instantiated on first use.
setToolsLoader(() => initToolsSync({ module: toolsModule }));

export * from '../index.js';
export { readySync as ready, readySync as default, readyToolsSync as readyTools } from '../tools.js';
