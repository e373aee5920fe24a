// Signatures: sign, verify, check and the Verifier class (diagnose is in ./diagnose.js, so the
// slim entry `calhook/signature`, which runs this file on its own wasm, has no reference to it).
import * as wasm from './wasm.js';
import { CalhookError, invalidArgument, rethrow } from './error.js';
import { bodyInput, headerInput, describe, rawBody } from './body.js';

// Where the host has a native synchronous HMAC (Node's node:crypto), bodies from this size on
// are hashed natively: faster than wasm past about a kilobyte. Header parsing, the codes and
// the constant-time comparison still run in Rust (check_digests).
const NATIVE_FROM_BYTES = 1024;
let nativeHmac = null;

/** Used by the Node entries: `(secret, body) => Uint8Array(32)`. */
export function setNativeHmac(fn) {
  nativeHmac = fn;
}

// Checked before any encoding: a long string goes to the native hash as is.
function useNative(body) {
  if (nativeHmac === null) return false;
  // A string's UTF-8 length is at least its length.
  if (typeof body === 'string') return body.length >= NATIVE_FROM_BYTES;
  return (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) && body.byteLength >= NATIVE_FROM_BYTES;
}

function nativeCheck(body, header, secrets) {
  const digests = new Uint8Array(32 * secrets.length);
  secrets.forEach((s, i) => digests.set(nativeHmac(s, body), 32 * i));
  return decodeCheck(wasm.check_digests(header, digests));
}

function hex(bytes) {
  let out = '';
  for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16);
  return out;
}

/** The secrets as a non-empty list; throws NO_RECEIVER_SECRET or INVALID_ARGUMENT. */
export function secretList(secret) {
  const list = Array.isArray(secret) ? secret : [secret];
  if (list.length === 0) throw noReceiverSecret();
  for (const s of list) {
    if (s === undefined || s === null || s === '') throw noReceiverSecret();
    if (typeof s !== 'string') throw invalidArgument(`secret must be a string or an array of strings (got ${describe(s)})`);
  }
  return list;
}

function noReceiverSecret() {
  return new CalhookError(
    'NO_RECEIVER_SECRET',
    'No webhook secret is configured on the receiver (missing or empty). Set it to the secret of the webhook in Cal.com; calhook refuses to verify without one.',
  );
}

// Messages by code: fetched from Rust once per code, not on every check.
const messages = new Map();

function messageFor(code) {
  let m = messages.get(code);
  if (m === undefined) {
    m = wasm.check_message(code);
    messages.set(code, m);
  }
  return m;
}

// A request without a body (Express 5 leaves `req.body` undefined): nothing was signed, so the
// check fails with its own code instead of throwing, and a caller answers 401, not 500.
const MISSING_BODY_MESSAGE =
  'The request has no body: nothing was received, or the raw body was not read ' +
  "(Express: `express.raw({ type: '*/*' })` on this route). Pass the raw bytes exactly as received.";

export function isMissing(body) {
  return body === undefined || body === null;
}

export function missingBodyCheck(header) {
  headerInput(header); // still a wrong argument type when the header is one
  return { ok: false, code: 'MISSING_BODY', message: MISSING_BODY_MESSAGE };
}

function decodeCheck(encoded) {
  const sep = encoded.indexOf(':');
  const code = sep < 0 ? encoded : encoded.slice(0, sep);
  const result = { ok: code === 'OK', code, message: messageFor(code) };
  if (sep >= 0) result.secretIndex = Number(encoded.slice(sep + 1));
  return result;
}

/** The exact X-Cal-Signature-256 value Cal.com sends for `body`. */
export function sign(body, secret) {
  if (secret !== undefined && secret !== null && typeof secret !== 'string') {
    throw invalidArgument(`secret must be a string, null or undefined (got ${describe(secret)})`);
  }
  const s = secret || undefined;
  if (s !== undefined && useNative(body)) return hex(nativeHmac(s, rawBody(body)));
  const b = bodyInput(body);
  return typeof b === 'string' ? wasm.sign_str(b, s) : wasm.sign_bytes(b, s);
}

