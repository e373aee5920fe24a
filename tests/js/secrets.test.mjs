// Secrets never appear in errors: every error path that holds a webhook secret or an API key
// (signatures, verify-then-parse, handleRequest, deliveries, webhook validation, webhook
// requests) is driven past the point where the secret is read, and everything a user or a
// logger can see of the outcome is searched: message, stack, every own property (enumerable or
// not, recursively), JSON.stringify with all own property names, util.inspect with hidden
// properties, and errorResponse bodies. The search looks for any 8-character window of the
// secret, so a truncated or partial echo is caught too; a self-test proves the search can fail.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureConsumer } from './harness.mjs';

let calhook;
before(async () => {
  calhook = await import(pathToFileURL(join(ensureConsumer(), 'node_modules', 'calhook', 'dist', 'entries', 'node.mjs')).href);
});

const SECRET = 'Kq7#Zx2!Wm9$Lp4&Rt6*Vb3';
const API_KEY = 'cal_live_Hj5Tq8Ws2Xn6Pd9Lm3';
const body = JSON.stringify({ triggerEvent: 'BOOKING_CREATED', createdAt: '2024-01-15T10:00:00.000Z', payload: { title: 'x' } });

// Every string reachable from `value`: own properties of every kind, prototypes' own data
// properties excluded (they are shared code, not this value's data).
function strings(value, out = [], seen = new Set(), depth = 0) {
  if (typeof value === 'string') {
    out.push(value);
    return out;
  }
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 12) return out;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    out.push(String(key));
    let v;
    try {
      const d = Object.getOwnPropertyDescriptor(value, key);
      v = d && 'value' in d ? d.value : d?.get?.call(value);
    } catch {
      continue;
    }
    strings(v, out, seen, depth + 1);
  }
  return out;
}

function views(outcome) {
  const texts = [...strings(outcome)];
  try {
    texts.push(String(outcome));
  } catch {
    // Not convertible.
  }
  if (outcome && typeof outcome === 'object') {
    texts.push(JSON.stringify(outcome, Object.getOwnPropertyNames(outcome)) ?? '');
    texts.push(JSON.stringify(outcome) ?? '');
    if (typeof outcome.stack === 'string') texts.push(outcome.stack);
  }
  texts.push(inspect(outcome, { depth: Infinity, showHidden: true, getters: true }));
  return texts.join('\n');
}

function windows(secret, n = 8) {
  if (secret.length <= n) return [secret];
  return Array.from({ length: secret.length - n + 1 }, (_, i) => secret.slice(i, i + n));
}

function assertNoSecret(label, outcome, secret = SECRET) {
  const haystack = views(outcome);
  const leaked = windows(secret).filter((w) => haystack.includes(w));
  assert.deepEqual(leaked, [], `${label}: the secret leaks`);
}

// The outcome of a call: its error, or its result (results like check() carry messages too).
function outcome(fn) {
  try {
    return { result: fn() };
  } catch (error) {
    return { error };
  }
}

async function outcomeAsync(fn) {
  try {
    return { result: await fn() };
  } catch (error) {
    return { error };
  }
}

function expectError(label, fn, code) {
  const o = outcome(fn);
  assert.ok(o.error instanceof calhook.CalhookError, `${label}: throws a CalhookError (got ${o.error ?? JSON.stringify(o.result)})`);
  if (code) assert.equal(o.error.code, code, label);
  assertNoSecret(label, o.error);
  return o.error;
}

test('the search finds a secret wherever it hides (so this suite can fail)', () => {
  const hidden = new calhook.CalhookError('X', 'nothing here');
  Object.defineProperty(hidden, 'detail', { value: { deep: [`prefix ${SECRET.slice(3, 12)} suffix`] }, enumerable: false });
  assert.throws(() => assertNoSecret('non-enumerable nested', hidden), /the secret leaks/);
  const inStack = new calhook.CalhookError('X', 'm');
  inStack.stack = `Error: ${SECRET.slice(-9)}`;
  assert.throws(() => assertNoSecret('stack', inStack), /the secret leaks/);
  class Holder {
    #s = SECRET;
    get s() {
      return this.#s;
    }
  }
  assert.throws(() => assertNoSecret('getter', new Holder()), /the secret leaks/);
  assertNoSecret('clean', new calhook.CalhookError('X', 'clean'));
});

