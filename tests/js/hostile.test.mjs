// Hostile input against the installed package in Node, where the instance's internals can be
// watched (its generation and memory size, from the package's own dist/instance.js module, the
// same module instance the entry uses). The runtime-independent part (hostile argument grid,
// fail-closed options, stack-limit calls, sizes) is tests/vectors/hostile.json, run in every
// runtime by runtimes.test.mjs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureConsumer } from './harness.mjs';

let calhook;
let instance;
let tools;
const body = '{"triggerEvent":"HOSTILE_PROBE","createdAt":"2024-01-01T00:00:00.000Z","payload":{}}';
const secret = 'hostile-test-secret';

before(async () => {
  const dist = join(ensureConsumer(), 'node_modules', 'calhook', 'dist');
  calhook = await import(pathToFileURL(join(dist, 'entries', 'node.mjs')).href);
  instance = await import(pathToFileURL(join(dist, 'instance.js')).href);
  tools = await import(pathToFileURL(join(dist, 'tools.js')).href);
});

function verifyWorks() {
  assert.equal(calhook.verify(body, calhook.sign(body, secret), secret), true, 'a good verify works');
  assert.equal(calhook.verify(body, calhook.sign(body, 'other'), secret), false, 'a bad one fails');
}

function typedError(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof calhook.CalhookError, `a CalhookError, got ${e && e.name}: ${e && e.message}`);
    return e;
  }
  return null;
}

test('a trap inside wasm replaces the instance; the failing call is INTERNAL or a limit, later calls work', () => {
  const before = instance.generation();
  const deep = '{{#if a}}'.repeat(1600) + 'x' + '{{/if}}'.repeat(1600);
  const err = typedError(() => calhook.compileTemplate(deep, { maxNesting: 2000 }).render({ a: true }));
  if (err?.code === 'INTERNAL') {
    assert.ok(instance.generation() > before, 'a fresh instance after the trap');
    assert.match(err.message, /instance was replaced/);
  }
  verifyWorks();
  assert.equal(calhook.renderTemplate('{{#if a}}{{b}}{{/if}}', { a: 1, b: 'ok' }), 'ok');
});

/**
 * Recurses until the JS stack overflows and runs `calls` at every depth on the way back up, so
 * that some of them start with almost no stack left. Returns how often each error code came
 * out; only the stack's RangeError, an INTERNAL reset or an argument error may.
 */
function callsAtTheStackLimit(calls) {
  const codes = new Map();
  function down() {
    try {
      down();
    } catch (e) {
      try {
        calls();
      } catch (err) {
        const k = err instanceof calhook.CalhookError ? err.code : err.name;
        codes.set(k, (codes.get(k) ?? 0) + 1);
      }
      throw e;
    }
  }
  for (let i = 0; i < 5; i++) assert.throws(down, RangeError);
  for (const k of codes.keys()) assert.ok(['RangeError', 'INTERNAL', 'INVALID_ARGUMENT'].includes(k), `unexpected ${k}`);
  return codes;
}

test('calls near the JS stack limit: every overflow inside wasm resets, then everything works', () => {
  const before = instance.generation();
  const header = calhook.sign(body, secret);
  const codes = callsAtTheStackLimit(() => {
    calhook.verify(body, header, secret);
    calhook.parseEvent(body);
  });
  if (codes.has('INTERNAL')) assert.ok(instance.generation() > before);
  verifyWorks();
  assert.equal(calhook.parseEvent(body).triggerEvent, 'HOSTILE_PROBE');
});

