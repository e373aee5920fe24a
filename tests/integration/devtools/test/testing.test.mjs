// calhook/testing with node:test: signedRequest / signedDelivery are byte-identical to what
// Cal.com sends (buildDelivery, node:crypto), and work with handleRequest and Fetch handlers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDelivery, handleRequest, parseEvent, samplePayload } from 'calhook';
import { signedDelivery, signedRequest } from 'calhook/testing';
import { hmac } from './helpers.mjs';

test('signedRequest is a Fetch Request byte-identical to the delivery Cal.com sends', async () => {
  const request = signedRequest('BOOKING_CREATED', { secret: 'S', url: 'https://example.test/api/cal', version: '2021-10-20' });
  assert.ok(request instanceof Request);
  assert.equal(request.method, 'POST');
  assert.equal(request.url, 'https://example.test/api/cal');
  const bytes = Buffer.from(await request.clone().arrayBuffer());
  assert.equal(request.headers.get('x-cal-signature-256'), hmac(bytes, 'S'));
  assert.equal(request.headers.get('x-cal-webhook-version'), '2021-10-20');
  assert.equal(request.headers.get('content-type'), 'application/json');
  const event = parseEvent(bytes, { strict: true });
  const expected = buildDelivery({ triggerEvent: 'BOOKING_CREATED', createdAt: event.createdAt, payload: samplePayload('BOOKING_CREATED').payload, secret: 'S', version: '2021-10-20' });
  assert.equal(bytes.toString('utf8'), expected.body);
  const handled = await handleRequest(request, 'S', { maxAgeMs: 60_000 });
  assert.equal(handled.triggerEvent, 'BOOKING_CREATED');
});

test('signedDelivery: { method, url, headers, body } with payload, template, createdAt and no secret', () => {
  const payload = { ...samplePayload('BOOKING_REQUESTED').payload, title: 'Ünïcode "quoted" <b>' };
  const d = signedDelivery('BOOKING_REQUESTED', { secret: 'S', payload, template: '{"t":"{{title}}","c":"{{createdAt}}"}', createdAt: '2026-05-06T07:08:09.010Z' });
  assert.deepEqual(Object.keys(d).sort(), ['body', 'headers', 'method', 'url']);
  assert.equal(d.url, 'http://localhost/webhooks/cal');
  const expected = buildDelivery({ triggerEvent: 'BOOKING_REQUESTED', createdAt: '2026-05-06T07:08:09.010Z', payload, template: '{"t":"{{title}}","c":"{{createdAt}}"}', secret: 'S' });
  assert.equal(d.body, expected.body);
  assert.deepEqual(d.headers, expected.headers);
  assert.equal(d.headers['X-Cal-Signature-256'], hmac(Buffer.from(d.body, 'utf8'), 'S'));
  const unsigned = signedDelivery('PING');
  assert.equal(unsigned.headers['X-Cal-Signature-256'], 'no-secret-provided');
  assert.throws(() => signedDelivery('NOT_A_TRIGGER'), { code: 'UNKNOWN_TRIGGER' });
  assert.throws(() => signedDelivery(''), { code: 'INVALID_ARGUMENT' });
});
