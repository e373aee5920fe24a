// Linear time through the built package: quadrupling an adversarial input must roughly
// quadruple the time (a quadratic path gives ~16). Inputs are built outside the timing.
// COMPLEXITY_LOG=1 prints every measurement. A ratio above the bound is measured twice more
// before failing. Regressions this caught: JSON objects
// inserting index keys at the front (parseEvent 24 s for 389 KB), per-trigger rescans in
// validateWebhookCreate, per-diagnostic source rescans in lintTemplate, per-path rescans in
// Template.variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as calhook from '../../pkg/dist/entries/node.mjs';

// Timing on a shared 2-core machine: wall-clock time counts the moments this process waits
// for a core, so samples are CPU time (process.cpuUsage), each sample repeats the call until it
// has used a few milliseconds (a single sub-millisecond call is timer and GC noise), and the
// fastest of several samples is kept (load only ever adds time). The large input is 4× the
// small one: a linear function gives ~4, n log n ~5, a quadratic one ~16, so the bound of 10
// separates them with room for noise.
const RUNS = 5;
const FACTOR = 4;
const MAX_RATIO = 10;
const SAMPLE_MS = 4;

function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU milliseconds of one call of `run(input)`, from repeating it for at least SAMPLE_MS. */
function sample(run, input) {
  const start = cpuMs();
  let calls = 0;
  let spent;
  do {
    run(input);
    calls++;
    spent = cpuMs() - start;
  } while (spent < SAMPLE_MS);
  return spent / calls;
}

function ratioOf(run, small, large) {
  run(small);
  run(large);
  let a = Infinity;
  let b = Infinity;
  for (let i = 0; i < RUNS; i++) {
    a = Math.min(a, sample(run, small));
    b = Math.min(b, sample(run, large));
  }
  return { small: a, large: b, ratio: b / Math.max(a, 1e-4) };
}

function assertLinear(name, n, build, run) {
  const small = build(n);
  const large = build(FACTOR * n);
  let r;
  for (let attempt = 0; attempt < 3; attempt++) {
    r = ratioOf(run, small, large);
    if (process.env.COMPLEXITY_LOG) console.log(`${name}: ${r.small.toFixed(2)} ms → ${r.large.toFixed(2)} ms (×${r.ratio.toFixed(2)})`);
    if (r.ratio < MAX_RATIO) return r;
  }
  assert.fail(`${name}: ${FACTOR}× the input multiplied the CPU time by ${r.ratio.toFixed(2)} (${r.small.toFixed(2)} ms → ${r.large.toFixed(2)} ms; linear is ~${FACTOR}, quadratic ~${FACTOR * FACTOR})`);
}

const indexKeys = (n, order) => {
  const keys = [];
  for (let i = 0; i < n; i++) {
    const k = order === 'desc' ? n - i : order === 'asc' ? i : (i * 7919) % (4 * n + 1);
    keys.push(`"${k}":1`);
  }
  return `{${keys.join(',')}}`;
};
const eventBody = (metadata, extra = '') =>
  `{"triggerEvent":"BOOKING_CREATED","createdAt":"2024-01-01T00:00:00.000Z","payload":{"uid":"u","title":"t"${extra},"metadata":${metadata}}}`;
const lax = { maxBytes: 1 << 30, maxAgeMs: null, maxFutureMs: null };
const attempt = (f) => {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof calhook.CalhookError)) throw e;
    return e;
  }
};

test('parseEvent is linear on adversarial key shapes', () => {
  const parse = (body) => attempt(() => calhook.parseEvent(body, lax));
  assertLinear('descending index keys', 20000, (n) => eventBody(indexKeys(n, 'desc')), parse);
  assertLinear('ascending index keys', 20000, (n) => eventBody(indexKeys(n, 'asc')), parse);
  assertLinear('scrambled index keys', 20000, (n) => eventBody(indexKeys(n, 'mix')), parse);
  assertLinear('many attendees', 4000, (n) =>
    eventBody('{}', `,"attendees":[${Array(n).fill('{"name":"A","email":"a@example.com","timeZone":"UTC"}').join(',')}]`), parse);
  assertLinear('wrong types everywhere', 10000, (n) => eventBody('{}', `,"attendees":[${Array(n).fill('1').join(',')}]`), parse);
});

test('validateWebhookCreate is linear', () => {
  const body = (triggers, extra = {}) => ({ subscriberUrl: 'https://example.com/h', triggers, ...extra });
  const check = (b) => {
    calhook.validateWebhookCreate(b);
    calhook.validateWebhookUpdate(b);
  };
  assertLinear('distinct unknown triggers', 20000, (n) => body(Array.from({ length: n }, (_, i) => `NOPE_${i}`)), check);
  assertLinear('duplicate triggers', 20000, (n) => body(Array(n).fill('BOOKING_CREATED')), check);
  assertLinear('non-string triggers', 20000, (n) => body(Array(n).fill(1)), check);
  assertLinear('unknown fields', 10000, (n) => body(['BOOKING_CREATED'], Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, null]))), check);
  assertLinear('template variables', 2000, (n) =>
    body(['BOOKING_CREATED'], { payloadTemplate: Array.from({ length: n }, (_, i) => `{{v${i}}}`).join('') }), check);
});