test('objects built before a reset rebuild themselves; freed ones throw a CalhookError', () => {
  const verifier = new calhook.Verifier(['x', secret]);
  const template = calhook.compileTemplate('{{#each a}}[{{this}}]{{/each}}');
  const header = calhook.sign(body, secret);
  const before = instance.generation();
  // Growing memory past the threshold forces a reset, deterministically.
  typedError(() => calhook.parseEvent(' '.repeat(instance.MEMORY_RESET_BYTES + 1024) + '{', { maxBytes: 2 ** 28 }));
  assert.ok(instance.generation() > before, 'the instance was replaced');
  assert.equal(verifier.verify(body, header), true);
  assert.deepEqual(verifier.check(body, header), { ok: true, code: 'OK', secretIndex: 1, message: verifier.check(body, header).message });
  assert.equal(verifier.verify(body, calhook.sign(body, 'y')), false);
  assert.equal(template.render({ a: [1, 2] }), '[1][2]');
  assert.deepEqual(template.variables, ['a']);
  verifier.free();
  template.free();
  assert.equal(typedError(() => verifier.verify(body, header)).code, 'INVALID_ARGUMENT');
  assert.equal(typedError(() => template.render({})).code, 'INVALID_ARGUMENT');
  verifyWorks();
});

test('wasm memory goes back to baseline after a huge call', () => {
  calhook.verify(body, calhook.sign(body, secret), secret);
  const baseline = instance.memoryBytes();
  assert.ok(baseline < instance.MEMORY_RESET_BYTES, `baseline ${baseline}`);
  const big = JSON.stringify({ triggerEvent: 'HOSTILE_PROBE', createdAt: '2024-01-01T00:00:00.000Z', payload: { blob: 'x'.repeat(80 * 1024 * 1024) } });
  const event = calhook.parseEvent(big, { maxBytes: 2 ** 28 });
  assert.equal(event.payload.blob.length, 80 * 1024 * 1024);
  assert.ok(instance.memoryBytes() <= Math.max(baseline, instance.MEMORY_RESET_BYTES), `memory after: ${instance.memoryBytes()}`);
  verifyWorks();
});

test('the tools module is its own instance, kept healthy the same way: stack-limit calls and a huge call reset it', () => {
  const lint = () => calhook.lintTemplate('{"n": {{n}}}').map((d) => d.code);
  const expected = lint();
  assert.ok(expected.length > 0);
  let before = tools.toolsGeneration();
  const codes = callsAtTheStackLimit(() => {
    lint();
    calhook.diagnose(body, 'f'.repeat(64), secret);
  });
  if (codes.has('INTERNAL')) assert.ok(tools.toolsGeneration() > before);
  assert.deepEqual(lint(), expected);
  verifyWorks();

  // Memory grown past the threshold by a tool call is given back by replacing the tools instance.
  const baseline = instance.memoryBytes();
  before = tools.toolsGeneration();
  const causes = calhook.diagnose('x'.repeat(80 * 1024 * 1024), 'f'.repeat(64), secret);
  assert.ok(causes.some((c) => c.code === 'BODY_TOO_LARGE_TO_DIAGNOSE'), JSON.stringify(causes.map((c) => c.code)));
  assert.ok(tools.toolsGeneration() > before, 'the tools instance was replaced');
  assert.ok(instance.memoryBytes() <= Math.max(baseline, instance.MEMORY_RESET_BYTES), `memory after: ${instance.memoryBytes()}`);
  assert.deepEqual(lint(), expected);
});

test('bodies over the limit are refused before they are copied into wasm', () => {
  calhook.verify(body, calhook.sign(body, secret), secret);
  const before = instance.memoryBytes();
  const huge = ' '.repeat(120 * 1024 * 1024);
  for (const fn of [() => calhook.parseEvent(huge), () => calhook.verifyEvent(huge, 'sha256=00', secret), () => calhook.safeParseEvent(huge)]) {
    let code;
    try {
      const r = fn();
      code = r.error.code;
    } catch (e) {
      code = e.code;
    }
    assert.equal(code, 'BODY_TOO_LARGE');
  }
  assert.equal(typedError(() => calhook.parseEvent(new Uint8Array(5 * 1024 * 1024))).code, 'BODY_TOO_LARGE');
  assert.equal(instance.memoryBytes(), before, 'wasm memory did not grow');
});

