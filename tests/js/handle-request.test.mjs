// handleRequest + errorResponse through real servers: a workerd server and a Deno server on
// 127.0.0.1, each started and stopped here, receiving signed, mis-signed, wrong-method and
// non-JSON requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, ensureConsumer, freePort, root, startWorkerd, waitForHttp } from './harness.mjs';

const SECRET = 'whsec_handler_test_secret';
const sign = (body) => createHmac('sha256', SECRET).update(body).digest('hex');
const event = readFileSync(join(root, 'tests', 'events', 'booking_created.json'), 'utf8');
const compact = JSON.stringify(JSON.parse(event));

let consumer;
const servers = [];

before(() => {
  consumer = ensureConsumer();
});

after(() => {
  for (const s of servers) s.kill('SIGTERM');
});

async function startWorkerdHandler() {
  const server = await startWorkerd(consumer, 'worker-handler.mjs', 'worker-handler', ['workerd', 'worker', 'browser']);
  servers.push({ kill: server.stop });
  return server.url;
}

async function startDeno() {
  const port = await freePort();
  const server = spawn(bin.deno, ['run', '--quiet', '--allow-net=127.0.0.1', 'deno-server.mjs', String(port)], {
    cwd: consumer,
    stdio: 'ignore',
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
  });
  servers.push(server);
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url);
  return url;
}

// A POST whose response may come before the body is fully sent (a server refusing an oversized
// body unread may close the connection mid-upload, which fetch reports as a failure): resolves
// with { status, json } as soon as the response is complete; write errors after it are ignored.
function postEarly(url, chunks, headers) {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        resolve({ status: res.statusCode, json: JSON.parse(text) });
        req.destroy();
      });
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    // Slowly, so the response is read before a server that stopped reading closes the socket.
    (async () => {
      if (chunks.length === 0) return req.flushHeaders();
      for (const c of chunks) {
        if (answered || req.destroyed) return;
        req.write(c);
        await new Promise((r) => setTimeout(r, 5));
      }
      req.end();
    })().catch(() => {});
  });
}

async function exercise(url) {
  const post = (body, headers = {}) => fetch(url, { method: 'POST', body, headers });

  const ok = await post(compact, { 'X-Cal-Signature-256': sign(compact), 'Content-Type': 'application/json' });
  assert.equal(ok.status, 200, await ok.clone().text());
  const okBody = await ok.json();
  assert.equal(okBody.triggerEvent, 'BOOKING_CREATED');
  assert.match(okBody.key, /^[0-9a-f]{64}$/);

  const lower = await post(compact, { 'x-cal-signature-256': `sha256=${sign(compact)}` });
  assert.equal(lower.status, 200, 'header found case-insensitively, sha256= prefix accepted');

  const bad = await post(compact, { 'X-Cal-Signature-256': '0'.repeat(64) });
  assert.equal(bad.status, 401);
  const badBody = await bad.json();
  assert.equal(badBody.error, 'MISMATCH');
  assert.ok(!JSON.stringify(badBody).includes(SECRET), 'no secret echoed');
  assert.ok(!JSON.stringify(badBody).includes('jane'), 'no payload echoed');

  const missing = await post(compact);
  assert.equal(missing.status, 401);
  assert.equal((await missing.json()).error, 'MISSING_HEADER');

  const get = await fetch(url);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  assert.equal((await get.json()).error, 'METHOD_NOT_ALLOWED');

  const form = 'event=BOOKING_CREATED&uid=abc';
  const notJson = await post(form, { 'X-Cal-Signature-256': sign(form) });
  assert.equal(notJson.status, 400);
  assert.equal((await notJson.json()).error, 'NOT_JSON');

  const invalid = JSON.stringify({ triggerEvent: 'BOOKING_CREATED', createdAt: '2024-01-15T10:00:00.000Z', payload: { title: 5 } });
  const inv = await post(invalid, { 'X-Cal-Signature-256': sign(invalid) });
  assert.equal(inv.status, 400);
  const invBody = await inv.json();
  assert.equal(invBody.error, 'INVALID_PAYLOAD');
  assert.ok(invBody.issues.some((i) => i.path === 'payload.title'));
  assert.ok(invBody.issues.every((i) => Object.keys(i).join() === 'path,code'), 'issues carry no values');

  // Over maxBytes (64 KiB in handler.mjs): refused with 413, from Content-Length unread...
  // (The body is never sent: the answer must come from the header alone.)
  const tooLarge = await postEarly(url, [], { 'X-Cal-Signature-256': '0'.repeat(64), 'Content-Length': 200 * 1024 });
  assert.equal(tooLarge.status, 413);
  assert.equal(tooLarge.json.error, 'BODY_TOO_LARGE');
  // ...and from a chunked stream without Content-Length, counted as it arrives (that the
  // stream is cancelled early is checked in-process, in hostile.test.mjs).
  const chunks = Array.from({ length: 64 }, () => ' '.repeat(8 * 1024));
  const streamed = await postEarly(url, chunks, { 'X-Cal-Signature-256': '0'.repeat(64), 'Transfer-Encoding': 'chunked' });
  assert.equal(streamed.status, 413);
  assert.equal(streamed.json.error, 'BODY_TOO_LARGE');

  // The instance survives every bad request: a good one still works.
  const again = await post(compact, { 'X-Cal-Signature-256': sign(compact) });
  assert.equal(again.status, 200);
}

test('handleRequest in a real workerd server', async () => {
  await exercise(await startWorkerdHandler());
});

test('handleRequest in a real Deno server', async () => {
  await exercise(await startDeno());
});
