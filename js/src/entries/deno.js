// Deno: a source-phase import gives the compiled WebAssembly.Module without any permission
// (reading the file with Deno.readFileSync would need --allow-read); instantiate synchronously.
import source wasmModule from '../calhook_bg.wasm';
import source toolsModule from '../calhook_tools.wasm';
import { initSync } from '../wasm.js';
import { initSync as initToolsSync } from '../wasm-tools.js';
import { setToolsLoader } from '../tools.js';
import { markReady } from '../ready.js';

initSync({ module: wasmModule });
markReady();
// The tools module (lintTemplate, diagnose, ...): compiled on import, instantiated on first use.
setToolsLoader(() => initToolsSync({ module: toolsModule }));

export * from '../index.js';
export { readySync as ready, readySync as default, readyToolsSync as readyTools } from '../tools.js';
