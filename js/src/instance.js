// The wasm instances, kept healthy: every call into wasm goes through `run` (the hot core,
// calhook_bg.wasm) or `runTools` (js/src/tools.js, calhook_tools.wasm); both use `createInstance`. The JS layer is the
// last line of defence against hostile input:
// - A trap (`WebAssembly.RuntimeError`) or an exception that unwinds through wasm frames (a
//   `RangeError: Maximum call stack size exceeded` when called near the JS stack limit) leaves
//   the instance's shadow stack pointer and allocator in an unknown state, and every later call
//   could fail or, worse, compute on corrupted memory. Such a call fails with `INTERNAL` and the
//   instance is replaced by a fresh one of the already compiled module (cheap: no compilation).
// - Wasm memory never shrinks: after a call that grew it past MEMORY_RESET_BYTES, the instance
//   is replaced too, so one huge request does not pin its memory for the life of the process.
// Objects holding wasm pointers (Verifier, Template) compare `generation()` with the one they
// were built in and rebuild themselves after a reset (see signature.js and template.js).
// With the full module (browsers, `ready({ tools: true })`) the tools glue has no instance of
// its own: tool calls run through the hot core's `run`, and `onReset` moves that glue along.
import * as glue from './wasm.js';
import { CalhookError, rethrow } from './error.js';
import { isReady } from './ready.js';

/** Memory above which the instance is replaced after a call (baseline is about 1-2 MiB). */
export const MEMORY_RESET_BYTES = 64 * 1024 * 1024;

// Every instance made by createInstance, for memoryBytes().
const instances = [];

// Errors the wasm layer throws on purpose carry a string `code` (src/wasm/mod.rs); anything
// else escaping a call (a trap, a stack overflow, an allocation failure, a glue error) means
// the call did not finish and the instance's state cannot be trusted.
function isDeliberate(err) {
  return err instanceof Error && !(err instanceof RangeError) && typeof err.code === 'string' && !(err instanceof WebAssembly.RuntimeError);
}

function internal(err) {
  let what = 'an unexpected error';
  try {
    what = err instanceof WebAssembly.RuntimeError ? `a WebAssembly trap (${err.message})` : `${err.name}: ${err.message}`;
  } catch {
    // A hostile error object: keep the generic description.
  }
  return new CalhookError(
    'INTERNAL',
    `calhook stopped this call after ${what.slice(0, 200)}; its WebAssembly instance was replaced, so later calls are unaffected. ` +
      'If the input is legitimate, please report it.',
  );
}

/**
 * The guarded runner of one patched wasm-bindgen glue (scripts/build-pkg.mjs adds its
 * `__calhook_*` functions): `{ run, generation, memoryBytes }`. `loaded()` says whether the glue
 * has been initialised: before then an error is reported as NOT_READY, not as a broken instance.
 */
export function createInstance(g, loaded) {
  // A reset that failed (it can, when attempted near the stack limit) is retried on the next call.
  let poisoned = false;
  const bytes = () => g.__calhook_memory_bytes();
  // Told of every fresh instance: a glue sharing this one (js/src/tools.js with the full module).
  const listeners = [];

  function reset() {
    poisoned = true;
    try {
      g.__calhook_reset();
      for (const listener of listeners) listener();
      poisoned = false;
    } catch {
      // Still poisoned: the next call retries before touching the instance.
    }
  }

  /** Run `fn` (which calls into wasm); wasm errors become CalhookError, failures reset the instance. */
  function run(fn) {
    if (poisoned) {
      reset();
      if (poisoned) throw internal(new Error('the WebAssembly instance could not be replaced'));
    }
    let result;
    try {
      result = fn();
    } catch (err) {
      if (err instanceof CalhookError) throw err;
      if (!loaded()) rethrow(err);
      if (isDeliberate(err)) {
        if (bytes() > MEMORY_RESET_BYTES) reset();
        rethrow(err);
      }
      reset();
      throw internal(err);
    }
    if (bytes() > MEMORY_RESET_BYTES) reset();
    return result;
  }

  const instance = {
    run,
    generation: () => g.__calhook_current_generation(),
    memoryBytes: bytes,
    /** Call `listener()` after every reset, before the next call runs. */
    onReset: (listener) => listeners.push(listener),
    /** True while this glue serves another instance's memory (not counted twice). */
    shared: false,
  };
  instances.push(instance);
  return instance;
}

/** The hot core's instance (calhook_bg.wasm, or calhook_full.wasm when the tools share it). */
// The `__calhook_*` functions are picked by name here (and in tools.js): a bundler handed the
// whole `import * as glue` namespace keeps every wrapper of the glue, used or not.
export const hot = createInstance(
  {
    __calhook_memory_bytes: glue.__calhook_memory_bytes,
    __calhook_reset: glue.__calhook_reset,
    __calhook_current_generation: glue.__calhook_current_generation,
  },
  isReady,
);

/** Run `fn` (which calls into the hot core's wasm); see createInstance. */
export const run = hot.run;

/** The hot core instance's generation (increases at every reset). */
export function generation() {
  return hot.generation();
}

/**
 * The memory of calhook's wasm instances in bytes (0 before they are initialised). Public as
 * `wasmMemoryBytes`, for watching memory in Workers and serverless functions: wasm memory never
 * shrinks by itself, so a call that needed more than MEMORY_RESET_BYTES gives it back by
 * replacing its instance.
 */
export function memoryBytes() {
  let total = 0;
  for (const i of instances) if (!i.shared) total += i.memoryBytes();
  return total;
}

