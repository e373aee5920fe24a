// Signatures: sign, verify, check and the Verifier class (diagnose is in ./diagnose.js, so the
// slim entry `calhook/signature`, which runs this file on its own wasm, has no reference to it).
import * as wasm from './wasm.js';
import { CalhookError, api, argumentError, invalidArgument, isWellFormed } from './error.js';
import { bodyInput, headerInput, describe, rawBody } from './body.js';
import { generation, run } from './instance.js';

// Where the host has a native synchronous HMAC (Node's node:crypto), bodies from this size on
// are hashed natively: faster than wasm past about a kilobyte. Header parsing, the codes and
// the constant-time comparison still run in Rust (check_digests).
const NATIVE_FROM_BYTES = 1024;
let nativeHmac = null;

/** Used by the Node entries: `(secret, body) => Uint8Array(32)`. */
export function setNativeHmac(fn) {
  nativeHmac = fn;
}

// The main entry's reused wasm input buffer (js/src/input.js), set by index.js: the slim
// `calhook/signature` build shares this file with a glue that has no input buffer.
let inputView = null;
const encoder = /* @__PURE__ */ new TextEncoder();
// Bodies (UTF-16 units or bytes) and headers up to these lengths are written into it in place.
const IN_PLACE_BODY = 1 << 16;
const IN_PLACE_HEADER = 1024;

/** Used by the main entry: `(len) => Uint8Array` over wasm's reused input buffer. */
export function setInputView(fn) {
  inputView = fn;
}

// Verifier.verify without wasm-bindgen's per-call allocate, copy and free of body and header:
// both are written once into the input buffer, the header right after the body. Inside `run`,
// after any other call into wasm, so the view cannot be detached before verify_input reads it.
function verifyInPlace(inner, body, header) {
  const text = typeof body === 'string';
  const view = inputView((text ? body.length * 3 : body.length) + (header === undefined ? 0 : header.length * 3));
  let len = body.length;
  if (text) len = encoder.encodeInto(body, view).written;
  else view.set(body);
  if (header === undefined) return inner.verify_input(len, -1);
  return inner.verify_input(len, encoder.encodeInto(header, view.subarray(len)).written);
}

/** The body length from which the host's native HMAC is used, or null without one. */
export function nativeHmacFrom() {
  return nativeHmac === null ? null : NATIVE_FROM_BYTES;
}

/** The hex HMAC-SHA256 of `body` under `secret` by the host's native HMAC (see nativeHmacFrom). */
export function nativeSign(secret, body) {
  return hex(nativeHmac(secret, body));
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
  return decodeCheck(run(() => wasm.check_digests(header, digests)));
}

// verify()'s native path: only whether the header matched, so no result object and no message.
// One secret's digest (32 bytes from node:crypto) is passed as is.
function nativeOk(body, header, secrets) {
  let digests;
  if (secrets.length === 1) {
    digests = nativeHmac(secrets[0], body);
  } else {
    digests = new Uint8Array(32 * secrets.length);
    secrets.forEach((s, i) => digests.set(nativeHmac(s, body), 32 * i));
  }
  const encoded = run(() => wasm.check_digests(header, digests));
  return encoded === 'OK' || encoded.startsWith('OK:');
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
    checkSecretText(s);
  }
  return list;
}

