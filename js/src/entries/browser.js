// Browsers and bundlers: instantiate asynchronously (streaming) once. `await ready()` before the
// first call; calling it again returns the same promise. The tools module (calhook_tools.wasm:
// lintTemplate, diagnose, schemas, webhook management) is fetched only by `await readyTools()`.
// An app that uses the tools anyway asks for one file up front: `await ready({ tools: true })`
// fetches calhook_full.wasm (every export), and that one instance serves core and tools.
import init, { __calhook_current } from '../wasm.js';
import initTools from '../wasm-tools.js';
import { markReady } from '../ready.js';
import { markToolsReady, shareHotInstance } from '../tools.js';
import { wasmLoadFailed } from '../error.js';

let pending;
let toolsPending;

function describeInput(input) {
  if (typeof input === 'string') return input;
  if (typeof URL === 'function' && input instanceof URL) return input.href;
  if (typeof Response === 'function' && input instanceof Response) return input.url || 'the given Response';
  return 'the given bytes';
}

// What a failed load means and how to fix it; a bundler that does not emit assets referenced by
// `new URL(..., import.meta.url)` (esbuild, Rollup without a plugin, bun build) is the usual cause.
function loadFailed(input, cause, file = 'calhook_bg.wasm', call = `ready('/${file}')`) {
  const where = describeInput(input);
  return wasmLoadFailed(
    `calhook could not load its WebAssembly from ${where}: ${cause && cause.message}. ` +
      `If your bundler did not emit ${file}, serve node_modules/calhook/dist/${file} ` +
      `yourself and pass its URL (or its bytes) once: \`await ${call}\`.`,
    cause,
  );
}

// `ready({ tools, wasm })` rather than the .wasm source itself: a plain object (a URL, Response,
// bytes or WebAssembly.Module never is one).
function isOptions(input) {
  return input !== null && typeof input === 'object' && Object.getPrototypeOf(input) === Object.prototype;
}

/**
 * Load the wasm once; safe to call any number of times. Optionally pass the .wasm URL/bytes, or
 * `{ tools: true, wasm? }`: load calhook_full.wasm (or `wasm`), which also serves the tools.
 */
export function ready(input) {
  if (isOptions(input)) {
    if (input.tools) return readyFull(input.wasm);
    input = input.wasm;
  }
  if (pending) return pending;
  const source = input ?? new URL('../calhook_bg.wasm', import.meta.url);
  pending = init({ module_or_path: source }).then(
    () => {
      markReady();
    },
    (err) => {
      pending = undefined; // a later call may retry, e.g. with an explicit URL
      throw loadFailed(source, err);
    },
  );
  return pending;
}

// One instance of calhook_full.wasm for core and tools. Once the core is loading or loaded
// (an earlier `ready()`), it stays: the tools then come as their own module (readyTools).
function readyFull(input) {
  if (pending) return pending.then(() => readyTools(input)); // the full module serves as a tools module too
  if (toolsPending) return toolsPending; // readyTools() came first: the same promise
  const source = input ?? new URL('../calhook_full.wasm', import.meta.url);
  const what = "ready({ tools: true, wasm: '/calhook_full.wasm' })";
  pending = init({ module_or_path: source }).then(
    () => {
      markReady();
      shareHotInstance({ __calhook_current }, describeInput(source));
      markToolsReady();
    },
    (err) => {
      throw loadFailed(source, err, 'calhook_full.wasm', what);
    },
  );
  // readyTools() now waits for this load; a failure lets both be retried.
  toolsPending = pending;
  pending.catch(() => {
    pending = undefined;
    toolsPending = undefined;
  });
  return pending;
}

/**
 * Load the tools module (calhook_tools.wasm) once, after the main one (`ready()`): needed in
 * browsers before lintTemplate, formatDiagnostic, diagnose, samplePayload, eventJsonSchema,
 * templateVariables, validateWebhookCreate/Update, webhookRequest, parseWebhookResponse and
 * nextRetryAt. Optionally pass the tools .wasm URL/bytes.
 */
export function readyTools(input) {
  if (toolsPending) return toolsPending;
  const source = input ?? new URL('../calhook_tools.wasm', import.meta.url);
  toolsPending = ready().then(() =>
    initTools({ module_or_path: source }).then(
      () => {
        markToolsReady();
      },
      (err) => {
        toolsPending = undefined; // a later call may retry, e.g. with an explicit URL
        throw loadFailed(source, err, 'calhook_tools.wasm', "readyTools('/calhook_tools.wasm')");
      },
    ),
  );
  // A failed ready() is reported as ready() reports it; readyTools() may then be retried.
  toolsPending.catch(() => {
    toolsPending = undefined;
  });
  return toolsPending;
}

export default ready;
export * from '../index.js';
