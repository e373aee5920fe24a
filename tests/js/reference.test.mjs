// The receiving policy's Node-only checks (the vectors in tests/vectors/reference.json run in
// every runtime): errorResponse never echoes the payload of an INVALID_PAYLOAD error, whose
// `event` carries it, and handleRequest can return an invalid but verified event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as calhook from '../../pkg/dist/entries/node.mjs';

// Values that must never come back in a response: strings, numbers and keys' values.
const SECRET_VALUES = ['Zoë <script>alert(1)</script>', 'credit-card-4242', '987654321', 'jane.private@example.com'];
const body = JSON.stringify({
  triggerEvent: 'BOOKING_CREATED',
  createdAt: '2024-01-15T10:00:00.000Z',
  payload: {
    title: SECRET_VALUES[0],
    startTime: 'not a date credit-card-4242',
    endTime: 987654321,
    organizer: { name: 'J', email: SECRET_VALUES[3], timeZone: 'UTC' },
    attendees: [{ name: 'A', email: 'jane.private@example.com', timeZone: 5 }],
    uid: 'u',
  },
});

test('INVALID_PAYLOAD carries the event; errorResponse echoes only issue paths and codes', async () => {
  let error;
  try {
    calhook.parseEvent(body);
  } catch (e) {
    error = e;
  }
  assert.equal(error.code, 'INVALID_PAYLOAD');
  assert.equal(error.event.valid, false);
  assert.equal(error.event.payload.title, SECRET_VALUES[0]);
  assert.deepEqual(error.event.issues, error.issues);
  // The messages quote values (for the developer), the response must not.
  assert.ok(error.issues.some((i) => i.message.includes('credit-card-4242')));
  const response = calhook.errorResponse(error);
  assert.equal(response.status, 400);
  const text = await response.text();
  for (const v of SECRET_VALUES) assert.ok(!text.includes(v), `response echoes ${v}: ${text}`);
  const json = JSON.parse(text);
  assert.deepEqual(Object.keys(json).sort(), ['error', 'issues', 'message']);
  for (const issue of json.issues) assert.deepEqual(Object.keys(issue).sort(), ['code', 'path']);
  assert.deepEqual(json.issues.map((i) => i.path), ['payload.startTime', 'payload.endTime', 'payload.attendees[0].timeZone']);
});

test('errorResponse bounds the issues it lists', async () => {
  const attendees = Array.from({ length: 150 }, () => ({ name: 'A', email: 7, timeZone: 'UTC' }));
  const big = JSON.stringify({ triggerEvent: 'PING', createdAt: '2024-01-15T10:00:00.000Z', payload: { type: 'Test', title: 't', startTime: '2024-01-15T10:00:00Z', endTime: '2024-01-15T10:00:00Z', organizer: { name: 'C', email: 'c@x.io', timeZone: 'UTC' }, attendees } });
  const r = calhook.safeParseEvent(big);
  assert.equal(r.ok, false);
  assert.equal(r.error.issues.length, 100);
  const json = await calhook.errorResponse(r.error).json();
  assert.equal(json.issues.length, 20);
});

test('handleRequest with acceptInvalid returns a verified invalid event for a 2xx', async () => {
  const secret = 'whsec_policy';
  const sig = createHmac('sha256', secret).update(body).digest('hex');
  const request = () => new Request('http://127.0.0.1/hook', { method: 'POST', body, headers: { 'X-Cal-Signature-256': sig } });
  await assert.rejects(calhook.handleRequest(request(), secret), (e) => e.code === 'INVALID_PAYLOAD' && e.event.payload.uid === 'u');
  const event = await calhook.handleRequest(request(), secret, { acceptInvalid: true });
  assert.equal(event.valid, false);
  assert.equal(event.triggerEvent, 'BOOKING_CREATED');
  assert.equal(event.payload.title, SECRET_VALUES[0]);
  // A bad signature is never accepted, whatever the option.
  await assert.rejects(calhook.handleRequest(request(), 'other', { acceptInvalid: true }), (e) => e.code === 'MISMATCH');
  // safeParseEvent and verifyEvent take the option too.
  assert.equal(calhook.safeParseEvent(body, { acceptInvalid: true }).event.valid, false);
  assert.equal(calhook.verifyEvent(body, `sha256=${sig}`, secret, { acceptInvalid: true }).warnings.at(-1).code, 'REFERENCE_SIGNATURE_PREFIX');
});