// A lone surrogate has no UTF-8 encoding: every encoder replaces it by U+FFFD, so two different
// malformed secrets would be the same key (and verify each other's signatures).
export function checkSecretText(s) {
  if (!isWellFormed(s)) {
    throw invalidArgument(
      'secret is not well-formed UTF-16 (it contains a lone surrogate, which has no UTF-8 encoding): ' +
        'it cannot be used as an HMAC key. Check how the secret is read (a truncated or mis-decoded string).',
    );
  }
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
    m = run(() => wasm.check_message(code));
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
export const sign = /* @__PURE__ */ api('sign', (body, secret) => {
  if (secret !== undefined && secret !== null && typeof secret !== 'string') {
    throw invalidArgument(`secret must be a string, null or undefined (got ${describe(secret)})`);
  }
  const s = secret || undefined;
  if (s !== undefined) checkSecretText(s);
  if (s !== undefined && useNative(body)) return hex(nativeHmac(s, rawBody(body)));
  const b = bodyInput(body);
  return run(() => (typeof b === 'string' ? wasm.sign_str(b, s) : wasm.sign_bytes(b, s)));
});

/** True when `header` signs `body` under the secret (or one of the secrets). */
export const verify = /* @__PURE__ */ api('verify', (body, header, secret) => {
  if (isMissing(body)) return check(body, header, secret).ok;
  if (useNative(body)) return nativeOk(rawBody(body), headerInput(header), secretList(secret));
  const b = bodyInput(body);
  const h = headerInput(header);
  if (typeof secret === 'string' && secret !== '') {
    checkSecretText(secret);
    return run(() => (typeof b === 'string' ? wasm.verify_str(b, h, secret) : wasm.verify_bytes(b, h, secret)));
  }
  return check(body, header, secret).ok;
});

// The API reference shows `X-Cal-Signature-256: sha256=<signature>`; the sender sends bare
// hex. Both verify; the reference's form is named by a warning.
const REFERENCE_PREFIX = /^\s*sha256=/i;
const PREFIX_WARNING = /* @__PURE__ */ Object.freeze({
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
export const check = /* @__PURE__ */ api('check', (body, header, secret) => {
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
  return withWarnings(decodeCheck(run(() => (typeof b === 'string' ? wasm.check_str(b, h, secrets) : wasm.check_bytes(b, h, secrets)))), h);
});

/**
 * Verifies with precomputed HMAC key state; use one per secret set on hot paths. After the wasm
 * instance is replaced (see instance.js) it rebuilds its key state transparently, so it never
 * uses a dangling pointer; `free()` releases it and later calls throw INVALID_ARGUMENT.
 */
export class Verifier {
  #inner;
  #generation;
  // Kept for the native path and for rebuilding after an instance reset; a private field,
  // never serialized or printed.
  #secrets;
  #freed = false;
  constructor(secret) {
    try {
      this.#secrets = secretList(secret).slice();
      run(() => this.#build());
    } catch (err) {
      throw argumentError('Verifier', err);
    }
  }
  // Called inside `run`, never around it: a reset between building and using is impossible.
  #build() {
    this.#inner = new wasm.WasmVerifier(this.#secrets);
    this.#generation = generation();
  }
  #current() {
    if (this.#generation !== generation()) this.#build();
    return this.#inner;
  }
  #live() {
    if (this.#freed) throw invalidArgument('this Verifier was freed; create a new one');
  }
  verify(body, header) {
    try {
      this.#live();
      if (isMissing(body)) return missingBodyCheck(header).ok;
      if (nativeHmac !== null && useNative(body)) return nativeOk(rawBody(body), headerInput(header), this.#secrets);
      const b = typeof body === 'string' ? body : bodyInput(body);
      const h = headerInput(header);
      return run(() => {
        const inner = this.#current();
        if (inputView !== null && b.length <= IN_PLACE_BODY && (h === undefined || h.length <= IN_PLACE_HEADER)) return verifyInPlace(inner, b, h);
        // Bytes were read by bodyInput above; a string is encoded there now if it is long.
        const input = typeof b === 'string' ? bodyInput(b) : b;
        return typeof input === 'string' ? inner.verify_str(input, h) : inner.verify_bytes(input, h);
      });
    } catch (err) {
      throw argumentError('Verifier.verify', err);
    }
  }
  check(body, header) {
    try {
      this.#live();
      if (isMissing(body)) return missingBodyCheck(header);
      if (nativeHmac !== null && useNative(body)) {
        const raw = rawBody(body);
        const h = headerInput(header);
        return withWarnings(nativeCheck(raw, h, this.#secrets), h);
      }
      const b = bodyInput(body);
      const h = headerInput(header);
      const encoded = run(() => {
        const inner = this.#current();
        return typeof b === 'string' ? inner.check_str(b, h) : inner.check_bytes(b, h);
      });
      return withWarnings(decodeCheck(encoded), h);
    } catch (err) {
      throw argumentError('Verifier.check', err);
    }
  }
  /** Release the wasm memory now instead of waiting for garbage collection. */
  free() {
    if (this.#freed) return;
    this.#freed = true;
    // A Verifier from a replaced instance has nothing left to free.
    if (this.#generation === generation()) run(() => this.#inner.free());
    this.#secrets = null;
  }
}