test('signatures: check, verify, diagnose, Verifier and verifyEvent hold the secret, never show it', () => {
  const good = calhook.sign(body, SECRET);
  for (const header of [null, '', 'sha256=', 'md5=abc', '0'.repeat(64), `sha256=${'f'.repeat(64)}`, good.slice(0, 40), `${good},${good}`]) {
    assertNoSecret(`check ${header}`, outcome(() => calhook.check(body, header, SECRET)));
    assertNoSecret(`check list ${header}`, outcome(() => calhook.check(body, header, ['other-secret-value', SECRET])));
    assertNoSecret(`check long ${header}`, outcome(() => calhook.check('x'.repeat(5000), header, SECRET)));
    assertNoSecret(`diagnose ${header}`, outcome(() => calhook.diagnose(body, header, SECRET)));
    const v = new calhook.Verifier([SECRET, 'another-secret-value']);
    assertNoSecret(`Verifier ${header}`, outcome(() => v.check(body, header)));
    assertNoSecret('Verifier itself', v);
    expectError(`verifyEvent ${header}`, () => calhook.verifyEvent(body, header, SECRET));
  }
  expectError('verifyEvent of a signed non-JSON body', () => calhook.verifyEvent('a=b', calhook.sign('a=b', SECRET), SECRET), 'NOT_JSON');
  expectError('verifyEvent of an invalid event', () => calhook.verifyEvent('{"triggerEvent":1}', calhook.sign('{"triggerEvent":1}', SECRET), SECRET), 'INVALID_PAYLOAD');
  expectError('verifyEvent over maxBytes', () => calhook.verifyEvent(body, good, SECRET, { maxBytes: 10 }), 'BODY_TOO_LARGE');
  expectError('verifyEvent with bad options', () => calhook.verifyEvent(body, good, SECRET, { maxAgeMs: NaN }), 'INVALID_ARGUMENT');
  expectError('sign of a wrong body type', () => calhook.sign(42, SECRET), 'INVALID_ARGUMENT');
  expectError('verify of a wrong body type', () => calhook.verify({}, good, SECRET), 'INVALID_ARGUMENT');
  expectError('verify with a wrong header type', () => calhook.verify(body, 42, SECRET), 'INVALID_ARGUMENT');
  const v = new calhook.Verifier(SECRET);
  expectError('Verifier with a wrong body type', () => v.verify(Symbol('x'), good), 'INVALID_ARGUMENT');
  v.free();
  expectError('a freed Verifier', () => v.verify(body, good), 'INVALID_ARGUMENT');
  expectError('a lone-surrogate secret', () => calhook.sign(body, `${SECRET}\ud800`), 'INVALID_ARGUMENT');
  expectError('a secret list with one bad entry', () => calhook.verify(body, good, [SECRET, 7]), 'INVALID_ARGUMENT');
});

test('calls near the JS stack limit with a secret in flight never show it', () => {
  const errors = [];
  const header = calhook.sign(body, SECRET);
  function down() {
    try {
      down();
    } catch (e) {
      try {
        calhook.verifyEvent(body, header, SECRET);
      } catch (err) {
        if (errors.length < 2000) errors.push(err);
      }
      throw e;
    }
  }
  for (let i = 0; i < 3; i++) assert.throws(down, RangeError);
  for (const e of errors) assertNoSecret('near the stack limit', e);
  assert.equal(calhook.verify(body, header, SECRET), true);
});

test('handleRequest and errorResponse never show the secret', async () => {
  const requests = [
    new Request('http://127.0.0.1/', { method: 'POST', body, headers: { 'x-cal-signature-256': '0'.repeat(64) } }),
    new Request('http://127.0.0.1/', { method: 'POST', body: 'not json', headers: { 'x-cal-signature-256': calhook.sign('not json', SECRET) } }),
    new Request('http://127.0.0.1/', { method: 'POST', body: 'x'.repeat(2000), headers: { 'x-cal-signature-256': 'x' } }),
    new Request('http://127.0.0.1/', { method: 'GET' }),
  ];
  for (const [i, r] of requests.entries()) {
    const o = await outcomeAsync(() => calhook.handleRequest(r, SECRET, { maxBytes: 1000 }));
    assert.ok(o.error instanceof calhook.CalhookError, `request ${i}`);
    assertNoSecret(`handleRequest ${i}`, o.error);
    const res = calhook.errorResponse(o.error);
    assertNoSecret(`errorResponse ${i}`, await res.text());
  }
});

