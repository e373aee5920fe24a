#!/usr/bin/env node
// Generates tests/vectors/reference.json: every example of the API reference, copied byte for
// byte into tests/reference/webhooks-api-examples.txt, must parse or validate as what it is,
// with exactly the expected warnings, in every runtime. Expected renderings come from the real
// handlebars@4.7.10 and the Cal.com sender oracle; signatures from node:crypto; warnings from
// the receiving policy (the reference's forms are accepted and named, never rejected).
// Also the "no verified event is silently lost" and UTF-16 position vectors.
// Re-run after changing the case list: `node tests/gen/reference-vectors.mjs`.
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { calcomDeliver } from '../oracle/calcom-sender.mjs';

const require = createRequire(import.meta.url);
const Handlebars = require('handlebars');

/** The fixture's sections: { name: { kind, source, text } } (format in the fixture's header). */
export function referenceExamples() {
  const text = readFileSync(new URL('../reference/webhooks-api-examples.txt', import.meta.url), 'utf8');
  const out = {};
  for (const section of text.split('\n=== ').slice(1)) {
    const cut = section.indexOf('\n---\n');
    const head = section.slice(0, cut).split('\n');
    const body = section.slice(cut + 5);
    const field = (k) => head.find((l) => l.startsWith(`${k}: `)).slice(k.length + 2);
    out[head[0]] = { kind: field('kind'), source: field('source'), text: body.endsWith('\n') ? body.slice(0, -1) : body };
  }
  return out;
}

const ex = referenceExamples();
const cases = [];
const add = (name, fn, args, expect) => cases.push({ name: `reference: ${name}`, fn, args, expect });

// ---- Event payloads
const created = JSON.parse(ex['booking-created'].text);
// The reference's CANCELLED/RESCHEDULED examples elide organizer and attendees as {...} / [...]:
// filled in with those of its BOOKING_CREATED example.
const fill = (text) => text.replace('{...}', JSON.stringify(created.payload.organizer)).replace('[...]', JSON.stringify(created.payload.attendees));
const plainResponses = Object.entries(created.payload.responses)
  .filter(([, v]) => v === null || typeof v !== 'object')
  .map(([k]) => [`payload.responses.${k}`, 'REFERENCE_RESPONSE_VALUE']);
if (plainResponses.length !== 2) throw new Error('the reference example changed');
const createdText = ex['booking-created'].text;
add('BOOKING_CREATED example parses with REFERENCE_RESPONSE_VALUE warnings', 'eventWarnings', [createdText], { value: { valid: true, known: true, triggerEvent: 'BOOKING_CREATED', warnings: plainResponses } });
add('BOOKING_CREATED example as bytes', 'eventWarnings', [{ $bytes: Buffer.from(createdText).toString('hex') }], { value: { valid: true, known: true, triggerEvent: 'BOOKING_CREATED', warnings: plainResponses } });
add('BOOKING_CREATED example, strict: still warnings, never a rejection', 'eventWarnings', [createdText, { strict: true }], { value: { valid: true, known: true, triggerEvent: 'BOOKING_CREATED', warnings: plainResponses } });
add('BOOKING_CREATED example payload kept as sent', 'parseEvent', [createdText], { value: { payload: created.payload, createdAt: created.createdAt }, partial: true });
for (const [name, trigger] of [['booking-cancelled', 'BOOKING_CANCELLED'], ['booking-rescheduled', 'BOOKING_RESCHEDULED']]) {
  const text = fill(ex[name].text);
  add(`${trigger} example (organizer/attendees filled in) parses without warnings`, 'eventWarnings', [text], { value: { valid: true, known: true, triggerEvent: trigger, warnings: [] } });
  add(`${trigger} example payload`, 'parseEvent', [text], { value: { payload: JSON.parse(text).payload }, partial: true });
  add(`${trigger} example as printed (with {...}) is NOT_JSON`, 'parseEvent', [ex[name].text], { throws: 'NOT_JSON' });
}

// ---- Signature header: `X-Cal-Signature-256: sha256=<signature>`
const secret = 'your-webhook-secret';
const hex = createHmac('sha256', secret).update(createdText).digest('hex');
const headerLine = ex['signature-header'].text;
const prefixed = headerLine.slice('X-Cal-Signature-256: '.length).replace('<signature>', hex);
add('signature header in the reference form verifies with REFERENCE_SIGNATURE_PREFIX', 'checkWarnings', [createdText, prefixed, secret], { value: { ok: true, code: 'OK', warnings: ['REFERENCE_SIGNATURE_PREFIX'] } });
add('signature header as the sender sends it: no warning', 'checkWarnings', [createdText, hex, secret], { value: { ok: true, code: 'OK', warnings: [] } });
add('signature header in the reference form, upper case', 'checkWarnings', [createdText, prefixed.toUpperCase(), secret], { value: { ok: true, code: 'OK', warnings: ['REFERENCE_SIGNATURE_PREFIX'] } });
add('verifyEvent joins the signature warning to the event warnings', 'verifyWarnings', [createdText, prefixed, secret], { value: [...plainResponses, ['X-Cal-Signature-256', 'REFERENCE_SIGNATURE_PREFIX']] });
add('Verifier#check in the reference form', 'Verifier#check', [createdText, prefixed], { value: { ok: true, code: 'OK', warnings: [{ code: 'REFERENCE_SIGNATURE_PREFIX' }] }, partial: true });
cases.at(-1).ctor = [secret];
// Verifier#check warnings carry a message too: compare the codes only.
cases.pop();