test('handleRequest reads at most maxBytes: Content-Length first, then counting the stream', async () => {
  const limit = 1000;
  let pulled = 0;
  let cancelled = false;
  const stream = (chunks) =>
    new ReadableStream({
      pull(c) {
        if (pulled >= chunks) return c.close();
        pulled++;
        c.enqueue(new Uint8Array(400));
      },
      cancel() {
        cancelled = true;
      },
    });
  const declared = new Request('http://127.0.0.1/hook', { method: 'POST', body: stream(100), duplex: 'half', headers: { 'content-length': '999999' } });
  let err = await calhook.handleRequest(declared, secret, { maxBytes: limit }).catch((e) => e);
  assert.equal(err.code, 'BODY_TOO_LARGE');
  assert.equal(calhook.errorResponse(err).status, 413);
  assert.equal(pulled <= 1, true, `not read (pulled ${pulled})`);

  pulled = 0;
  const undeclared = new Request('http://127.0.0.1/hook', { method: 'POST', body: stream(100), duplex: 'half' });
  err = await calhook.handleRequest(undeclared, secret, { maxBytes: limit }).catch((e) => e);
  assert.equal(err.code, 'BODY_TOO_LARGE');
  assert.ok(pulled <= 4, `stopped after the limit (pulled ${pulled} chunks of 400 bytes)`);
  assert.ok(cancelled, 'the stream was cancelled');
  const res = calhook.errorResponse(err);
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error, 'BODY_TOO_LARGE');

  // Within the limit it verifies and parses; bad options are refused before reading.
  const ok = new Request('http://127.0.0.1/hook', { method: 'POST', body, headers: { 'x-cal-signature-256': calhook.sign(body, secret) } });
  assert.equal((await calhook.handleRequest(ok, secret, { maxBytes: limit })).triggerEvent, 'HOSTILE_PROBE');
  for (const maxBytes of [NaN, -1, 1.5, Infinity, '100']) {
    const r = new Request('http://127.0.0.1/hook', { method: 'POST', body });
    assert.equal((await calhook.handleRequest(r, secret, { maxBytes }).catch((e) => e)).code, 'INVALID_ARGUMENT', String(maxBytes));
  }
  for (const bad of [null, {}, { arrayBuffer: 1, headers: {} }, new Proxy({}, { get: () => { throw new Error('x'); } })]) {
    assert.equal((await calhook.handleRequest(bad, secret).catch((e) => e)).code, 'INVALID_ARGUMENT');
  }
});

test('the replay window fails closed: NaN, Infinity and negative limits are errors, not "no limit"', () => {
  const old = JSON.stringify({ triggerEvent: 'HOSTILE_PROBE', createdAt: '2000-01-01T00:00:00.000Z', payload: {} });
  // Number(process.env.UNSET) is NaN: it used to disable the window silently.
  for (const maxAgeMs of [Number(undefined), Infinity, -Infinity, -1]) {
    assert.equal(typedError(() => calhook.parseEvent(old, { maxAgeMs })).code, 'INVALID_ARGUMENT');
  }
  assert.notEqual(typedError(() => calhook.parseEvent(old, { maxAgeMs: 60_000 })), null, 'an old event is refused');
  assert.equal(calhook.parseEvent(old, { now: Date.now(), maxAgeMs: null }).triggerEvent, 'HOSTILE_PROBE', 'null disables it explicitly');
});

test('two different lone-surrogate secrets can no longer sign alike', () => {
  for (const s of ['\ud800', '\udfff', 'a\ud83d', '\ude00b']) {
    assert.equal(typedError(() => calhook.sign(body, s)).code, 'INVALID_ARGUMENT');
    assert.equal(typedError(() => calhook.verify(body, 'sha256=00', s)).code, 'INVALID_ARGUMENT');
    assert.equal(typedError(() => calhook.verify('x'.repeat(5000), 'sha256=00', s)).code, 'INVALID_ARGUMENT', 'native path too');
    assert.equal(typedError(() => new calhook.Verifier(s)).code, 'INVALID_ARGUMENT');
    assert.ok(!typedError(() => calhook.sign(body, s)).message.includes(s));
  }
  assert.equal(calhook.verify(body, calhook.sign(body, '😀'), '😀'), true, 'a surrogate pair is fine');
});

