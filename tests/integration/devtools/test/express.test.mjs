// calhook/express with a real Express 5 server: `calhook trigger` and supertest against it,
// errorResponse semantics, BODY_ALREADY_PARSED after express.json() and the opt-in recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { CalhookError, errorResponse, samplePayload } from 'calhook';
import { calhook as webhook } from 'calhook/express';
import { signedDelivery } from 'calhook/testing';
import { calhook, hmac, listen, signatureValid } from './helpers.mjs';

const SECRET = 'express-secret';

async function expectedError(code) {
  const r = errorResponse(new CalhookError(code, 'x'));
  return { status: r.status, body: await r.json() };
}

function app(setup) {
  const a = express();
  const seen = [];
  setup(a, seen);
  return { app: a, seen };
}

test('middleware form: calhook trigger reaches it, req.calhook is the verified event', async () => {
  const { app: a, seen } = app((a, seen) => {
    a.post('/webhooks/cal', webhook(SECRET), (req, res) => {
      seen.push(req.calhook);
      res.json({ got: req.calhook.triggerEvent });
    });
  });
  const server = await listen(a.listen(0, '127.0.0.1'));
  try {
    const r = await calhook(['trigger', 'BOOKING_CREATED', '--url', `${server.url}/webhooks/cal`, '--secret', SECRET]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /→ 200 OK .*\n\{"got":"BOOKING_CREATED"\}/);
    const [event] = seen;
    assert.equal(event.known, true);
    assert.equal(event.triggerEvent, 'BOOKING_CREATED');
    assert.equal(event.payload.uid, samplePayload('BOOKING_CREATED').payload.uid);
    assert.equal(event.recovered, undefined);

    const bad = await calhook(['trigger', 'BOOKING_CREATED', '--url', `${server.url}/webhooks/cal`, '--secret', 'wrong']);
    assert.equal(bad.code, 1);
    const want = await expectedError('MISMATCH');
    assert.ok(bad.stdout.includes(`→ ${want.status} `));
    assert.ok(bad.stdout.includes(JSON.stringify(want.body)), bad.stdout);
    assert.equal(seen.length, 1, 'the route handler did not run');
  } finally {
    await server.close();
  }
});

test('handler form gets the typed event; a handler that sends nothing answers 200; its errors go to next', async () => {
  const a = express();
  const events = [];
  a.post('/quiet', webhook(SECRET, (event) => void events.push(event)));
  a.post('/boom', webhook(SECRET, async () => {
    throw new Error('handler failed');
  }));
  a.use((err, req, res, next) => res.status(599).send(`caught: ${err.message}`));
  // Headers and body come from one delivery (the signature covers its createdAt).
  const d = signedDelivery('BOOKING_CANCELLED', { secret: SECRET });
  let r = await request(a).post('/quiet').set(d.headers).send(d.body);
  assert.equal(r.status, 200);
  assert.equal(events.at(-1).triggerEvent, 'BOOKING_CANCELLED');
  assert.equal(events.at(-1).payload.cancellationReason, samplePayload('BOOKING_CANCELLED').payload.cancellationReason);
  r = await request(a).post('/boom').set(d.headers).send(d.body);
  assert.equal(r.status, 599);
  assert.equal(r.text, 'caught: handler failed');
});

test('supertest with signedDelivery: valid, tampered, missing header, wrong method, too large', async () => {
  const a = express();
  a.all('/hook', webhook({ secret: SECRET, maxBytes: 4096 }), (req, res) => res.status(204).end());
  const d = signedDelivery('PING', { secret: SECRET });
  assert.ok(signatureValid(Buffer.from(d.body), d.headers['X-Cal-Signature-256'], SECRET));
  let r = await request(a).post('/hook').set(d.headers).send(d.body);
  assert.equal(r.status, 204);
  for (const [code, req] of [
    ['MISMATCH', request(a).post('/hook').set(d.headers).send(d.body.replace('Test', 'Tset'))],
    ['MISSING_HEADER', request(a).post('/hook').set('content-type', 'application/json').send(d.body)],
    ['METHOD_NOT_ALLOWED', request(a).get('/hook')],
  ]) {
    r = await req;
    const want = await expectedError(code);
    assert.equal(r.status, want.status, code);
    assert.deepEqual(r.body, want.body, code);
  }
  const big = signedDelivery('PING', { secret: SECRET, payload: { title: 'x'.repeat(5000) } });
  r = await request(a).post('/hook').set(big.headers).send(big.body);
  const want = await expectedError('BODY_TOO_LARGE');
  assert.equal(r.status, want.status);
  assert.equal(r.body.error, 'BODY_TOO_LARGE');
});

