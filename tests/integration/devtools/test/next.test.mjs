// calhook/next with Next.js's own NextRequest (next/server): the route handler verifies, passes
// the typed event, and answers failures as errorResponse does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NextRequest, NextResponse } from 'next/server.js';
import { CalhookError, errorResponse, samplePayload } from 'calhook';
import { calhook as route } from 'calhook/next';
import { signedRequest } from 'calhook/testing';

const SECRET = 'next-secret';

async function expectedError(code) {
  const r = errorResponse(new CalhookError(code, 'x'));
  return { status: r.status, body: await r.json() };
}

const nextRequest = (request) => new NextRequest(request);

test('a route handler gets the verified event from a NextRequest and may return a NextResponse', async () => {
  const seen = [];
  const POST = route(() => process.env.CALHOOK_TEST_SECRET, async (event, request) => {
    seen.push({ event, url: request.nextUrl.pathname });
    if (event.triggerEvent === 'PING') return undefined;
    return NextResponse.json({ uid: event.payload.uid });
  });
  process.env.CALHOOK_TEST_SECRET = SECRET;
  let res = await POST(nextRequest(signedRequest('BOOKING_PAID', { secret: SECRET, url: 'http://localhost:3000/api/cal' })), { params: Promise.resolve({}) });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { uid: samplePayload('BOOKING_PAID').payload.uid });
  assert.equal(seen[0].url, '/api/cal');
  assert.equal(seen[0].event.known, true);
  assert.equal(seen[0].event.triggerEvent, 'BOOKING_PAID');
  res = await POST(nextRequest(signedRequest('PING', { secret: SECRET })));
  assert.equal(res.status, 200, 'a handler returning nothing answers 200');
  assert.equal(await res.text(), '');
});

test('failures get errorResponse\'s status and body; handler errors propagate; missing secret is a 500', async () => {
  const errors = [];
  const POST = route({ secret: SECRET, maxBytes: 3000 }, () => new Response('ok'));
  const cases = [
    ['MISMATCH', signedRequest('PING', { secret: 'other' })],
    ['MISSING_HEADER', new Request('http://localhost/', { method: 'POST', body: '{}' })],
    ['METHOD_NOT_ALLOWED', new Request('http://localhost/', { method: 'PUT', body: '{}' })],
    ['BODY_TOO_LARGE', signedRequest('PING', { secret: SECRET, payload: { pad: 'x'.repeat(5000) } })],
  ];
  for (const [code, req] of cases) {
    const res = await POST(nextRequest(req));
    const want = await expectedError(code);
    assert.equal(res.status, want.status, code);
    assert.deepEqual(await res.json(), want.body, code);
  }
  const noSecret = route({ secret: undefined, onError: (e) => errors.push(e) }, () => new Response('ok'));
  const res = await noSecret(nextRequest(signedRequest('PING', { secret: SECRET })));
  assert.equal(res.status, 500);
  assert.equal(errors[0].code, 'NO_RECEIVER_SECRET');
  const failing = route(SECRET, () => {
    throw new Error('boom');
  });
  await assert.rejects(failing(nextRequest(signedRequest('PING', { secret: SECRET }))), /boom/);
  assert.throws(() => route(SECRET), (e) => e instanceof CalhookError && e.code === 'INVALID_ARGUMENT');
});
