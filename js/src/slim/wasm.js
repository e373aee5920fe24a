// The glue of the slim signature wasm (signature-wasm/, see its lib.rs for the ABI). It offers
// the same functions as the main entry's wasm-bindgen glue for signatures, so ../signature.js
// (copied next to this file by scripts/build-pkg.mjs) runs unchanged on either module: one
// implementation of the JS semantics for both entries.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Characters Rust's `str::trim` removes (Unicode White_Space). Only used to shorten a header
// too long for the wasm's header window before it crosses; Rust then trims it again.
const RUST_WHITESPACE = /^[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
const HEADER_MAX = 1024;

let ex = null;
let ioLen = 0;
let io;
let aux;
let codes;
let messages;
let noSecretProvided;
let noReceiverSecret;

function text(which) {
  return decoder.decode(io.subarray(0, ex.text_into_io(which)));
}

// A WebAssembly.Module from this realm or another (Next.js' edge sandbox hands over one whose
// `instanceof` is false), or the module's bytes.
function isModule(value) {
  return Object.prototype.toString.call(value) === '[object WebAssembly.Module]';
}

let compiledModule = null;
let generation = 0;

/** Instantiate synchronously from a compiled module or the .wasm bytes; once. */
export function initSync({ module }) {
  if (ex !== null) return;
  compiledModule = isModule(module) ? module : new WebAssembly.Module(module);
  instantiate();
}

// The reset path ../instance.js uses (the same three functions scripts/build-pkg.mjs adds to
// the main glue): a fresh instance of the compiled module after a trap.
export function __calhook_reset() {
  if (compiledModule === null) throw new Error('calhook: the wasm module is not initialised');
  instantiate();
  generation++;
  return generation;
}

export function __calhook_current_generation() {
  return generation;
}

export function __calhook_memory_bytes() {
  return ex === null ? 0 : ex.memory.buffer.byteLength;
}

function instantiate() {
  const exports = new WebAssembly.Instance(compiledModule, {}).exports;
  // The module never allocates, so its memory never grows and these views stay valid.
  ioLen = exports.io_len();
  io = new Uint8Array(exports.memory.buffer, exports.io_ptr(), ioLen);
  aux = new Uint8Array(exports.memory.buffer, exports.aux_ptr(), 128);
  ex = exports;
  codes = [0, 1, 2, 3, 4].map(text);
  messages = new Map(codes.map((code, i) => [code, text(5 + i)]));
  noSecretProvided = text(10);
  noReceiverSecret = [text(11), text(12)];
}

// Errors as the wasm-bindgen layer throws them: an Error with a `code`, turned into a
// CalhookError by ../error.js.
function missingSecret() {
  const err = new Error(noReceiverSecret[1]);
  err.code = noReceiverSecret[0];
  return err;
}

function utf8(value) {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

// Stream `bytes` through IO: whole windows with `update`, the rest is left in IO; returns its
// length for the `*_final` call.
function feed(bytes) {
  let at = 0;
  while (bytes.length - at > ioLen) {
    io.set(bytes.subarray(at, at + ioLen));
    ex.update(ioLen);
    at += ioLen;
  }
  io.set(bytes.subarray(at));
  return bytes.length - at;
}

// A secret's HMAC key state (64 bytes): precomputed once per secret.
function keyState(secret) {
  if (secret.length * 3 <= ioLen) {
    ex.key_set(encoder.encodeInto(secret, io).written);
    return aux.slice(0, 64);
  }
  const bytes = encoder.encode(secret);
  if (bytes.length <= ioLen) {
    io.set(bytes);
    ex.key_set(bytes.length);
  } else {
    ex.hash_begin();
    ex.hash_final_to_key(feed(bytes));
  }
  return aux.slice(0, 64);
}

function keyStates(secrets) {
  if (secrets.length === 0) throw missingSecret();
  for (const s of secrets) if (s.length === 0) throw missingSecret();
  return secrets.map(keyState);
}

// Computes the MAC of `body` (bytes, or a string short enough to encode into IO in place).
function mac(state, body) {
  aux.set(state);
  ex.mac_begin();
  if (typeof body === 'string' && body.length * 3 <= ioLen) {
    ex.mac_final(encoder.encodeInto(body, io).written);
  } else {
    ex.mac_final(feed(utf8(body)));
  }
}

// Parses the header in wasm; returns the index of its check code (0: a well-formed digest).
function parse(header) {
  if (header === undefined || header === null) return ex.parse(0);
  // A short header is encoded straight into IO (UTF-8 is at most 3 bytes per UTF-16 unit).
  if (header.length * 3 <= HEADER_MAX) return ex.parse(encoder.encodeInto(header, io).written);
  let bytes = encoder.encode(header);
  if (bytes.length > HEADER_MAX) bytes = encoder.encode(header.replace(RUST_WHITESPACE, ''));
  if (bytes.length > HEADER_MAX) return ex.parse(HEADER_MAX + 1);
  io.set(bytes);
  return ex.parse(bytes.length);
}

// Writes a body into IO when it fits; returns its length there, or -1 (then it is streamed).
function place(body) {
  if (typeof body === 'string') {
    if (body.length * 3 <= ioLen) return encoder.encodeInto(body, io).written;
    body = encoder.encode(body);
  }
  if (body.length > ioLen) return -1;
  io.set(body);
  return body.length;
}

// The index of the secret that matches, or -(index of the check code) when none does.
function matchIndex(states, body, header) {
  const parsed = parse(header);
  if (parsed !== 0) return -parsed;
  // A body that fits is written once; each secret then hashes it in place.
  const len = place(body);
  for (let i = 0; i < states.length; i++) {
    if (len >= 0) {
      aux.set(states[i]);
      ex.mac_begin();
      ex.mac_final(len);
    } else {
      mac(states[i], body);
    }
    if (ex.result_matches() === 1) return i;
  }
  return -4;
}

// `CODE` or `CODE:index`, as the main glue returns.
function checkWith(states, body, header) {
  const i = matchIndex(states, body, header);
  return i >= 0 ? `${codes[0]}:${i}` : codes[-i];
}

function signWith(body, secret) {
  if (secret === undefined || secret === null || secret === '') return noSecretProvided;
  mac(keyState(secret), body);
  ex.result_hex();
  return decoder.decode(aux.subarray(64, 128));
}

export const sign_str = signWith;
export const sign_bytes = signWith;

export function verify_str(body, header, secret) {
  return matchIndex(keyStates([secret]), body, header) >= 0;
}
export const verify_bytes = verify_str;

export function check_str(body, header, secrets) {
  return checkWith(keyStates(secrets), body, header);
}
export const check_bytes = check_str;

/** The message of a check code ('' for an unknown code). */
export function check_message(code) {
  return messages.get(code) ?? '';
}

/** Check against digests the host computed (32 bytes per secret, concatenated). */
export function check_digests(header, digests) {
  const parsed = parse(header);
  if (parsed !== 0) return codes[parsed];
  for (let i = 0; 32 * (i + 1) <= digests.length; i++) {
    aux.set(digests.subarray(32 * i, 32 * (i + 1)), 64);
    if (ex.digest_matches() === 1) return `${codes[0]}:${i}`;
  }
  return codes[4];
}

/** Precomputed key states for a list of secrets (the main glue's WasmVerifier). */
export class WasmVerifier {
  #states;
  constructor(secrets) {
    this.#states = keyStates(secrets);
  }
  verify_str(body, header) {
    return matchIndex(this.#states, body, header) >= 0;
  }
  verify_bytes(body, header) {
    return this.verify_str(body, header);
  }
  check_str(body, header) {
    return checkWith(this.#states, body, header);
  }
  check_bytes(body, header) {
    return checkWith(this.#states, body, header);
  }
  /** Drop the key states (nothing lives in wasm memory between calls). */
  free() {
    this.#states = [];
  }
}
