// Verifier.verify writes body and header straight into the main wasm's reused input buffer
// (js/src/signature.js verifyInPlace, src/wasm/signature.rs verify_input) instead of
// wasm-bindgen's allocate-copy-free per argument. Run on the browser entry in Node, so no
// body goes to node:crypto and every size takes the wasm path, as in browsers and Workers;
// node:crypto is the oracle, the copying free `verify()` the second opinion.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureConsumer, prng } from './harness.mjs';

let calhook;
let glue;
let inPlaceCalls = 0;
const secret = 'whsec_in_place_secret';
const oracle = (body) => createHmac('sha256', secret).update(body).digest('hex');

before(async () => {
  const dist = join(ensureConsumer(), 'node_modules', 'calhook', 'dist');
  calhook = await import(pathToFileURL(join(dist, 'entries', 'browser.js')).href);
  glue = await import(pathToFileURL(join(dist, 'wasm.js')).href);
  await calhook.ready(readFileSync(join(dist, 'calhook_bg.wasm')));
  // Counts the calls that took the in-place path (the same glue module the entry uses).
  const original = glue.WasmVerifier.prototype.verify_input;
  glue.WasmVerifier.prototype.verify_input = function (...args) {
    inPlaceCalls++;
    return original.apply(this, args);
  };
});

// Strings of `len` UTF-16 units drawn from `pool` (non-ASCII, astral pairs, lone surrogates).
function text(rand, len, pool) {
  let out = '';
  while (out.length < len) out += pool[Math.floor(rand() * pool.length)];
  return out.slice(0, len);
}

const POOLS = {
  ascii: [...'abcdefghij {}[]":,.\\/\n\t0123456789'],
  utf8: [...'éß€中文ñ\u00a0\u2028', '😀', '👩‍👧'],
  lone: ['a', '\ud800', '\udfff', 'é', '😀'],
};

function expectVerify(verifier, body, header, expected, what) {
  assert.equal(verifier.verify(body, header), expected, `Verifier.verify: ${what}`);
  assert.equal(calhook.verify(body, header, secret), expected, `verify(): ${what}`);
}

test('in place and copied agree with node:crypto at every size boundary, for strings and bytes', () => {
  const rand = prng(20261202);
  const verifier = new calhook.Verifier(secret);
  const before = inPlaceCalls;
  let expectedInPlace = 0;
  let cases = 0;
  for (const len of [0, 1, 63, 64, 255, 256, 1023, 1024, 4096, 65535, 65536, 65537, 200_000]) {
    for (const [kind, pool] of Object.entries(POOLS)) {
      const body = text(rand, len, pool);
      const bytes = new TextEncoder().encode(body);
      const digest = oracle(body);
      const flipped = digest.slice(0, 63) + (digest[63] === '0' ? '1' : '0');
      expectVerify(verifier, body, digest, true, `${kind} ${len}`);
      expectVerify(verifier, body, `sha256=${digest.toUpperCase()}`, true, `${kind} ${len} prefixed`);
      expectVerify(verifier, body, flipped, false, `${kind} ${len} flipped`);
      expectVerify(verifier, bytes, digest, true, `${kind} ${len} as bytes`);
      expectVerify(verifier, bytes.buffer, digest, true, `${kind} ${len} as ArrayBuffer`);
      // In place: bodies up to 65,536 UTF-16 units (strings) or bytes.
      expectedInPlace += (len <= 65536 ? 3 : 0) + (bytes.length <= 65536 ? 2 : 0);
      cases++;
    }
  }
  assert.equal(cases, 39);
  assert.equal(inPlaceCalls - before, expectedInPlace, 'calls that took the in-place path');
  assert.ok(expectedInPlace > 100);
});

test('headers: missing, lists, padded, non-ASCII, and longer than the in-place limit', () => {
  const verifier = new calhook.Verifier(secret);
  const body = '{"triggerEvent":"BOOKING_CREATED","payload":{"title":"Zoë 😀"}}';
  const digest = oracle(body);
  const cases = [
    [undefined, false],
    [null, false],
    ['', false],
    [digest, true],
    [` ${digest}\t`, true],
    [`sha256=${digest}`, true],
    [[digest], true],
    [[digest, 'x'], false],
    [`${digest}é`, false],
    [`é${digest}`, false],
    [' '.repeat(1024 - 64) + digest, true],
    [' '.repeat(1025 - 64) + digest, true],
    ['0'.repeat(5000), false],
    [digest.replace('a', '\ud800'), false],
  ];
  for (const [header, expected] of cases) {
    const what = typeof header === 'string' ? `header of ${header.length}` : JSON.stringify(header);
    assert.equal(verifier.verify(body, header), calhook.verify(body, header, secret), `agrees with verify(): ${what}`);
    assert.equal(verifier.verify(body, header), expected, what);
    assert.deepEqual(verifier.check(body, header).ok, expected, `check: ${what}`);
  }
});

test('a view detached by grown wasm memory, or too short for the next body, is never written', () => {
  const verifier = new calhook.Verifier(secret);
  const small = 'x'.repeat(300);
  const large = 'y'.repeat(60_000);
  assert.equal(verifier.verify(small, oracle(small)), true);
  // Grows wasm memory (a copied 8 MiB body, under the reset threshold): the kept view of the
  // input buffer is detached, and the next in-place write must ask for a new one.
  const grown = JSON.stringify({ triggerEvent: 'HOSTILE_PROBE', createdAt: '2024-01-01T00:00:00.000Z', payload: { blob: 'z'.repeat(8 << 20) } });
  const memory = calhook.wasmMemoryBytes();
  assert.equal(calhook.parseEvent(grown, { maxBytes: 2 ** 26 }).payload.blob.length, 8 << 20);
  assert.ok(calhook.wasmMemoryBytes() > memory, 'wasm memory grew');
  for (const body of [small, large, small, large]) {
    assert.equal(verifier.verify(body, oracle(body)), true, `${body.length} after growth`);
    assert.equal(verifier.verify(body, oracle(`${body}.`)), false, `${body.length} after growth, wrong digest`);
  }
  // Another call between verifies that uses the same input buffer (parseEvent writes there too).
  const event = '{"triggerEvent":"HOSTILE_PROBE","createdAt":"2024-01-01T00:00:00.000Z","payload":{}}';
  for (let i = 0; i < 3; i++) {
    assert.equal(calhook.parseEvent(event).triggerEvent, 'HOSTILE_PROBE');
    assert.equal(verifier.verify(large, oracle(large)), true);
    assert.equal(verifier.verify(small, oracle(large)), false);
  }
});
