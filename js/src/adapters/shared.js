// What the framework adapters (express, hono, next) share: options, body limits, the
// already-parsed-body error, and reporting receiver misconfiguration.
import { CalhookError, errorResponse } from 'calhook';

/** Default largest body, as parseEvent's. */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/**
 * `secret` alone (a string, an array of strings for a rotation, or a function returning one,
 * called per request with the framework's request or context: `(c) => c.env.SECRET`), or `{ secret, maxBytes, recover, onError,
 * ...parseEvent options }`.
 */
export function adapterOptions(input, name) {
  const o = typeof input === 'string' || Array.isArray(input) || typeof input === 'function' || input === undefined || input === null ? { secret: input } : input;
  if (typeof o !== 'object') throw new CalhookError('INVALID_ARGUMENT', `${name} takes the secret or an options object`);
  const { secret, maxBytes = DEFAULT_MAX_BYTES, recover = false, onError = defaultOnError, ...parse } = o;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new CalhookError('INVALID_ARGUMENT', 'maxBytes must be a non-negative integer');
  if (typeof onError !== 'function') throw new CalhookError('INVALID_ARGUMENT', 'onError must be a function');
  return { secret: typeof secret === 'function' ? secret : () => secret, maxBytes, recover: Boolean(recover), onError, parse: { ...parse, maxBytes } };
}

// A 500 means the receiver is misconfigured (no secret, a body parser before calhook): the
// response says only that, so the developer gets the full message here.
function defaultOnError(error) {
  console.error(`calhook: ${error.code}: ${error.message}`);
}

/** The Response for `error` (errorResponse's status and body); 5xx are also reported. */
export function failure(error, options) {
  const response = errorResponse(error);
  if (response.status >= 500) options.onError(error);
  return response;
}

/** The error for a body some earlier middleware parsed, with what to do about it. */
export function bodyAlreadyParsed(framework, fix) {
  return new CalhookError(
    'BODY_ALREADY_PARSED',
    `The request body was already parsed by another middleware (${framework}), so its raw bytes, which the signature covers, are gone. ${fix} ` +
      'Or pass { recover: true } to re-serialize the parsed JSON (Cal.com\'s JSON bodies round-trip through JSON.stringify; the event is then marked recovered: true).',
  );
}

export function tooLarge(maxBytes) {
  return new CalhookError('BODY_TOO_LARGE', `The body is larger than ${maxBytes} bytes.`);
}

/** The bytes of a Fetch body stream, rejecting past `maxBytes` without reading it all. */
export async function readStream(stream, maxBytes) {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The JSON text a recovered body is verified as. */
export function reserialize(value) {
  return JSON.stringify(value);
}
