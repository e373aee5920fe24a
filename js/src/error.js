// The one error class of the package. Every failure the library reports is a CalhookError
// with a stable machine-readable `code`; domain details (a template span, validation issues)
// are extra own properties. Messages never contain secrets.

import { isReady } from './ready.js';

// A registered symbol marks every CalhookError, so `instanceof` holds across copies of the
// package loaded in one process (Node's `import` and `require` load the ESM and CJS builds
// separately; a bundle may carry its own copy). Non-enumerable: never printed or serialized.
const BRAND = Symbol.for('calhook.CalhookError');

export class CalhookError extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = 'CalhookError';
    this.code = code;
    if (details) Object.assign(this, details);
    Object.defineProperty(this, BRAND, { value: true });
  }

  // Any realm's or copy's CalhookError is an instance; subclasses keep ordinary semantics.
  static [Symbol.hasInstance](value) {
    if (this !== CalhookError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && value[BRAND] === true;
  }
}

// Turn an error thrown by the wasm layer (an Error with `code` and an optional JSON `detail`)
// into a CalhookError; anything else is rethrown unchanged.
export function rethrow(err) {
  if (err instanceof CalhookError) throw err;
  if (!isReady()) throw notReady();
  if (err && typeof err.code === 'string') {
    let details;
    if (typeof err.detail === 'string') {
      try { details = JSON.parse(err.detail); } catch { details = undefined; }
    }
    throw new CalhookError(err.code, err.message, details);
  }
  throw err;
}

export function invalidArgument(message) {
  return new CalhookError('INVALID_ARGUMENT', message);
}

/** The wasm could not be loaded (a failed fetch, a missing or wrong file). */
export function wasmLoadFailed(message, cause) {
  const err = new CalhookError('WASM_LOAD_FAILED', message);
  if (cause !== undefined) Object.defineProperty(err, 'cause', { value: cause, configurable: true, writable: true });
  return err;
}

export function notReady() {
  return new CalhookError(
    'NOT_READY',
    'calhook is not initialised yet: in browsers, `await ready()` (the default export) once before calling it.',
  );
}

// A wrong argument anywhere is a CalhookError: what reading the caller's values can throw
// (a throwing getter or Proxy trap, a BigInt or cycle in JSON.stringify, a structure deep
// enough to overflow the JS stack) becomes INVALID_ARGUMENT. Errors from wasm are already
// CalhookErrors (instance.js) and pass through.
export function argumentError(name, err) {
  if (err instanceof CalhookError) return err;
  let what = 'an argument could not be read';
  try {
    if (err instanceof RangeError) what = `an argument is too deep or too large (${String(err.message).slice(0, 120)})`;
    else if (err instanceof Error) what = `an argument could not be read (${err.name}: ${String(err.message).slice(0, 120)})`;
  } catch {
    // A hostile error object: keep the generic description.
  }
  return new CalhookError('INVALID_ARGUMENT', `${name}: ${what}. Pass plain data (strings, numbers, booleans, arrays and objects).`);
}

/** `fn` with every non-CalhookError it throws turned into INVALID_ARGUMENT. */
// Calls are marked `/* @__PURE__ */`: a bundler then drops the wrapper of a public function an app
// does not use (esbuild does not carry `@__NO_SIDE_EFFECTS__` across modules).
export function api(name, fn) {
  const wrapped = {
    [name](...args) {
      try {
        return fn.apply(this, args);
      } catch (err) {
        throw argumentError(name, err);
      }
    },
  }[name];
  return wrapped;
}

/** Well-formed UTF-16 (no lone surrogates): only then is a string's UTF-8 encoding unambiguous. */
export function isWellFormed(s) {
  if (typeof s.isWellFormed === 'function') return s.isWellFormed();
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
