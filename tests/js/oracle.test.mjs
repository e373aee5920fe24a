// Checks the Cal.com sender oracle (tests/oracle/calcom-sender.mjs) against the documented
// facts of docs/handlebars-semantics §1 and cal-sender-facts, so the delivery differential
// test compares calhook with a faithful reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { calcomDeliver, getUTCOffsetByTimezone } from '../oracle/calcom-sender.mjs';

const base = { triggerEvent: 'BOOKING_CREATED', createdAt: '2025-01-01T10:00:00.000Z' };
const deliver = (payload, template, extra = {}) =>
  calcomDeliver({ ...base, payload: structuredClone(payload), template, ...extra });

test('default body, headers and signature', () => {
  const d = deliver({ uid: 'u', title: 'T' }, null, { secret: 's', version: '2021-10-20' });
  assert.equal(d.body, '{"triggerEvent":"BOOKING_CREATED","createdAt":"2025-01-01T10:00:00.000Z","payload":{"uid":"u","title":"T"}}');
  assert.deepEqual(d.headers, [
    ['Content-Type', 'application/json'],
    ['X-Cal-Signature-256', createHmac('sha256', 's').update(d.body).digest('hex')],
    ['X-Cal-Webhook-Version', '2021-10-20'],
  ]);
  assert.equal(deliver({}, null, { secret: '' }).headers[1][1], 'no-secret-provided');
});

test('content type follows JSON.parse(template) truthiness', () => {
  for (const [t, ct] of [['{}', 'json'], ['1', 'json'], ['"x"', 'json'], ['0', 'x-www'], ['null', 'x-www'],
    ['""', 'x-www'], ['{"n": {{uid}} }', 'x-www'], ['\ufeff{}', 'x-www']]) {
    assert.ok(deliver({ uid: 'u' }, t).contentType.includes(ct), t);
  }
  assert.equal(deliver({ uid: 'u' }, '').contentType, 'application/json');
});

test('flat data, &quot; replacement, JSON post-processing and false', () => {
  assert.equal(deliver({ uid: 'u' }, '{{uid}}|{{payload.uid}}').body, 'u|');
  assert.equal(deliver({ t: 'a"b&c' }, 't={{t}}').body, 't=a"b&amp;c');
  assert.equal(deliver({ t: 'x' }, '{"b":"{{t}}","2":1.0,"b":1e21}').body, '{"2":1,"b":1e+21}');
  assert.equal(deliver({ t: 'a"b' }, '{"t":"{{t}}"}').body, 'false');
  assert.equal(deliver({ t: 'a\nb' }, '{"t":"{{t}}"}').body, 'false');
  assert.equal(deliver({ t: 'C:\\new' }, '{"t":"{{t}}"}').body, '{"t":"C:\\new"}');
});

test('errors: syntax, render, empty form body', () => {
  assert.throws(() => deliver({ n: 1 }, '{"a": {{n}}}'), /Parse error/);
  assert.throws(() => deliver({ a: [{ e: 1 }] }, '{{payload.attendees[0].email}}'), /Parse error/);
  assert.throws(() => deliver({}, '{{missing x}}'), /Missing helper/);
  assert.throws(() => deliver({ x: '' }, '{{x}}'), /Missing required elements/);
});

test('payload preparation: description fallback and utcOffset', () => {
  const d = deliver({ description: '', additionalNotes: 'n', startTime: '2025-07-01T10:00:00Z',
    organizer: { timeZone: 'Europe/London' }, attendees: [{ timeZone: 'Asia/Kolkata' }, {}] }, null);
  const p = JSON.parse(d.body).payload;
  assert.equal(p.description, 'n');
  assert.equal(p.organizer.utcOffset, 60);
  assert.deepEqual(p.attendees.map((a) => a.utcOffset), [330, null]);
  assert.equal(getUTCOffsetByTimezone('Etc/GMT+5', '2025-01-01T00:00:00Z'), -300);
  assert.equal(JSON.parse(deliver({ description: null }, null).body).payload.description, undefined);
});

test('generic triggers: wrapped data, no preparation', () => {
  const d = calcomDeliver({ ...base, triggerEvent: 'FORM_SUBMITTED', payload: { formId: 'f', description: '' },
    template: '{{payload.formId}}{{formId}}' });
  assert.equal(d.body, 'f');
});