test('after express.json(): BODY_ALREADY_PARSED (500) explaining the fix, reported to onError', async () => {
  const errors = [];
  const a = express();
  a.use(express.json());
  a.post('/hook', webhook({ secret: SECRET, onError: (e) => errors.push(e) }), (req, res) => res.end('unreachable'));
  const d = signedDelivery('BOOKING_CREATED', { secret: SECRET });
  const r = await request(a).post('/hook').set(d.headers).send(d.body);
  const want = await expectedError('BODY_ALREADY_PARSED');
  assert.equal(r.status, 500);
  assert.deepEqual(r.body, want.body);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'BODY_ALREADY_PARSED');
  assert.match(errors[0].message, /before express\.json\(\)/);
  assert.match(errors[0].message, /recover: true/);
});

test('after express.json() with recover: true: verified by re-serializing, marked recovered', async () => {
  const a = express();
  a.use(express.json());
  a.post('/hook', webhook({ secret: SECRET, recover: true }), (req, res) => res.json({ recovered: req.calhook.recovered, uid: req.calhook.payload.uid }));
  const server = await listen(a.listen(0, '127.0.0.1'));
  try {
    const r = await calhook(['trigger', 'BOOKING_CREATED', '--url', `${server.url}/hook`, '--secret', SECRET]);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout.split('\n')[1]), { recovered: true, uid: samplePayload('BOOKING_CREATED').payload.uid });
    // A tampered body still fails after recovery.
    const d = signedDelivery('BOOKING_CREATED', { secret: SECRET });
    const tampered = await request(a).post('/hook').set(d.headers).send(d.body.replace('Jane', 'Joan'));
    assert.equal(tampered.status, 401);
  } finally {
    await server.close();
  }
});

test('after express.raw() or express.text(): their exact bytes are used', async () => {
  const a = express();
  a.post('/raw', express.raw({ type: '*/*' }), webhook(SECRET), (req, res) => res.json({ ok: req.calhook.triggerEvent }));
  a.post('/text', express.text({ type: '*/*' }), webhook(SECRET), (req, res) => res.json({ ok: req.calhook.triggerEvent }));
  const d = signedDelivery('MEETING_ENDED', { secret: SECRET });
  for (const path of ['/raw', '/text']) {
    const r = await request(a).post(path).set(d.headers).send(d.body);
    assert.equal(r.status, 200, path);
    assert.deepEqual(r.body, { ok: 'MEETING_ENDED' });
  }
  assert.equal(d.headers['X-Cal-Signature-256'], hmac(d.body, SECRET));
});

test('a form-urlencoded template body is verified from the raw bytes', async () => {
  const a = express();
  let seen;
  a.post('/hook', webhook({ secret: SECRET, onError: () => {} }), (req, res) => res.end());
  a.use((err, req, res, next) => {
    seen = err;
    res.status(500).end();
  });
  const d = signedDelivery('BOOKING_CREATED', { secret: SECRET, template: 'uid={{uid}}&title={{title}}' });
  assert.equal(d.headers['Content-Type'], 'application/x-www-form-urlencoded');
  const r = await request(a).post('/hook').set(d.headers).send(d.body);
  // The signature is valid; the body is not JSON, so parsing fails with errorResponse's 400.
  const want = await expectedError('NOT_JSON');
  assert.equal(r.status, want.status);
  assert.equal(r.body.error, 'NOT_JSON');
  assert.equal(seen, undefined);
});
