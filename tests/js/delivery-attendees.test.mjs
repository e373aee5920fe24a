// buildDelivery sends only the attendees a template reads when every attendee is a plain object
// with a known zone (src/delivery/prepare.rs, Attendees::Checked), and signs long bodies with
// node:crypto. Both must be invisible: generated payloads with hostile attendee shapes give the
// same delivery (or the same error) as the full crossing, and JSON-clean ones what the Cal.com
// sender oracle sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as calhook from '../../pkg/dist/entries/node.mjs';
import { prng } from './harness.mjs';
import { calcomDeliver } from '../oracle/calcom-sender.mjs';

class Guest {
  constructor() {
    this.email = 'class@example.com';
    this.timeZone = 'UTC';
  }
}

const ZONES = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Australia/Adelaide', '', null, undefined];
const ODD_ZONES = [5, {}, true, ['UTC'], 'constructor', '__proto__'];

// [attendee, JSON-clean (the oracle can take it as is)]
function attendee(rand, i, hostile) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const r = hostile ? rand() : 0;
  if (r < 0.75) {
    const a = { name: `Guest ${i}`, email: `guest.${i}.of.a.long.meeting@example.com` };
    // A zone Intl rejects makes the sender throw: rare, or most deliveries would.
    const zone = rand() < 0.01 ? 'Mars/Base' : pick(ZONES);
    if (zone !== undefined || rand() < 0.5) a.timeZone = zone;
    if (rand() < 0.2) a.utcOffset = 99;
    return [a, true];
  }
  if (r < 0.82) return [{ email: `odd${i}@example.com`, timeZone: pick(ODD_ZONES) }, false];
  return [pick([null, 1, 'text', [], [1], new Date(0), new String('boxed'), { toJSON: () => null }, { toJSON: () => ({ timeZone: 'Mars/Base' }) }, new Guest(), Object.create(null)]), false];
}

function payload(rand) {
  let clean = true;
  // Half the payloads have only well-formed attendees (the oracle's cases).
  const hostile = rand() < 0.5;
  const n = Math.floor(rand() * 60);
  const attendees = [];
  for (let i = 0; i < n; i++) {
    const [a, ok] = attendee(rand, i, hostile);
    clean &&= ok;
    attendees.push(a);
  }
  const p = {
    title: 'Sync',
    uid: `uid-${Math.floor(rand() * 100)}`,
    organizer: { name: 'Host', email: 'host@example.com', timeZone: rand() < 0.9 ? 'America/New_York' : 'Mars/Base' },
    description: 'd',
  };
  const s = rand();
  if (s < 0.8) p.startTime = '2024-07-15T10:00:00.000Z';
  else if (s < 0.9) p.startTime = 'not a date';
  const shape = rand();
  if (shape < 0.85) p.attendees = attendees;
  else if (shape < 0.9) p.attendees = { 0: attendees[0] ?? null };
  else if (shape < 0.95) p.attendees = 'none';
  // An unreadable startTime is a case the emulation notes rather than reproduces (no oracle).
  return [p, clean && shape < 0.85 && p.startTime !== 'not a date'];
}

const TEMPLATES = [
  '{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}',
  '{"first": "{{attendees.0.email}}", "second": "{{attendees.[1].utcOffset}}", "n": "{{attendees.length}}"}',
  '{{#if attendees}}some{{else}}none{{/if}} {{organizer.utcOffset}}',
  '{"all": [{{#each attendees}}"{{email}}/{{utcOffset}}/{{timeZone}}"{{#unless @last}},{{/unless}}{{/each}}]}',
  '{{#each attendees}}{{@index}}={{email}} {{utcOffset}};{{/each}}',
  '{"uid": "{{uid}}", "org": "{{organizer.utcOffset}}"}',
  '{{lookup attendees 1}}',
  '{"list": [{{#each attendees}}{"name": "{{name}}", "email": "{{email}}", "tz": "{{timeZone}}", "offset": "{{utcOffset}}"}{{#unless @last}},{{/unless}}{{/each}}]}',
  undefined,
];

function outcome(input) {
  try {
    const d = calhook.buildDelivery(input);
    return { ...d };
  } catch (e) {
    if (!(e instanceof calhook.CalhookError)) return { crashed: String(e) };
    return { throws: e.code, message: e.message };
  }
}

// The same payload, but its attendees list is an Array with another prototype: JSON.stringify
// writes it the same, and buildDelivery sends every attendee (the full crossing).
function fullCrossing(p) {
  if (!Array.isArray(p.attendees)) return { ...p, toJSON: undefined };
  const list = Object.setPrototypeOf([...p.attendees], Object.create(Array.prototype));
  return { ...p, attendees: list };
}

function oracle(input) {
  try {
    const d = calcomDeliver(structuredClone(input));
    return { body: d.body, contentType: d.contentType, signature: d.headers.find(([k]) => k === 'X-Cal-Signature-256')[1] };
  } catch {
    return { throws: true };
  }
}

test('checked attendees and native signing change nothing: 1,500 generated deliveries', () => {
  const rand = prng(20261201);
  const failures = [];
  let oracleCases = 0;
  let long = 0;
  for (let i = 0; i < 1500; i++) {
    const [p, clean] = payload(rand);
    const input = {
      triggerEvent: 'BOOKING_CREATED',
      createdAt: '2024-07-15T09:00:00.000Z',
      payload: p,
      template: TEMPLATES[Math.floor(rand() * TEMPLATES.length)],
      secret: rand() < 0.8 ? 'whsec_attendees' : undefined,
      version: rand() < 0.5 ? '2021-10-20' : undefined,
      subscriberUrl: rand() < 0.5 ? 'https://example.com/hook' : undefined,
    };
    const got = outcome(input);
    const full = outcome({ ...input, payload: fullCrossing(p) });
    if (JSON.stringify(got) !== JSON.stringify(full)) failures.push({ i, kind: 'full', input, got, full });
    if (got.body && got.body.length >= 1024) long++;
    if (clean) {
      oracleCases++;
      const want = oracle(input);
      const mine = got.throws ? { throws: true } : { body: got.body, contentType: got.contentType, signature: got.headers['X-Cal-Signature-256'] };
      if (JSON.stringify(mine) !== JSON.stringify(want)) failures.push({ i, kind: 'oracle', input, got: mine, want });
    }
  }
  assert.deepEqual(failures.slice(0, 3), []);
  assert.ok(oracleCases > 300, `enough cases for the oracle (${oracleCases})`);
  assert.ok(long > 40, `enough long bodies, signed natively (${long})`);
});

test('renderPayloadTemplate agrees with the full crossing too', () => {
  const rand = prng(7);
  for (let i = 0; i < 300; i++) {
    const [p] = payload(rand);
    const input = { triggerEvent: 'BOOKING_CREATED', payload: p, template: TEMPLATES[Math.floor(rand() * (TEMPLATES.length - 1))] };
    const run = (x) => {
      try {
        return calhook.renderPayloadTemplate(x);
      } catch (e) {
        return `throws ${e.code}`;
      }
    };
    assert.equal(run(input), run({ ...input, payload: fullCrossing(p) }), JSON.stringify(p));
  }
});
