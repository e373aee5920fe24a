// Vercel Edge / Next.js edge runtime: `?module` imports the compiled WebAssembly.Module.
import wasmModule from '../calhook_bg.wasm?module';
import toolsModule from '../calhook_tools.wasm?module';
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
