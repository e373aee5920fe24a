// The tools module: calhook_tools.wasm, the cold features kept out of the hot core's wasm so
// that an app that only verifies, parses and renders downloads less (scripts/wasm-split.mjs):
// lintTemplate, formatDiagnostic, diagnose, samplePayload, eventJsonSchema, templateVariables,
// validateWebhookCreate/Update, webhookRequest, parseWebhookResponse, nextRetryAt.
// Runtimes that can compile synchronously (Node, Deno, workerd, edge-light) install a loader
// and the module is instantiated on first use, so those functions stay synchronous. Browsers
// load it with `await readyTools()`; before then a tool call throws NOT_READY saying so.
// A browser app that uses the tools may instead load one module with every export
// (calhook_full.wasm, `ready({ tools: true })`): then this glue has no instance of its own and
// serves the tools from the hot core's (shared mode), whose resets it follows.
import * as glue from './wasm-tools.js';
import { CalhookError, wasmLoadFailed } from './error.js';
import { createInstance, hot } from './instance.js';

let loader;
let loaded = false;
let shared = false;

// Functions picked by name, not the namespace (see instance.js): the callers of the tool
// wrappers import them from wasm-tools.js themselves, so a bundler keeps only those it reaches.
const instance = createInstance(
  {
    __calhook_memory_bytes: glue.__calhook_memory_bytes,
    __calhook_reset: glue.__calhook_reset,
    __calhook_current_generation: glue.__calhook_current_generation,
  },
  () => loaded,
);

// The hot core's glue (wasm.js) in shared mode, passed in by the browser entry: the slim build
// shares this file with a glue of its own and must not import that one.
let hotGlue;

// Point this glue at the hot core's current instance (after a load and after every reset).
function adoptHot() {
  const current = hotGlue.__calhook_current();
  glue.__calhook_adopt(current.instance, current.module);
}

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

/**
 * Serve the tools from the hot core's instance, which must be the full module
 * (calhook_full.wasm; the browser entry's `ready({ tools: true })`), whose glue's `__calhook_current`
 * is `hotCoreGlue.__calhook_current`; `source`
 * names the file for the error. A trap or a memory reset in
 * a tool call then replaces that one instance, and both glues move to the new one.
 */
export function shareHotInstance(hotCoreGlue, source) {
  hotGlue = hotCoreGlue;
  const { instance: current } = hotGlue.__calhook_current();
  const exports = current?.exports ?? {};
  if (typeof exports.lint_template !== 'function' || typeof exports.next_retry_at !== 'function') {
    throw wasmLoadFailed(
      `${source} has no tool exports: \`ready({ tools: true })\` needs calhook_full.wasm ` +
        '(node_modules/calhook/dist/calhook_full.wasm). The functions that need no tools work now; ' +
        'for the tools, call `readyTools()` or reload with calhook_full.wasm.',
    );
  }
  adoptHot();
  if (!shared) hot.onReset(adoptHot);
  shared = true;
  instance.shared = true;
  loaded = true;
}

/** Run `fn` (which calls into the tools wasm) for the public function `name`; see instance.js. */
export function runTools(name, fn) {
  ensureLoaded(name);
  return shared ? hot.run(fn) : instance.run(fn);
}

/**
 * `ready()` where calhook instantiates on import (Node, Deno, workerd, edge-light): resolved;
 * `ready({ tools: true })` loads the tools module now (two instances there: nothing is
 * downloaded, and the core stays the small one) and rejects with WASM_LOAD_FAILED if it cannot.
 * (The slim entry's ready-sync.js knows nothing of the tools.)
 */
export function readySync(input) {
  const options = input !== null && typeof input === 'object' && Object.getPrototypeOf(input) === Object.prototype;
  return options && input.tools ? readyToolsSync() : Promise.resolve();
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