// ---- Webhook bodies
const body = (name) => JSON.parse(ex[name].text);
add('create body validates', 'webhookIssues', [body('create-body'), false], { value: { ok: true, issues: [] } });
add('update body validates', 'webhookIssues', [body('update-body'), true], { value: { ok: true, issues: [] } });
add('event-type create body validates', 'webhookIssues', [body('event-type-create-body'), false], { value: { ok: true, issues: [] } });
add('custom-template create body validates with warnings naming both reference forms', 'webhookIssues', [body('template-create-body'), false], {
  // (The example also omits `active`: optional in the reference, required by the current API.)
  value: { ok: true, issues: [['active', 'REFERENCE_ACTIVE_OPTIONAL', 'warning'], ['payloadTemplate', 'REFERENCE_INDEX_SYNTAX', 'warning'], ['payloadTemplate', 'TEMPLATE_PAYLOAD_PREFIX', 'warning']] },
});
add('list response', 'parseWebhookResponse', [ex['list-response'].text], { value: JSON.parse(ex['list-response'].text).data });

// ---- Endpoints and scopes
const lines = (name) => ex[name].text.split('\n').map((l) => l.trim().split(/\s+/)).filter(([, p]) => p && p.startsWith('/v2/'));
const base = 'https://api.cal.com';
const opOf = (method, path) => ({ GET: path.includes('{webhookId}') ? 'get' : 'list', POST: 'create', PATCH: 'update', DELETE: 'delete' })[method];
const bodyFor = (op) => (op === 'create' ? body('create-body') : op === 'update' ? body('update-body') : undefined);
for (const [method, path] of lines('endpoints')) {
  const op = opOf(method, path);
  const input = { op, apiKey: 'cal_live_abc123', webhookId: op === 'list' || op === 'create' ? undefined : 'wh-1', body: bodyFor(op) };
  add(`endpoint ${method} ${path}`, 'requestLine', [input], { value: [method, base + path.replace('{webhookId}', 'wh-1')] });
}
for (const [name, placeholder, key] of [['event-type-endpoints', '{eventTypeId}', 'eventType'], ['organization-endpoints', '{orgId}', 'organization'], ['oauth-client-endpoints', '{clientId}', 'oauthClient']]) {
  for (const [method, path] of lines(name)) {
    const op = opOf(method, path);
    add(`${key} scope ${method} ${path}`, 'requestLine', [{ op, scope: { [key]: 42 }, apiKey: 'cal_live_abc123', body: bodyFor(op) }], { value: [method, base + path.replace(placeholder, '42')] });
  }
}

// ---- Trigger table and retry policy
for (const line of ex.triggers.text.split('\n').slice(1)) {
  const name = line.split(' ')[0];
  add(`trigger ${name} is documented`, 'describeTrigger', [name], { value: { name, documented: true }, partial: true });
}
const unit = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000 };
ex['retry-policy'].text.split('\n').forEach((line, i) => {
  const [, n, u] = line.match(/: (\d+) (\w+)$/);
  add(`retry ${i + 1}: ${n} ${u}`, 'nextRetryAt', [i + 1, 0], { value: Number(n) * unit[u] });
});
add('after the 5th retry: failed', 'nextRetryAt', [6, 0], { value: null });

