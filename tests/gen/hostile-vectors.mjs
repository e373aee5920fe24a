#!/usr/bin/env node
// Generates tests/vectors/hostile.json: every exported function, every argument (and the fields
// of object arguments), given every hostile kind of value (tests/runtime/vectors.mjs `hostile`).
// The rule is the project's, not calhook's output: a result or a CalhookError with a code, and a
// good `verify` afterwards. Plus fail-closed numeric options (INVALID_ARGUMENT), lone-surrogate
// secrets, size limits and instance recovery. Run: `node tests/gen/hostile-vectors.mjs`.
import { writeFileSync } from 'node:fs';

const KINDS = [
  'symbol', 'bigint', 'function', 'nan', 'infinity', 'negative', 'fraction', 'huge', 'negzero', 'string', 'emptyString',
  'loneSurrogate', 'boxedString', 'invalidDate', 'array', 'nullProto', 'getters', 'proxy', 'revokedProxy', 'cyclic',
  'deepObject', 'deepArray', 'moderatelyDeep', 'manyKeys', 'throwingToJSON', 'bigintInside',
];
const H = (kind) => ({ $hostile: kind });
const U = { $undefined: true };

const body = '{"triggerEvent":"HOSTILE_PROBE","createdAt":"2024-01-01T00:00:00.000Z","payload":{}}';
const sig = 'sha256=0000000000000000000000000000000000000000000000000000000000000000';
const webhook = { subscriberUrl: 'https://example.com/hook', triggers: ['BOOKING_CREATED'] };

// [fn, base args, ctor args?]; each argument slot and each field of an object argument is
// replaced in turn by every hostile kind.
const targets = [
  ['sign', [body, 's']],
  ['verify', [body, sig, 's']],
  ['check', [body, sig, 's']],
  ['diagnose', [body, sig, 's']],
  ['Verifier#verify', [body, sig], ['s']],
  ['Verifier#check', [body, sig], ['s']],
  ['compileTemplate', ['{{a}}', { maxNesting: 10, maxOutputBytes: 100, maxTemplateBytes: 100, dialect: 'calcom' }]],
  ['renderTemplate', ['{{a.b}}', { a: { b: 1 } }, { maxNesting: 10, maxOutputBytes: 100 }]],
  ['compileTemplate#render', [{ a: 1 }], ['{{#each this}}{{@key}}{{/each}}']],
  ['buildDelivery', [{ triggerEvent: 'BOOKING_CREATED', createdAt: '2024-01-01T00:00:00.000Z', payload: { title: 'x' }, template: '{"t":"{{title}}"}', secret: 's', version: '2021-10-20', dialect: 'calcom', subscriberUrl: 'https://example.com/h' }]],
  ['lintTemplate', ['{{title}}', { dialect: 'calcom', trigger: 'BOOKING_CREATED' }]],
  ['applyFixes', ['{{a}}', [{ fix: { start: 0, end: 1, replacement: 'x' } }]]],
  ['parseEvent', [body, { strict: false, maxBytes: 1000, now: 1704067200000, maxAgeMs: 1000, maxFutureMs: 1000 }]],
  ['safeParseEvent', [body, { maxBytes: 1000 }]],
  ['verifyEvent', [body, sig, 's', { maxBytes: 1000 }]],
  ['eventKey', [{ triggerEvent: 'PING', createdAt: '2024-01-01T00:00:00.000Z', payload: {} }]],
  ['describeTrigger', ['PING']],
  ['samplePayload', ['BOOKING_CREATED', { payload: { title: 'x' } }]],
  ['eventJsonSchema', ['PING']],
  ['templateVariables', ['BOOKING_CREATED', { dialect: 'reference' }]],
  ['validateWebhookCreate', [webhook]],
  ['validateWebhookUpdate', [{ active: false }]],
  ['webhookRequest', [{ op: 'create', scope: { eventType: 12 }, body: webhook, apiKey: 'cal_test_x', baseUrl: 'https://api.cal.com' }]],
  ['parseWebhookResponse', [{ status: 'success', data: { id: 'x' } }]],
  ['nextRetryAt', [1, 0]],
  ['errorResponse', [{ code: 'MISMATCH' }]],
];

