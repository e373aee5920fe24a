#!/usr/bin/env node
// Generates tests/vectors/event.json from the realistic fixtures in tests/events/*.json (shaped
// as cal-sender-facts.md describes). Expectations come from the fixtures themselves and from
// the documented key formula computed with node:crypto, not from calhook.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const dir = new URL('../events/', import.meta.url);
const cases = [];
const add = (name, fn, args, expect) => cases.push({ name, fn, args, expect });

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const text = readFileSync(new URL(file, dir), 'utf8');
  const body = JSON.parse(text);
  const shape = file.includes('legacy_flat') ? 'legacyFlat' : file.includes('root_copy') ? 'formRootCopy' : 'envelope';
  const known = !file.startsWith('unknown');
  add(`parseEvent ${file}`, 'parseEvent', [text], { value: { triggerEvent: body.triggerEvent, known, shape }, partial: true });
  add(`parseEvent bytes ${file}`, 'parseEvent', [{ $bytes: Buffer.from(text).toString('hex') }], { value: { triggerEvent: body.triggerEvent, known, shape }, partial: true });
  if (!known) add(`strict rejects ${file}`, 'issueCodesOfParse', [text, { strict: true }], { value: ['UNKNOWN_TRIGGER'] });
}

const created = JSON.parse(readFileSync(new URL('booking_created.json', dir), 'utf8'));
const without = (path) => {
  const copy = structuredClone(created);
  const keys = path.split('.');
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k];
  delete o[keys.at(-1)];
  return JSON.stringify(copy);
};
for (const path of ['payload.title', 'payload.startTime', 'payload.organizer', 'payload.attendees', 'createdAt', 'triggerEvent']) {
  add(`missing ${path} is INVALID_PAYLOAD`, 'parseEvent', [without(path)], { throws: 'INVALID_PAYLOAD' });
}
const wrongType = structuredClone(created);
wrongType.payload.attendees[0].email = 42;
add('wrong type attendee email', 'issuePaths', [JSON.stringify(wrongType)], { value: ['payload.attendees[0].email'] });
add('not JSON (a form-urlencoded template body)', 'parseEvent', ['event=BOOKING_CREATED&uid=x'], { throws: 'NOT_JSON' });
add('empty body', 'parseEvent', [''], { throws: 'NOT_JSON' });
add('invalid UTF-8', 'parseEvent', [{ $bytes: 'ff' }], { throws: 'NOT_JSON' });
add('10,000-deep nesting', 'parseEvent', [{ $repeat: ['[', 10000] }], { throws: 'TOO_DEEP' });
add('a JSON array is not an event', 'parseEvent', ['[]'], { throws: 'INVALID_PAYLOAD' });

const createdMs = Date.parse(created.createdAt);
add('replay window: stale', 'parseEvent', [JSON.stringify(created), { now: createdMs + 10 * 60_000 }], { throws: 'STALE_EVENT' });
add('replay window: fresh', 'parseEvent', [JSON.stringify(created), { now: createdMs + 1000 }], { value: { known: true }, partial: true });
add('replay window: future', 'parseEvent', [JSON.stringify(created), { now: createdMs - 5 * 60_000 }], { throws: 'FUTURE_EVENT' });
add('replay window: custom maxAgeMs', 'parseEvent', [JSON.stringify(created), { now: createdMs + 10 * 60_000, maxAgeMs: 3_600_000 }], { value: { known: true }, partial: true });

const key = (trigger, subject, createdAt) =>
  createHash('sha256').update(`calhook-event-key/v1\n${trigger}\n${subject}\n${createdAt}`).digest('hex');
add('eventKey of a booking', 'eventKey', [{ triggerEvent: 'BOOKING_CREATED', createdAt: created.createdAt, payload: created.payload }], {
  value: key('BOOKING_CREATED', `uid:${created.payload.uid}`, created.createdAt),
});

add('validateWebhookCreate: the reference example', 'validateWebhookCreate', [{ subscriberUrl: 'https://your-app.com/webhook', triggers: ['BOOKING_CREATED', 'BOOKING_CANCELLED', 'BOOKING_RESCHEDULED'], active: true, payloadTemplate: null, secret: 'your-webhook-secret' }], { value: { ok: true }, partial: true });
add('validateWebhookCreate: missing triggers', 'issueCodes', [{ subscriberUrl: 'https://x.example.com/h', active: true }], { value: ['REQUIRED'] });
add('validateWebhookUpdate: empty', 'validateWebhookUpdate', [{}], { value: { ok: false }, partial: true });
add('samplePayload round-trips through parseEvent', 'sampleRoundTrip', ['BOOKING_RESCHEDULED'], { value: { triggerEvent: 'BOOKING_RESCHEDULED', known: true, shape: 'envelope' } });
add('unknown trigger sample', 'samplePayload', ['NOPE'], { throws: 'UNKNOWN_TRIGGER' });

writeFileSync(new URL('../vectors/event.json', import.meta.url), JSON.stringify({ suite: 'event', cases }, null, 1) + '\n');
console.log(`wrote ${cases.length} event vectors`);
