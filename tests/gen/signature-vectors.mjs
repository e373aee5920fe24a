#!/usr/bin/env node
// Generates tests/vectors/signature.json with node:crypto as the oracle. Deterministic (seeded),
// so re-running it reproduces the committed file: `node tests/gen/signature-vectors.mjs`.
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';

let seed = 0x5eed1234;
function rand() {
  // xorshift32: deterministic across runs and Node versions.
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 0x100000000;
}
const int = (n) => Math.floor(rand() * n);
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const hmac = (secret, body) => createHmac('sha256', secret).update(body).digest('hex');

const alphabets = {
  ascii: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 {}[]":,.-_/\\\n\t',
  utf8: 'aé€中ß😀🎉ñü\u2028\u00a0"\\',
};
function text(alpha, n) {
  const chars = [...alphabets[alpha]];
  let s = '';
  for (let i = 0; i < n; i++) s += chars[int(chars.length)];
  return s;
}
function bytes(n) {
  return Array.from({ length: n }, () => int(256));
}

const cases = [];
const add = (name, fn, args, expect, extra = {}) => cases.push({ name, fn, args, ...extra, expect });

// sign: string, bytes, ArrayBuffer, DataView bodies; unicode secrets.
for (let i = 0; i < 40; i++) {
  const alpha = i % 2 ? 'utf8' : 'ascii';
  const body = text(alpha, int(300));
  const secret = i % 3 === 0 ? text('utf8', 1 + int(40)) : text('ascii', 1 + int(64)).trim() || 'k';
  add(`sign ${alpha} string #${i}`, 'sign', [body, secret], { value: hmac(secret, body) });
}
for (let i = 0; i < 20; i++) {
  const body = bytes(int(200));
  const secret = `whsec_${text('ascii', 20)}`;
  const kind = ['$bytes', '$arraybuffer', '$dataview'][i % 3];
  add(`sign binary ${kind} #${i}`, 'sign', [{ [kind]: hex(body) }, secret], { value: hmac(secret, Buffer.from(body)) });
}
add('sign empty body', 'sign', ['', 'secret'], { value: hmac('secret', '') });
add('sign 1 MiB body', 'sign', [{ $repeat: ['x', 1 << 20] }, 'secret'], { value: hmac('secret', 'x'.repeat(1 << 20)) });
add('sign 1 MiB emoji body', 'sign', [{ $repeat: ['😀', 1 << 18] }, 's😀'], { value: hmac('s😀', '😀'.repeat(1 << 18)) });
add('sign lone surrogate body is UTF-8 of U+FFFD', 'sign', ['a\ud800b', 'k'], { value: hmac('k', 'a\ud800b') });
add('sign without secret (null)', 'sign', ['{}', null], { value: 'no-secret-provided' });
add('sign without secret (undefined)', 'sign', ['{}', { $undefined: true }], { value: 'no-secret-provided' });
add('sign without secret (empty)', 'sign', ['{}', ''], { value: 'no-secret-provided' });
add('sign rejects a number body', 'sign', [42, 'k'], { throws: 'INVALID_ARGUMENT' });
add('sign rejects an object body', 'sign', [{ a: 1 }, 'k'], { throws: 'INVALID_ARGUMENT' });
add('sign rejects a number secret', 'sign', ['{}', 7], { throws: 'INVALID_ARGUMENT' });

// verify / check: header forms.
const body = '{"triggerEvent":"BOOKING_CREATED","createdAt":"2024-01-15T10:00:00.000Z","payload":{"title":"Café ☕"}}';
const secret = 'whsec_test_secret';
const good = hmac(secret, body);
const headerForms = {
  'bare hex': good,
  'uppercase hex': good.toUpperCase(),
  'sha256= prefix': `sha256=${good}`,
  'SHA256= prefix': `SHA256=${good.toUpperCase()}`,
  'surrounding whitespace': `  ${good}\t\n`,
};
for (const [name, header] of Object.entries(headerForms)) {
  add(`verify accepts ${name}`, 'verify', [body, header, secret], { value: true });
  add(`check accepts ${name}`, 'check', [body, header, secret], { value: { ok: true, code: 'OK' }, partial: true });
}
const badHeaders = {
  'empty': ['', 'MISSING_HEADER'],
  'whitespace only': ['   ', 'MISSING_HEADER'],
  'null': [null, 'MISSING_HEADER'],
  'undefined': [{ $undefined: true }, 'MISSING_HEADER'],
  'no-secret-provided': ['no-secret-provided', 'NO_SECRET_CONFIGURED'],
  '63 hex digits': [good.slice(1), 'MALFORMED_HEADER'],
  '65 hex digits': [good + 'a', 'MALFORMED_HEADER'],
  '10,000 characters': [{ $repeat: ['a', 10000] }, 'MALFORMED_HEADER'],
  'non-hex': ['z'.repeat(64), 'MALFORMED_HEADER'],
  'non-ASCII': ['é'.repeat(64), 'MALFORMED_HEADER'],
  'emoji': ['😀'.repeat(32), 'MALFORMED_HEADER'],
  'NUL bytes': ['\u0000'.repeat(64), 'MALFORMED_HEADER'],
  'prefix only': ['sha256=', 'MALFORMED_HEADER'],
  'wrong digest': ['0'.repeat(64), 'MISMATCH'],
  'digest of another body': [hmac(secret, body + ' '), 'MISMATCH'],
  'digest under another secret': [hmac('other', body), 'MISMATCH'],
};
for (const [name, [header, code]] of Object.entries(badHeaders)) {
  add(`verify is false for ${name} header`, 'verify', [body, header, secret], { value: false });
  add(`check reports ${code} for ${name} header`, 'check', [body, header, secret], { value: { ok: false, code }, partial: true });
}
add('verify rejects a number header', 'verify', [body, 5, secret], { throws: 'INVALID_ARGUMENT' });