const cases = [];
const add = (name, fn, args, expect, ctor) => cases.push(ctor ? { name, fn, ctor, args, expect } : { name, fn, args, expect });
const fine = { value: { typed: true, verifyAfter: true } };

for (const [fn, args, ctor] of targets) {
  const slots = [];
  args.forEach((a, i) => {
    slots.push({ label: `arg ${i}`, put: (v) => args.map((x, j) => (j === i ? v : x)) });
    if (a && typeof a === 'object' && !Array.isArray(a)) {
      for (const k of Object.keys(a)) slots.push({ label: `arg ${i}.${k}`, put: (v) => args.map((x, j) => (j === i ? { ...x, [k]: v } : x)) });
    }
  });
  if (ctor) slots.push({ label: 'constructor', ctorSlot: true });
  for (const slot of slots) {
    for (const kind of KINDS) {
      if (slot.ctorSlot) add(`${fn} constructor ← ${kind}`, 'hostileCall', [fn, args, [H(kind)]], fine);
      else add(`${fn} ${slot.label} ← ${kind}`, 'hostileCall', [fn, slot.put(H(kind)), ctor], fine);
    }
  }
}

// Fail-closed numeric options: a wrong value is an error, never "no limit".
const badNumbers = [H('nan'), H('infinity'), -1, H('fraction'), '10', true, H('bigint'), H('symbol'), H('huge')];
for (const [key, extra] of [['maxAgeMs', {}], ['maxFutureMs', {}], ['maxBytes', {}], ['now', {}]]) {
  for (const v of badNumbers) {
    // A negative instant is a valid date (before 1970); fractional milliseconds are fine times.
    if ((key === 'now' && v === -1) || (key !== 'maxBytes' && v?.$hostile === 'fraction')) continue;
    add(`parseEvent ${key} ${JSON.stringify(v)} is INVALID_ARGUMENT`, 'parseEvent', [body, { ...extra, [key]: v }], { throws: 'INVALID_ARGUMENT' });
    add(`verifyEvent ${key} ${JSON.stringify(v)} is INVALID_ARGUMENT`, 'verifyEvent', [body, sig, 's', { [key]: v }], { throws: 'INVALID_ARGUMENT' });
  }
}
for (const key of ['maxOutputBytes', 'maxNesting', 'maxTemplateBytes']) {
  for (const v of badNumbers) {
    add(`compileTemplate ${key} ${JSON.stringify(v)} is INVALID_ARGUMENT`, 'compileTemplate', ['{{a}}', { [key]: v }], { throws: 'INVALID_ARGUMENT' });
    add(`renderTemplate ${key} ${JSON.stringify(v)} is INVALID_ARGUMENT`, 'renderTemplate', ['{{a}}', {}, { [key]: v }], { throws: 'INVALID_ARGUMENT' });
  }
}
add('parseEvent strict "yes" is INVALID_ARGUMENT', 'parseEvent', [body, { strict: 'yes' }], { throws: 'INVALID_ARGUMENT' });
add('parseEvent now() returning NaN is INVALID_ARGUMENT', 'parseEvent', [body, { now: H('function') }], { throws: 'INVALID_ARGUMENT' });
add('parseEvent maxAgeMs null still disables the age limit explicitly', 'parseEvent', [body, { now: 4102444800000, maxAgeMs: null }], { value: { triggerEvent: 'HOSTILE_PROBE' }, partial: true });
for (const v of [H('nan'), -1, H('fraction'), H('infinity'), '1', H('bigint')]) {
  add(`nextRetryAt failedAttempts ${JSON.stringify(v)} is INVALID_ARGUMENT`, 'nextRetryAt', [v, 0], { throws: 'INVALID_ARGUMENT' });
}
for (const v of [H('nan'), H('infinity'), H('invalidDate'), '0', 1e300]) {
  add(`nextRetryAt lastAttemptAt ${JSON.stringify(v)} is INVALID_ARGUMENT`, 'nextRetryAt', [1, v], { throws: 'INVALID_ARGUMENT' });
}
add('nextRetryAt 2**32 + 1 does not wrap to 1', 'nextRetryAt', [2 ** 32 + 1, 0], { value: null });
add('nextRetryAt 2**53 - 1 is no retry', 'nextRetryAt', [2 ** 53 - 1, 0], { value: null });