const manyVars = (n) => Array.from({ length: n }, (_, i) => `{{v${i}.a}}{{v${i}}}`).join('');

test('lintTemplate is linear', () => {
  const lint = (src) => calhook.lintTemplate(src, { trigger: 'BOOKING_CREATED' });
  assertLinear('unknown variables', 2000, (n) => Array.from({ length: n }, (_, i) => `{{v${i}}}`).join(''), lint);
  assertLinear('unknown helpers', 1000, (n) => Array.from({ length: n }, (_, i) => `{{h${i} a}}`).join(''), lint);
  assertLinear('unknown partials', 1000, (n) => Array.from({ length: n }, (_, i) => `{{> p${i}}}`).join(''), lint);
  assertLinear('JSON strings', 2000, (n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":"{{v${i}}}"`).join(',')}}`, lint);
  assertLinear('multi-byte text between', 2000, (n) => Array.from({ length: n }, (_, i) => `é😀\n{{v${i}}}`).join(''), lint);
  assertLinear('syntax errors', 2000, (n) => '{{a}} {{/b}}'.repeat(n), lint);
});

test('Template.variables is linear', () => {
  const opts = { maxTemplateBytes: 1 << 30 };
  // Each compiled template is freed at once: left to the garbage collector, thousands of them
  // pile up in wasm memory within one sample and the memory growth is what gets timed.
  const variables = (src) => {
    const t = calhook.compileTemplate(src, opts);
    const names = t.variables;
    t.free();
    return names;
  };
  assertLinear('distinct paths', 5000, (n) => manyVars(n), variables);
  assertLinear('repeated path', 5000, (n) => '{{a.b}}'.repeat(n), variables);
});

test('renderTemplate is linear', () => {
  const opts = { maxTemplateBytes: 1 << 30, maxOutputBytes: 1 << 30 };
  assertLinear('many variables', 10000, (n) => manyVars(n), (src) => calhook.renderTemplate(src, {}, opts));
  const each = '{{#each a}}{{@key}}{{this}}{{/each}}';
  assertLinear('each over an array', 20000, (n) => ({ a: Array(n).fill('x<') }), (data) => calhook.renderTemplate(each, data, opts));
  assertLinear('each over index keys', 20000, (n) => ({ a: JSON.parse(indexKeys(n, 'desc')) }), (data) => calhook.renderTemplate(each, data, opts));
});

test('diagnose is linear and bounded', () => {
  const header = '0'.repeat(64);
  const run = (body) => calhook.diagnose(body, header, 'whsec_x');
  assertLinear('wide body', 10000, (n) => indexKeys(n, 'desc'), run);
  assertLinear('deep body', 500, (n) => `[${Array(n).fill('['.repeat(300) + ']'.repeat(300)).join(',')}]`, run);
  assertLinear('pretty body with CRLF', 5000, (n) => JSON.stringify({ a: Array(n).fill({ b: 'c' }) }, null, 2).replace(/\n/g, '\r\n'), run);
  // Above the cap, the body mistakes are skipped and say so.
  const big = JSON.stringify({ a: 'x'.repeat(2 << 20) }, null, 2);
  assert.deepEqual(run(big).map((c) => c.code), ['BODY_TOO_LARGE_TO_DIAGNOSE']);
});

const SECRET = 'whsec_complexity';
// Signatures come from node:crypto (the oracle), outside the timing.
const signed = (body) => [body, createHmac('sha256', SECRET).update(body).digest('hex')];

test('verifyEvent is linear (hash, then parse) on adversarial shapes', () => {
  const verifyEv = ([body, header]) => attempt(() => calhook.verifyEvent(body, header, SECRET, lax));
  assertLinear('descending index keys', 20000, (n) => signed(eventBody(indexKeys(n, 'desc'))), verifyEv);
  assertLinear('many attendees', 4000, (n) =>
    signed(eventBody('{}', `,"attendees":[${Array(n).fill('{"name":"A","email":"a@example.com","timeZone":"UTC"}').join(',')}]`)), verifyEv);
  assertLinear('long escaped strings', 20000, (n) => signed(eventBody(`{"s":"${'\\u00e9\\n'.repeat(n)}"}`)), verifyEv);
  // A wrong signature stops before parsing: still linear in the hashed bytes.
  assertLinear('mis-signed wide body', 200000, (n) => [eventBody(indexKeys(n, 'desc')), '0'.repeat(64)], verifyEv);
});

test('compileTemplate is linear on adversarial shapes', () => {
  const opts = { maxTemplateBytes: 1 << 30 };
  // Freed at once, as above: the timing is of compiling, not of wasm memory growth.
  const compile = (src) => attempt(() => calhook.compileTemplate(src, opts).free());
  assertLinear('sibling blocks', 5000, (n) => '{{#if a}}x{{else}}y{{/if}}'.repeat(n), compile);
  assertLinear('blocks nested to the default limit, repeated', 200, (n) => ('{{#if a}}'.repeat(60) + 'x' + '{{/if}}'.repeat(60)).repeat(n), compile);
  assertLinear('long paths', 8000, (n) => `{{${Array.from({ length: n }, (_, i) => `k${i}`).join('.')}}}`, compile);
  assertLinear('helper calls with many arguments', 8000, (n) => `{{#each ${Array(n).fill('a').join(' ')}}}{{/each}}`, compile);
  assertLinear('text and comments', 20000, (n) => 'text {{!-- c --}} \\{{escaped}} '.repeat(n), compile);
  assertLinear('unclosed blocks (error)', 200000, (n) => '{{#if a}}'.repeat(50) + 'x'.repeat(n), compile);
});

test('Template.render is linear on adversarial data and templates', () => {
  const opts = { maxTemplateBytes: 1 << 30, maxOutputBytes: 1 << 30 };
  const each = calhook.compileTemplate('{{#each a}}{{@index}}{{this.b}}{{/each}}', opts);
  assertLinear('each over many objects', 10000, (n) => ({ a: Array(n).fill({ b: 'x&' }) }), (d) => each.render(d));
  assertLinear('each over scrambled index keys', 10000, (n) => ({ a: JSON.parse(indexKeys(n, 'mix')) }), (d) => each.render(d));
  const nested = calhook.compileTemplate('{{#each a}}{{#each this}}{{this}}{{/each}}{{/each}}', opts);
  assertLinear('nested each', 200, (n) => ({ a: Array(n).fill(Array(100).fill('y')) }), (d) => nested.render(d));
  const lookups = (n) => calhook.compileTemplate(manyVars(n), opts);
  const data = Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`v${i}`, { a: i }]));
  assertLinear('many lookups into wide data', 2000, lookups, (t) => t.render(data));
});

