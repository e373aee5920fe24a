// Bodies are hashed exactly as received: a string as its UTF-8 bytes, binary types as their
// bytes, never decoded. No Buffer or Node API is needed: Buffer is a Uint8Array.
import { invalidArgument } from './error.js';

const encoder = /* @__PURE__ */ new TextEncoder();
let scratch = /* @__PURE__ */ new Uint8Array(0);

// Strings longer than this are encoded by the engine's native TextEncoder: wasm-bindgen's own
// string passing copies ASCII one character at a time in JS, which costs more than hashing.
const NATIVE_ENCODE_FROM = 256;

// Returns a string or a Uint8Array view of the body's bytes (no copy of binary input). A long
// string is encoded into a reused scratch buffer; wasm copies it synchronously, so reuse is safe.
export function bodyInput(body, name = 'body') {
  if (typeof body === 'string') {
    if (body.length < NATIVE_ENCODE_FROM) return body;
    const needed = body.length * 3;
    if (scratch.length < needed) scratch = new Uint8Array(Math.max(needed, scratch.length * 2));
    const { written } = encoder.encodeInto(body, scratch);
    const bytes = scratch.subarray(0, written);
    // Keep huge bodies from pinning a huge scratch buffer for the life of the process.
    if (scratch.length > 1 << 24) scratch = new Uint8Array(0);
    return bytes;
  }
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof SharedArrayBuffer !== 'undefined' && body instanceof SharedArrayBuffer) return new Uint8Array(body);
  throw invalidArgument(
    `${name} must be a string, Uint8Array, ArrayBuffer, DataView or Buffer (got ${describe(body)}); ` +
      'pass the raw request body, before any JSON parsing',
  );
}

// The body for a native hash: a string as is (hashed as UTF-8) or a Uint8Array view. Call
// after bodyInput has validated the type.
export function rawBody(body) {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

// Header values: strings, or absent. Anything else is a wrong argument type.
export function headerInput(header) {
  if (header === undefined || header === null) return undefined;
  if (typeof header === 'string') return header;
  if (Array.isArray(header) && header.every((h) => typeof h === 'string')) return header.join(',');
  throw invalidArgument(`header must be a string, null or undefined (got ${describe(header)})`);
}

export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value.constructor?.name ? `a ${value.constructor.name}` : 'an object';
  return typeof value;
}