/** True when `header` signs `body` under the secret (or one of the secrets). */
export function verify(body, header, secret) {
  if (isMissing(body)) return check(body, header, secret).ok;
  if (useNative(body)) return nativeCheck(rawBody(body), headerInput(header), secretList(secret)).ok;
  const b = bodyInput(body);
  const h = headerInput(header);
  if (typeof secret === 'string' && secret !== '') {
    try {
      return typeof b === 'string' ? wasm.verify_str(b, h, secret) : wasm.verify_bytes(b, h, secret);
    } catch (e) {
      rethrow(e);
    }
  }
  return check(body, header, secret).ok;
}

// The API reference shows `X-Cal-Signature-256: sha256=<signature>`; the sender sends bare
// hex. Both verify; the reference's form is named by a warning.
const REFERENCE_PREFIX = /^\s*sha256=/i;
const PREFIX_WARNING = Object.freeze({
  code: 'REFERENCE_SIGNATURE_PREFIX',
  message: 'The header has the API reference\'s "sha256=" prefix; the Cal.com sender sends the bare hex digest. Both are accepted: make sure anything else that checks this header accepts both too.',
});

function withWarnings(result, header) {
  if ((result.code === 'OK' || result.code === 'MISMATCH') && typeof header === 'string' && REFERENCE_PREFIX.test(header)) {
    result.warnings = [{ ...PREFIX_WARNING }];
  }
  return result;
}

/** `{ ok, code, secretIndex?, message, warnings? }`; never throws on header or body content. */
export function check(body, header, secret) {
  if (isMissing(body)) {
    secretList(secret); // a missing secret is still a configuration error
    return missingBodyCheck(header);
  }
  if (useNative(body)) {
    const raw = rawBody(body);
    const h = headerInput(header);
    return withWarnings(nativeCheck(raw, h, secretList(secret)), h);
  }
  const b = bodyInput(body);
  const h = headerInput(header);
  const secrets = secretList(secret);
  try {
    return withWarnings(decodeCheck(typeof b === 'string' ? wasm.check_str(b, h, secrets) : wasm.check_bytes(b, h, secrets)), h);
  } catch (e) {
    rethrow(e);
  }
}

/** Verifies with precomputed HMAC key state; use one per secret set on hot paths. */
export class Verifier {
  #inner;
  #secrets;
  constructor(secret) {
    const secrets = secretList(secret);
    // Kept only for the native path; a private field, never serialized or printed.
    this.#secrets = nativeHmac === null ? null : secrets.slice();
    try {
      this.#inner = new wasm.WasmVerifier(secrets);
    } catch (e) {
      rethrow(e);
    }
  }
  verify(body, header) {
    if (isMissing(body)) return missingBodyCheck(header).ok;
    if (this.#secrets !== null && useNative(body)) return nativeCheck(rawBody(body), headerInput(header), this.#secrets).ok;
    const b = bodyInput(body);
    const h = headerInput(header);
    return typeof b === 'string' ? this.#inner.verify_str(b, h) : this.#inner.verify_bytes(b, h);
  }
  check(body, header) {
    if (isMissing(body)) return missingBodyCheck(header);
    if (this.#secrets !== null && useNative(body)) {
      const raw = rawBody(body);
      const h = headerInput(header);
      return withWarnings(nativeCheck(raw, h, this.#secrets), h);
    }
    const b = bodyInput(body);
    const h = headerInput(header);
    return withWarnings(decodeCheck(typeof b === 'string' ? this.#inner.check_str(b, h) : this.#inner.check_bytes(b, h)), h);
  }
  /** Release the wasm memory now instead of waiting for garbage collection. */
  free() {
    this.#inner.free();
  }
}