// ---- The template, in the reference dialect
const template = body('template-create-body').payloadTemplate;
// The oracle for the reference dialect: handlebars itself, with the reference's `[0]` written
// as handlebars spells it (`.[0]`), against the reference's envelope.
const asHandlebars = (src) => src.replace(/\[(\d+)\]/g, '.[$1]');
const hbs = (src, data) => Handlebars.compile(src)(structuredClone(data));
add('the template renders in the reference dialect', 'renderTemplate', [template, created, { dialect: 'reference' }], { value: hbs(asHandlebars(template), created) });
add('the template is a syntax error on the sender (compile)', 'compileTemplate', [template], { throws: 'TEMPLATE_SYNTAX' });
let senderThrows = false;
try {
  calcomDeliver({ triggerEvent: 'BOOKING_CREATED', createdAt: created.createdAt, payload: structuredClone(created.payload), template });
} catch {
  senderThrows = true;
}
if (!senderThrows) throw new Error('the oracle delivered the reference template');
add('the template sends nothing on the sender (delivery)', 'deliverySummary', [{ triggerEvent: 'BOOKING_CREATED', createdAt: created.createdAt, payload: created.payload, template }], { throws: 'TEMPLATE_SYNTAX' });
add('the template in the reference dialect delivers as documented', 'deliverySummary', [{ triggerEvent: 'BOOKING_CREATED', createdAt: created.createdAt, payload: created.payload, template, dialect: 'reference' }], {
  value: { body: JSON.stringify(JSON.parse(hbs(asHandlebars(template), created).replace(/&quot;/g, '"'))), contentType: 'application/json', signature: 'no-secret-provided' },
});
// (The `payload.` of the `[0]` mustache is named once its index is fixed: fixes never overlap.)
add('lint names the reference forms', 'lintTemplate', [template, { trigger: 'BOOKING_CREATED' }], { value: ['REFERENCE_PAYLOAD_PREFIX', 'REFERENCE_INDEX_SYNTAX'], project: 'code' });
const onceFixed = '{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{payload.attendees.0.email}}"}';
add('lint after the first fixes names the last payload. path', 'lintTemplate', [onceFixed, { trigger: 'BOOKING_CREATED' }], { value: ['REFERENCE_PAYLOAD_PREFIX'], project: 'code' });
add('applyFixes twice gives the sender spelling', 'applyFixes', [onceFixed, [{ fix: { start: onceFixed.indexOf('payload.attendees'), end: onceFixed.indexOf('payload.attendees') + 8, replacement: '' } }]], { value: '{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}' });
const senderSpelling = '{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}';
const fixedDelivery = calcomDeliver({ triggerEvent: 'BOOKING_CREATED', createdAt: created.createdAt, payload: structuredClone(created.payload), template: senderSpelling });
add('the sender spelling delivers what the reference dialect renders', 'deliverySummary', [{ triggerEvent: 'BOOKING_CREATED', createdAt: created.createdAt, payload: created.payload, template: senderSpelling }], {
  value: { body: fixedDelivery.body, contentType: fixedDelivery.contentType, signature: 'no-secret-provided' },
});
for (const line of ex['template-variables'].text.split('\n')) {
  const variable = line.match(/\{\{[^}]+\}\}/)[0];
  add(`variable ${variable} in the reference dialect`, 'renderTemplate', [variable, created, { dialect: 'reference' }], { value: hbs(asHandlebars(variable), created) });
}

// ---- No verified event is silently lost
const wrong = structuredClone(JSON.parse(fill(ex['booking-cancelled'].text)));
wrong.payload.attendees[0].email = 42;
wrong.payload.futureField = { kept: true };
add('a type mismatch comes back with the event (acceptInvalid) and on the error', 'uncheckedEvent', [JSON.stringify(wrong)], {
  value: { thrown: { code: 'INVALID_PAYLOAD', valid: false, triggerEvent: 'BOOKING_CANCELLED', same: true }, valid: false, triggerEvent: 'BOOKING_CANCELLED', payload: wrong.payload, issues: [['payload.attendees[0].email', 'WRONG_TYPE']], warnings: [] },
});
add("Cal.com's `false` body comes back as the payload", 'uncheckedEvent', ['false'], {
  value: { thrown: { code: 'INVALID_PAYLOAD', valid: false, triggerEvent: null, same: true }, valid: false, triggerEvent: null, payload: false, issues: [['', 'WRONG_TYPE']], warnings: [] },
});
const unknown = { triggerEvent: 'SOMETHING_NEW', createdAt: created.createdAt, payload: { a: 1 } };
add('strict rejects an unknown trigger, with the event', 'uncheckedEvent', [JSON.stringify(unknown), { strict: true }], {
  value: { thrown: { code: 'INVALID_PAYLOAD', valid: false, triggerEvent: 'SOMETHING_NEW', same: true }, valid: false, triggerEvent: 'SOMETHING_NEW', payload: unknown.payload, issues: [['triggerEvent', 'UNKNOWN_TRIGGER']], warnings: [] },
});
add('unknown fields never fail', 'eventWarnings', [JSON.stringify({ ...created, payload: { ...created.payload, brandNew: [1, { x: 2 }] } })], { value: { valid: true, known: true, triggerEvent: 'BOOKING_CREATED', warnings: plainResponses } });
add('a valid event is valid: true', 'parseEvent', [fill(ex['booking-cancelled'].text), { acceptInvalid: true }], { value: { valid: true, known: true }, partial: true });

// ---- UTF-16 positions: JS string indexes, not UTF-8 byte offsets
// The parser stops at the `x` (or at the `}` after a trailing comma): its JS index is the oracle.
for (const text of ['{"ééé": x}', '["😀" x]', '{\n  "a": "é",\n  "😀😀": x\n}', '{"😀": 1,}']) {
  const offset = text.includes('x') ? text.indexOf('x') : text.length - 1;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  add(`JSON error position in UTF-16: ${JSON.stringify(text)}`, 'jsonErrorOf', [text], { value: { code: 'NOT_JSON', offset, line: text.slice(0, offset).split('\n').length, column: offset - lineStart + 1 } });
}

writeFileSync(new URL('../vectors/reference.json', import.meta.url), JSON.stringify({ suite: 'reference', cases }, null, 1) + '\n');
console.log(`wrote ${cases.length} reference vectors`);
