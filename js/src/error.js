// The one error class of the package. Every failure the library reports is a CalhookError
// with a stable machine-readable `code`; domain details (a template span, validation issues)
// are extra own properties. Messages never contain secrets.

import { isReady } from './ready.js';

export class CalhookError extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = 'CalhookError';
    this.code = code;
    if (details) Object.assign(this, details);
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

export function notReady() {
  return new CalhookError(
    'NOT_READY',
    'calhook is not initialised yet: in browsers, `await ready()` (the default export) once before calling it.',
  );
}
