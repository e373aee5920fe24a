// Differential tests of sign/verify/check against node:crypto (the oracle), and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import * as calhook from '../../pkg/dist/entries/node.mjs';
import { prng } from './harness.mjs';

const oracle = (secret, body) => createHmac('sha256', secret).update(body).digest('hex');


const pools = {
  ascii: [...'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789{}[]":,.\\/\n\t\r'],
  utf8: [...'éèß€中文日本語ñüÆØÅ\u00a0\u2028\u2029'],
  emoji: ['😀', '🎉', '👩‍👩‍👧', '🏳️‍🌈', '\u{10ffff}'],
};

function randomCase(rand, i) {
  const kind = ['ascii', 'utf8', 'emoji', 'binary', 'empty', 'mixed'][i % 6];
  const len = Math.floor(rand() ** 3 * 4096);
  let body;
  if (kind === 'binary') body = new Uint8Array(randomBytesFrom(rand, len));
  else if (kind === 'empty') body = '';
  else {
    const pool = kind === 'mixed' ? [...pools.ascii, ...pools.utf8, ...pools.emoji] : pools[kind];
    body = Array.from({ length: len }, () => pool[Math.floor(rand() * pool.length)]).join('');
  }
  const secretPool = i % 4 === 0 ? [...pools.utf8, ...pools.emoji, 'a'] : pools.ascii.filter((c) => c.trim());
  const secret = Array.from({ length: 1 + Math.floor(rand() * 48) }, () => secretPool[Math.floor(rand() * secretPool.length)]).join('');
  return { body, secret };
}

function randomBytesFrom(rand, n) {
  return Array.from({ length: n }, () => Math.floor(rand() * 256));
}

test('sign, verify and check agree with node:crypto on 1,200 random cases', () => {
  const rand = prng(20261127);
  let count = 0;
  for (let i = 0; i < 1200; i++) {
    const { body, secret } = randomCase(rand, i);
    const expected = oracle(secret, body);
    assert.equal(calhook.sign(body, secret), expected, `sign #${i}`);
    assert.equal(calhook.verify(body, expected, secret), true, `verify #${i}`);
    assert.equal(calhook.verify(body, `sha256=${expected.toUpperCase()}`, secret), true, `verify prefixed #${i}`);
    const flipped = expected.slice(0, 63) + (expected[63] === '0' ? '1' : '0');
    assert.equal(calhook.verify(body, flipped, secret), false, `verify flipped #${i}`);
    const result = calhook.check(body, expected, ['other', secret]);
    assert.equal(result.code, 'OK', `check #${i}`);
    assert.equal(result.secretIndex, 1);
    assert.equal(new calhook.Verifier(secret).verify(body, expected), true);
    count++;
  }
  assert.equal(count, 1200);
});

test('every body type is hashed as its exact bytes', () => {
  const bytes = randomBytes(1000);
  const expected = oracle('k', bytes);
  const copy = new Uint8Array(bytes);
  assert.equal(calhook.sign(bytes, 'k'), expected, 'Buffer');
  assert.equal(calhook.sign(copy, 'k'), expected, 'Uint8Array');
  assert.equal(calhook.sign(copy.buffer, 'k'), expected, 'ArrayBuffer');
  assert.equal(calhook.sign(new DataView(copy.buffer), 'k'), expected, 'DataView');
  // A view into a larger buffer hashes only its window.
  const big = new Uint8Array(1010);
  big.set(bytes, 5);
  assert.equal(calhook.sign(big.subarray(5, 1005), 'k'), expected, 'subarray');
  assert.equal(calhook.sign(new DataView(big.buffer, 5, 1000), 'k'), expected, 'DataView window');
  // Invalid UTF-8 bytes are hashed, never decoded.
  const invalid = new Uint8Array([0xff, 0xfe, 0xc3, 0x28]);
  assert.equal(calhook.sign(invalid, 'k'), oracle('k', Buffer.from(invalid)));
});

test('1 MiB and 10 MiB bodies', () => {
  for (const size of [1 << 20, 10 << 20]) {
    const body = randomBytes(size);
    const expected = oracle('secret', body);
    assert.equal(calhook.sign(body, 'secret'), expected);
    assert.equal(calhook.verify(body, expected, 'secret'), true);
    const text = 'é'.repeat(size / 2);
    assert.equal(calhook.verify(text, oracle('secret', text), 'secret'), true);
  }
});

test('bad header content never throws and never breaks the instance', () => {
  const body = '{"ok":true}';
  const good = oracle('s', body);
  const headers = ['', ' ', good.slice(1), good + '0', 'x'.repeat(10000), 'é'.repeat(64), '\u0000'.repeat(64), 'sha256=', 'no-secret-provided', '😀'.repeat(32), null, undefined];
  for (const h of headers) {
    assert.equal(calhook.verify(body, h, 's'), false);
    const r = calhook.check(body, h, 's');
    assert.equal(r.ok, false);
    assert.match(r.code, /^(MISSING_HEADER|MALFORMED_HEADER|NO_SECRET_CONFIGURED)$/);
    assert.ok(r.message.length > 20);
    assert.equal(calhook.verify(body, good, 's'), true, 'the next good call still works');
  }
});

test('wrong argument types throw INVALID_ARGUMENT; a missing secret throws NO_RECEIVER_SECRET', () => {
  const body = '{}';
  const good = oracle('s', body);
  for (const bad of [42, {}, [], null, undefined, true, Symbol('x'), () => 1]) {
    // A missing body (null/undefined) is a failed check for verify (see package-shape tests).
    if (bad !== null && bad !== undefined) {
      assert.throws(() => calhook.verify(bad, good, 's'), (e) => e instanceof calhook.CalhookError && e.code === 'INVALID_ARGUMENT');
    }
    assert.throws(() => calhook.sign(bad, 's'), (e) => e.code === 'INVALID_ARGUMENT');
  }
  for (const bad of [1, {}, true]) {
    assert.throws(() => calhook.check(body, bad, 's'), (e) => e.code === 'INVALID_ARGUMENT');
    assert.throws(() => calhook.check(body, good, bad), (e) => e.code === 'INVALID_ARGUMENT');
  }
  for (const missing of [undefined, null, '', [], ['s', '']]) {
    assert.throws(() => calhook.verify(body, good, missing), (e) => e.code === 'NO_RECEIVER_SECRET');
    assert.throws(() => new calhook.Verifier(missing), (e) => e.code === 'NO_RECEIVER_SECRET');
  }
  assert.equal(calhook.verify(body, good, 's'), true, 'still works after every bad call');
});