test('buildDelivery: template, payload and URL errors never show the secret', () => {
  const base = { triggerEvent: 'BOOKING_CREATED', createdAt: '2024-01-15T10:00:00.000Z', payload: { title: 'x' }, secret: SECRET, subscriberUrl: 'https://example.com/h' };
  expectError('syntax error', () => calhook.buildDelivery({ ...base, template: '{{#if}}' }));
  expectError('unclosed block', () => calhook.buildDelivery({ ...base, template: '{"a":"{{#each x}}"}' }));
  expectError('missing helper', () => calhook.buildDelivery({ ...base, template: '{{nohelper title}}' }));
  expectError('BigInt payload', () => calhook.buildDelivery({ ...base, payload: { n: 1n } }), 'INVALID_ARGUMENT');
  expectError('cyclic payload', () => {
    const p = {};
    p.p = p;
    calhook.buildDelivery({ ...base, payload: p });
  });
  expectError('empty subscriber URL', () => calhook.buildDelivery({ ...base, subscriberUrl: '' }));
  expectError('bad version type', () => calhook.buildDelivery({ ...base, version: 1 }), 'INVALID_ARGUMENT');
  expectError('bad dialect', () => calhook.buildDelivery({ ...base, dialect: 'x' }), 'INVALID_ARGUMENT');
  expectError('lone-surrogate secret', () => calhook.buildDelivery({ ...base, secret: `${SECRET}\udc00` }), 'INVALID_ARGUMENT');
  // A successful delivery carries the signature, never the secret itself.
  assertNoSecret('a delivery', calhook.buildDelivery(base));
});

test('webhook validation and webhook requests never show the secret or the API key', () => {
  const weak = 'Qz8!kP';
  for (const secret of [SECRET, weak]) {
    for (const input of [
      { subscriberUrl: 'not a url', triggers: ['NOPE'], secret },
      { subscriberUrl: 'http://127.0.0.1/', triggers: [], secret, payloadTemplate: '{{#if}}' },
      { subscriberUrl: 'https://example.com/', triggers: ['BOOKING_CREATED'], secret, version: 'x', active: 'yes' },
      { secret: 42 },
      { secret },
    ]) {
      for (const fn of [calhook.validateWebhookCreate, calhook.validateWebhookUpdate]) {
        const r = fn(input);
        // The normalised `value` is the caller's own body; the issues must not echo the secret.
        assertNoSecret(`issues of ${JSON.stringify(Object.keys(input))}`, r.issues, secret);
      }
    }
  }
  const req = { apiKey: API_KEY };
  const bad = [
    { ...req, op: 'create', body: { subscriberUrl: 'x', triggers: ['NOPE'], secret: SECRET } },
    { ...req, op: 'update', webhookId: 'w', body: { secret: SECRET, active: 'no' } },
    { ...req, op: 'get' },
    { ...req, op: 'get', webhookId: '..' },
    { ...req, op: 'list', body: { secret: SECRET } },
    { ...req, op: 'nope' },
    { ...req, op: 'list', scope: { eventType: '' } },
    { ...req, op: 'list', scope: { planet: 1 } },
    { ...req, op: 'list', baseUrl: 'http://api.cal.com' },
    { ...req, op: 'list', baseUrl: 'https://evil.example\\.api.cal.com' },
    { ...req, op: 'list', baseUrl: `https://${API_KEY}@api.cal.com` },
    { op: 'list', apiKey: `${API_KEY} with space` },
    { op: 'list', apiKey: `${API_KEY}é` },
    { ...req, op: 'create', body: { n: 1n, secret: SECRET } },
  ];
  for (const input of bad) {
    const o = outcome(() => calhook.webhookRequest(input));
    assert.ok(o.error instanceof calhook.CalhookError, `webhookRequest ${JSON.stringify(input, (k, v) => (typeof v === 'bigint' ? 'n' : v))}`);
    assertNoSecret('webhookRequest error (API key)', o.error, API_KEY);
    assertNoSecret('webhookRequest error (secret)', o.error, SECRET);
  }
  // A built request carries the key only in its Authorization header.
  const ok = calhook.webhookRequest({ ...req, op: 'list' });
  assert.equal(ok.headers.Authorization, `Bearer ${API_KEY}`);
  assertNoSecret('request URL and body', { url: ok.url, body: ok.body, method: ok.method }, API_KEY);
});