test('buildDelivery is linear on adversarial payloads and templates', () => {
  const payload = (n) => ({ uid: 'u', title: 't', metadata: JSON.parse(indexKeys(n, 'desc')), attendees: [] });
  const deliver = (input) => attempt(() => calhook.buildDelivery(input));
  assertLinear('default body, index-key metadata', 10000, (n) => ({ triggerEvent: 'BOOKING_CREATED', payload: payload(n), secret: SECRET }), deliver);
  assertLinear('template over many attendees', 2000, (n) => ({
    triggerEvent: 'BOOKING_CREATED',
    template: '{"names":"{{#each attendees}}{{name}},{{/each}}"}',
    payload: { uid: 'u', attendees: Array(n).fill({ name: 'A "quoted"', email: 'a@example.com', timeZone: 'UTC' }) },
    secret: SECRET,
  }), deliver);
  // Above the compiled-template cache's source cap (src/delivery/cache.rs) at both sizes: the
  // ratio compares compile + render with compile + render, not a cache hit with a miss.
  assertLinear('template with many variables', 4000, (n) => ({
    triggerEvent: 'BOOKING_CREATED',
    template: `{${Array.from({ length: n }, (_, i) => `"k${i}":"{{v${i}}}"`).join(',')}}`,
    payload: { uid: 'u' },
  }), deliver);
});

test('samplePayload is linear in its overrides', () => {
  const sample = (o) => attempt(() => calhook.samplePayload('BOOKING_CREATED', o));
  assertLinear('wide overrides', 10000, (n) => ({ payload: { metadata: JSON.parse(indexKeys(n, 'desc')) } }), sample);
  assertLinear('many attendees', 5000, (n) => ({ payload: { attendees: Array(n).fill({ name: 'A' }) } }), sample);
  assertLinear('unknown top-level keys', 10000, (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, i])), sample);
});

test('webhookRequest and parseWebhookResponse are linear', () => {
  const hook = (i) => ({ id: `w${i}`, subscriberUrl: 'https://example.com/h', triggers: ['BOOKING_CREATED'], active: true, payloadTemplate: null });
  const parse = (text) => attempt(() => calhook.parseWebhookResponse(text));
  assertLinear('a long webhook list', 5000, (n) => JSON.stringify({ status: 'success', data: Array.from({ length: n }, (_, i) => hook(i)) }), parse);
  assertLinear('an error with a huge message', 400000, (n) => JSON.stringify({ status: 'error', error: { message: 'x'.repeat(n) } }), parse);
  const request = (body) => attempt(() => calhook.webhookRequest({ op: 'create', body, apiKey: 'cal_live_key' }));
  assertLinear('create with many triggers', 10000, (n) => ({ subscriberUrl: 'https://example.com/h', triggers: Array(n).fill('BOOKING_CREATED') }), request);
});