// Lone surrogates: no UTF-8 encoding, so they are rejected rather than silently replaced.
for (const fn of ['sign', 'verify', 'check']) {
  const args = fn === 'sign' ? [body, 'a\ud800'] : [body, sig, 'a\ud800'];
  add(`${fn} with a lone-surrogate secret is INVALID_ARGUMENT`, fn, args, { throws: 'INVALID_ARGUMENT' });
  const long = fn === 'sign' ? [{ $repeat: ['x', 5000] }, '\udc00'] : [{ $repeat: ['x', 5000] }, sig, '\udc00'];
  add(`${fn} of a long body with a lone-surrogate secret is INVALID_ARGUMENT`, fn, long, { throws: 'INVALID_ARGUMENT' });
}
add('verify with a secret list holding a lone surrogate is INVALID_ARGUMENT', 'verify', [body, sig, ['good', 'x\udbff']], { throws: 'INVALID_ARGUMENT' });
add('Verifier with a lone-surrogate secret is INVALID_ARGUMENT', 'Verifier#verify', [body, sig], { throws: 'INVALID_ARGUMENT' }, ['\ud83d']);
add('buildDelivery with a lone-surrogate secret is INVALID_ARGUMENT', 'buildDelivery', [{ triggerEvent: 'PING', payload: {}, secret: '\ud800' }], { throws: 'INVALID_ARGUMENT' });
add('a well-formed astral secret still signs', 'verify', [body, 'sha256=6a77e4f4a0c2ea0e2e0ec1a1f2b78e0d6e6a0b3b2d2c1b1a0f9e8d7c6b5a4938', '😀'], { value: false });

// Sizes are checked before the body is copied into wasm.
add('parseEvent of a string longer than maxBytes', 'parseEvent', [{ $repeat: ['a', 2000] }, { maxBytes: 1000 }], { throws: 'BODY_TOO_LARGE' });
add('parseEvent of a string whose UTF-8 is longer than maxBytes', 'parseEvent', [{ $repeat: ['é', 600] }, { maxBytes: 1000 }], { throws: 'BODY_TOO_LARGE' });
add('parseEvent of bytes longer than maxBytes', 'parseEvent', [{ $bytes: '20'.repeat(1001) }, { maxBytes: 1000 }], { throws: 'BODY_TOO_LARGE' });
add('parseEvent of a body over the default 4 MiB', 'parseEvent', [{ $repeat: [' ', 4 * 1024 * 1024 + 1] }], { throws: 'BODY_TOO_LARGE' });
add('verifyEvent refuses a large body before checking its signature', 'verifyEvent', [{ $repeat: ['€', 400] }, sig, 's', { maxBytes: 1000 }], { throws: 'BODY_TOO_LARGE' });
add('maxBytes exactly the body size is accepted', 'parseEvent', [body, { maxBytes: body.length }], { value: { triggerEvent: 'HOSTILE_PROBE' }, partial: true });

