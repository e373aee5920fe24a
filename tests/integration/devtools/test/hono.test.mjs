// calhook/hono with a real Hono app, served by @hono/node-server and called in-process with
// signedRequest: `calhook trigger` against it, errorResponse semantics, the body cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { CalhookError, errorResponse, samplePayload } from 'calhook';
import { calhook as webhook } from 'calhook/hono';
import { signedRequest } from 'calhook/testing';
import { calhook } from './helpers.mjs';

const SECRET = 'hono-secret';

async function expectedError(code) {
  const r = errorResponse(new CalhookError(code, 'x'));
  return { status: r.status, body: await r.json() };
}

function start(app) {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

test('middleware form behind @hono/node-server: calhook trigger reaches it; c.get("calhook"); the body stays readable', async () => {
  const app = new Hono();
  const seen = [];
  app.post('/webhooks/cal', webhook(SECRET), async (c) => {
    const event = c.get('calhook');
    seen.push(event);
    // Later handlers can still read the body through Hono.
    const again = await c.req.json();
    return c.json({ trigger: event.triggerEvent, sameUid: again.payload.uid === event.payload.uid });
  });
  const server = await start(app);
  try {
    const r = await calhook(['trigger', 'BOOKING_RESCHEDULED', '--url', `${server.url}/webhooks/cal`, '--secret', SECRET]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.split('\n')[1]), { trigger: 'BOOKING_RESCHEDULED', sameUid: true });
    assert.equal(seen[0].known, true);
    assert.equal(seen[0].payload.uid, samplePayload('BOOKING_RESCHEDULED').payload.uid);
    const bad = await calhook(['trigger', 'BOOKING_RESCHEDULED', '--url', `${server.url}/webhooks/cal`, '--secret', 'nope']);
    assert.equal(bad.code, 1);
    const want = await expectedError('MISMATCH');
    assert.ok(bad.stdout.includes(`→ ${want.status} `) && bad.stdout.includes(JSON.stringify(want.body)), bad.stdout);
    assert.equal(seen.length, 1);
  } finally {
    await server.close();
  }
});

test('handler form in-process (app.request): typed event, default 200, errorResponse for failures', async () => {
  const app = new Hono();
  app.all('/hook', webhook({ secret: SECRET, maxBytes: 2048 }, (event, c) => (event.triggerEvent === 'PING' ? undefined : c.text(`got ${event.triggerEvent}`, 202))));
  let res = await app.request(signedRequest('PING', { secret: SECRET, url: 'http://localhost/hook' }));
  assert.equal(res.status, 200);
  res = await app.request(signedRequest('MEETING_STARTED', { secret: SECRET, url: 'http://localhost/hook' }));
  assert.equal(res.status, 202);
  assert.equal(await res.text(), 'got MEETING_STARTED');
  // The secret from the context, as on Workers (c.env), per request.
  const fromEnv = new Hono();
  fromEnv.post('/hook', webhook((c) => c.env.CAL_WEBHOOK_SECRET, (event, c) => c.text(event.triggerEvent)));
  res = await fromEnv.request(signedRequest('PING', { secret: 'env-1', url: 'http://localhost/hook' }), undefined, { CAL_WEBHOOK_SECRET: 'env-1' });
  assert.equal(await res.text(), 'PING');
  res = await fromEnv.request(signedRequest('PING', { secret: 'env-1', url: 'http://localhost/hook' }), undefined, { CAL_WEBHOOK_SECRET: 'env-2' });
  assert.equal(res.status, 401);
  const cases = [
    ['MISMATCH', signedRequest('PING', { secret: 'other', url: 'http://localhost/hook' })],
    ['MISSING_HEADER', new Request('http://localhost/hook', { method: 'POST', body: '{}' })],
    ['METHOD_NOT_ALLOWED', new Request('http://localhost/hook')],
    ['BODY_TOO_LARGE', signedRequest('PING', { secret: SECRET, url: 'http://localhost/hook', payload: { pad: 'x'.repeat(4000) } })],
  ];
  for (const [code, req] of cases) {
    res = await app.request(req);
    const want = await expectedError(code);
    assert.equal(res.status, want.status, code);
    assert.deepEqual(await res.json(), want.body, code);
  }
});

test('after c.req.json(), c.req.text() or c.req.parseBody() the exact bytes are used; a body read around Hono is BODY_ALREADY_PARSED', async () => {
  const app = new Hono();
  const errors = [];
  const reader = (read) => async (c, next) => {
    await read(c);
    await next();
  };
  const show = (c) => c.json({ trigger: c.get('calhook').triggerEvent, recovered: c.get('calhook').recovered ?? false });
  app.post('/json', reader((c) => c.req.json()), webhook(SECRET), show);
  app.post('/text', reader((c) => c.req.text()), webhook(SECRET), show);
  app.post('/raw', reader((c) => c.req.raw.text()), webhook({ secret: SECRET, recover: true, onError: (e) => errors.push(e) }), show);
  app.post('/form', reader((c) => c.req.parseBody()), webhook({ secret: SECRET, onError: (e) => errors.push(e) }), show);
  const req = (path, opts) => signedRequest('BOOKING_CREATED', { secret: SECRET, url: `http://localhost${path}`, ...opts });
  for (const path of ['/json', '/text']) {
    const res = await app.request(req(path));
    assert.equal(res.status, 200, path);
    assert.deepEqual(await res.json(), { trigger: 'BOOKING_CREATED', recovered: false });
  }
  const want = await expectedError('BODY_ALREADY_PARSED');
  let res = await app.request(req('/raw'));
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), want.body);
  assert.match(errors.at(-1).message, /c\.req\.raw was read directly/);
  assert.match(errors.at(-1).message, /Mount calhook\(\) before anything that reads the body/);
  // c.req.parseBody() keeps the bytes too: the signature verifies, the body is not JSON (400).
  res = await app.request(req('/form', { template: 'uid={{uid}}' }));
  assert.equal(res.status, (await expectedError('NOT_JSON')).status);
  assert.equal((await res.json()).error, 'NOT_JSON');
  assert.equal(errors.length, 1);
});