// Receiver secret missing: fail closed.
for (const [name, s] of Object.entries({ undefined: { $undefined: true }, null: null, empty: '', 'empty array': [], 'array with empty': ['a', ''] })) {
  add(`verify throws without receiver secret (${name})`, 'verify', [body, good, s], { throws: 'NO_RECEIVER_SECRET' });
  add(`check throws without receiver secret (${name})`, 'check', [body, good, s], { throws: 'NO_RECEIVER_SECRET' });
}

// Rotation: secretIndex says which secret matched.
add('check with rotation reports the matching index', 'check', [body, good, ['old', 'older', secret]], {
  value: { ok: true, code: 'OK', secretIndex: 2 },
  partial: true,
});
add('verify with rotation', 'verify', [body, good, ['old', secret]], { value: true });
add('check with rotation, none matches', 'check', [body, good, ['a', 'b']], { value: { ok: false, code: 'MISMATCH' }, partial: true });

// Large bodies: Node hashes these natively, the other runtimes in wasm; all must agree.
for (const size of [1023, 1024, 2048, 65536, 1 << 20]) {
  const big = { $repeat: ['é', size] };
  const bigText = 'é'.repeat(size);
  const digest = hmac(secret, bigText);
  add(`verify ${size}-char body`, 'verify', [big, digest, secret], { value: true });
  add(`verify ${size}-char body, wrong digest`, 'verify', [big, hmac('x', bigText), secret], { value: false });
  add(`check ${size}-char body with rotation`, 'check', [big, `sha256=${digest}`, ['a', secret]], { value: { ok: true, code: 'OK', secretIndex: 1 }, partial: true });
  add(`check ${size}-char body, malformed header`, 'check', [big, 'nope', secret], { value: { ok: false, code: 'MALFORMED_HEADER' }, partial: true });
  add(`Verifier#check ${size}-char body`, 'Verifier#check', [big, digest], { value: { ok: true, code: 'OK', secretIndex: 0 }, partial: true }, { ctor: [secret] });
  add(`sign ${size}-char body`, 'sign', [big, secret], { value: digest });
}

// Verifier.
add('Verifier#verify good', 'Verifier#verify', [body, good], { value: true }, { ctor: [secret] });
add('Verifier#verify bad', 'Verifier#verify', [body, '0'.repeat(64)], { value: false }, { ctor: [secret] });
add('Verifier#check rotation', 'Verifier#check', [{ $bytes: hex(Buffer.from(body)) }, `sha256=${good}`], {
  value: { ok: true, code: 'OK', secretIndex: 1 },
  partial: true,
}, { ctor: [['x', secret]] });
add('Verifier without secret', 'Verifier#verify', [body, good], { throws: 'NO_RECEIVER_SECRET' }, { ctor: [''] });
add('Verifier rejects a number body', 'Verifier#verify', [1, good], { throws: 'INVALID_ARGUMENT' }, { ctor: [secret] });

// diagnose: each mistake committed for real.
const compact = JSON.stringify({ triggerEvent: 'BOOKING_CREATED', createdAt: '2024-01-15T10:00:00.000Z', payload: { title: 'Café', n: 1 } });
const sig = hmac(secret, compact);
const diag = (name, args, list) => add(`diagnose: ${name}`, 'diagnose', args, { value: list, project: 'code' });
diag('pretty-printed body', [JSON.stringify(JSON.parse(compact), null, 2), sig, secret], ['BODY_PRETTY_PRINTED']);
diag('matching body has no causes', [compact, sig, secret], []);
diag('trailing newline added', [compact + '\n', sig, secret], ['TRAILING_NEWLINE_ADDED']);
diag('secret with a trailing newline', [compact, sig, secret + '\n'], ['SECRET_WHITESPACE']);
diag('quoted secret', [compact, sig, `"${secret}"`], ['SECRET_QUOTED']);
diag('Stripe header', [compact, 't=1700000000,v1=abc', secret], ['STRIPE_HEADER']);
diag('no secret in Cal.com', [compact, 'no-secret-provided', secret], ['NO_SECRET_CONFIGURED']);
diag('empty body', ['', sig, secret], ['EMPTY_BODY']);
diag('wrong secret', [compact, sig, 'another-secret'], ['SECRET_OR_BODY_DIFFERS']);

writeFileSync(new URL('../vectors/signature.json', import.meta.url), JSON.stringify({ suite: 'signature', cases }, null, 1) + '\n');
console.log(`wrote ${cases.length} signature vectors`);
