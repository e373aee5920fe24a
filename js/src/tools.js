// The tools module: calhook_tools.wasm, the cold features kept out of the hot core's wasm so
// that an app that only verifies, parses and renders downloads less (scripts/wasm-split.mjs):
// lintTemplate, formatDiagnostic, diagnose, samplePayload, eventJsonSchema, templateVariables,
// validateWebhookCreate/Update, webhookRequest, parseWebhookResponse, nextRetryAt.
// Runtimes that can compile synchronously (Node, Deno, workerd, edge-light) install a loader
// and the module is instantiated on first use, so those functions stay synchronous. Browsers
// load it with `await readyTools()`; before then a tool call throws NOT_READY saying so.
import * as glue from './wasm-tools.js';
import { CalhookError } from './error.js';
import { createInstance } from './instance.js';

export { glue as tools };

let loader;
let loaded = false;

const instance = createInstance(glue, () => loaded);

/** The tools instance's generation (increases at every reset; for tests, as instance.js's). */
export function toolsGeneration() {
  return instance.generation();
}

/** Install how this runtime instantiates calhook_tools.wasm synchronously (the entries do). */
export function setToolsLoader(load) {
  loader = load;
}

/** The tools glue was initialised (the browser entry's readyTools()). */
export function markToolsReady() {
  loaded = true;
}

function toolsNotReady(name) {
  return new CalhookError(
    'NOT_READY',
    `${name} needs calhook's tools module (calhook_tools.wasm), which browsers load on request: ` +
      "`await readyTools()` once before calling it (`import { readyTools } from 'calhook'`).",
  );
}

function ensureLoaded(name) {
  if (loaded) return;
  if (loader === undefined) throw toolsNotReady(name);
  loader(); // throws WASM_LOAD_FAILED (and stays unloaded, to retry) when the file is missing
  loaded = true;
}

/** Run `fn` (which calls into the tools wasm) for the public function `name`; see instance.js. */
export function runTools(name, fn) {
  ensureLoaded(name);
  return instance.run(fn);
}

/** `readyTools()` where the tools module loads synchronously: loads it now; rejects if it cannot. */
export function readyToolsSync() {
  try {
    ensureLoaded('readyTools');
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err);
  }
}
