// `ready()` for runtimes that instantiate synchronously on import: already resolved, so code
// written for browsers (`await ready()`) runs unchanged everywhere. `ready({ tools: true })`
// loads the tools module now (two instances here: nothing is downloaded, and the core stays
// the small one); it rejects with WASM_LOAD_FAILED if the file cannot be read.
import { readyToolsSync } from './tools.js';

const done = Promise.resolve();

/** Resolves at once: this runtime instantiated calhook on import (with the tools: see above). */
export function ready(input) {
  if (input !== null && typeof input === 'object' && Object.getPrototypeOf(input) === Object.prototype && input.tools) return readyToolsSync();
  return done;
}