// Oversized bodies answer 413 (errorResponse), before any signature work.
add('errorResponse of an oversized parseEvent is 413', 'errorStatus', ['parseEvent', [{ $repeat: ['a', 2000] }, { maxBytes: 1000 }]], { value: { code: 'BODY_TOO_LARGE', status: 413 } });
add('errorResponse of an oversized verifyEvent is 413', 'errorStatus', ['verifyEvent', [{ $repeat: ['a', 2000] }, sig, 's', { maxBytes: 1000 }]], { value: { code: 'BODY_TOO_LARGE', status: 413 } });
add('errorResponse of a fail-open option is 500 (misconfigured receiver)', 'errorStatus', ['verifyEvent', [body, sig, 's', { maxAgeMs: H('nan') }]], { value: { code: 'INVALID_ARGUMENT', status: 500 } });

// Ids are path segments, never path syntax: read back by the runtime's URL (what fetch sends),
// the request still targets the scope's endpoint with the id as one segment. `.` and `..` have
// no spelling a URL parser keeps as a segment (`%2e` is a dot segment too), so they are refused.
const scopes = { eventType: 'event-types', organization: 'organizations', oauthClient: 'oauth-clients' };
for (const id of ['..', '.']) {
  add(`webhookRequest eventType id ${JSON.stringify(id)} is INVALID_ID`, 'requestTarget', [{ op: 'get', scope: { eventType: id }, webhookId: 'wh-1', apiKey: 'cal_test_x' }], { throws: 'INVALID_ID' });
  add(`webhookRequest webhookId ${JSON.stringify(id)} is INVALID_ID`, 'requestTarget', [{ op: 'delete', webhookId: id, apiKey: 'cal_test_x' }], { throws: 'INVALID_ID' });
}
const trickyIds = ['%2e%2e', '%2E', '.%2e', 'a/b', '../../v2/webhooks', 'a\\b', 'a?b', 'a#b', 'a b', '%', '%zz', '\u2025', '\uff0e\uff0e', 'é'];
for (const id of trickyIds) {
  for (const [scope, segment] of Object.entries(scopes)) {
    add(`webhookRequest ${scope} id ${JSON.stringify(id)} stays one path segment`, 'requestTarget', [{ op: 'get', scope: { [scope]: id }, webhookId: 'wh-1', apiKey: 'cal_test_x' }], {
      value: { host: 'api.cal.com', segments: ['v2', segment, id, 'webhooks', 'wh-1'] },
    });
  }
  add(`webhookRequest webhookId ${JSON.stringify(id)} stays one path segment`, 'requestTarget', [{ op: 'delete', webhookId: id, apiKey: 'cal_test_x' }], {
    value: { host: 'api.cal.com', segments: ['v2', 'webhooks', id] },
  });
}

// Instance recovery.
add('calls near the JS stack limit never poison the instance', 'nearStackLimit', [], {
  value: { unexpected: [], verifyAfter: true, renderAfter: 'ok', parseAfter: 'HOSTILE_PROBE' },
});
add('Verifier and Template rebuild after an instance reset', 'survivesReset', [], {
  value: { big: true, verifier: true, wrongSecret: false, check: 'OK', template: '123', variables: ['a'], freedIsTyped: true },
});
add('wasm memory: a refused body is never copied in; a huge call gives its memory back', 'memoryGivenBack', [], {
  value: { baselineSmall: true, refused: 'BODY_TOO_LARGE', grewForRefused: false, bigParsed: true, backToFresh: true },
});
add('a template nested past the wasm stack (maxNesting 2000) is typed and leaves verify working', 'deepTemplate', [1600, 2000], fine);
add('a template nested 100000 deep (maxNesting 100000) is typed and leaves verify working', 'deepTemplate', [100000, 100000], fine);

const out = new URL('../vectors/hostile.json', import.meta.url);
// One case per line: readable diffs, a small file.
writeFileSync(out, `{"suite":"hostile","cases":[\n${cases.map((c) => JSON.stringify(c)).join(',\n')}\n]}\n`);
console.log(`${cases.length} cases → tests/vectors/hostile.json`);