test("the issue's URLs get the verdicts WHATWG URL implies (runtime URL + core classifier)", () => {
  const codes = (subscriberUrl) =>
    calhook.validateWebhookCreate({ subscriberUrl, triggers: ['BOOKING_CREATED'] }).issues.filter((i) => i.path === 'subscriberUrl').map((i) => i.code).sort();
  const privateHttp = ['INSECURE_URL', 'PRIVATE_HOST'];
  for (const url of [
    'http://１２７.0.0.1',
    'http://①②⑦.0.0.1',
    'http://127。0。0。1',
    'http://%31%32%37.0.0.1',
    'http://ⓛocalhost',
    'http://127.0.0.1\\@evil.com',
    'http://100.64.0.1',
    'http://198.18.0.1',
    'http://224.0.0.1',
    'http://255.255.255.255',
    'http://[64:ff9b::7f00:1]',
    'http://[::127.0.0.1]',
  ]) {
    assert.deepEqual(codes(url), privateHttp, url);
    // The oracle agrees about the host: it is what the runtime's URL reads.
    assert.ok(/^(127\.0\.0\.1|localhost|100\.64\.0\.1|198\.18\.0\.1|224\.0\.0\.1|255\.255\.255\.255|\[.*\])$/.test(new URL(url).hostname), url);
  }
  assert.equal(new URL('http://evil.com\\@127.0.0.1').hostname, 'evil.com');
  assert.deepEqual(codes('http://evil.com\\@127.0.0.1'), ['INSECURE_URL'], 'the host is evil.com');
  assert.deepEqual(codes('https://[fec0::1]/'), ['PRIVATE_HOST']);
  assert.deepEqual(codes('https://example.com/hook'), []);
});

test('webhookRequest: ids are never path syntax, the base URL is https as the parser reads it', () => {
  const req = (input) => calhook.webhookRequest({ apiKey: 'cal_test_x', ...input });
  for (const input of [{ op: 'get', scope: { eventType: '..' }, webhookId: 'abc' }, { op: 'get', webhookId: '..' }, { op: 'delete', webhookId: '.' }, { op: 'list', scope: { organization: ' .. ' } }]) {
    assert.equal(typedError(() => req(input)).code, 'INVALID_ID', JSON.stringify(input));
  }
  // Whatever the ids, the runtime's URL reads exactly the intended segments.
  const ids = ['abc', 'a/b', 'a\\b', '%2e%2e', '.%2e', '...', 'a?b#c', '😀', ' x ', '@', ':', '..a', '12'];
  for (const scopeId of ids) {
    for (const webhookId of ids) {
      const r = req({ op: 'get', scope: { eventType: scopeId }, webhookId });
      const segments = new URL(r.url).pathname.split('/').map(decodeURIComponent);
      assert.deepEqual(segments, ['', 'v2', 'event-types', scopeId.trim(), 'webhooks', webhookId.trim()], r.url);
      assert.equal(new URL(r.url).host, 'api.cal.com');
    }
  }
  for (const baseUrl of ['https://evil.example\\.api.cal.com', 'http://api.cal.com', 'https://user:pw@api.cal.com', 'https://api.cal.com?x', 'https://api.cal.com#x', 'https://ａｐｉ.cal.com', 'https://api.cal.com%2F@evil.example', 'not a url']) {
    assert.equal(typedError(() => req({ op: 'list', baseUrl })).code, 'INVALID_BASE_URL', baseUrl);
  }
  assert.equal(req({ op: 'list', baseUrl: 'https://API.cal.com/' }).url, 'https://api.cal.com/v2/webhooks');
  assert.equal(req({ op: 'list', baseUrl: 'https://cal.example.com/api' }).url, 'https://cal.example.com/api/v2/webhooks');
});
