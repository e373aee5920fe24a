// calhook/testing and the adapters through require() (the CommonJS builds), with node:test.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createHmac } = require('node:crypto');
const calhook = require('calhook');
const { signedDelivery, signedRequest } = require('calhook/testing');
const express = require('calhook/express');
const hono = require('calhook/hono');
const next = require('calhook/next');

test('require("calhook/testing") signs as require("calhook") does', async () => {
  const d = signedDelivery('MEETING_ENDED', { secret: 'S' });
  assert.equal(d.headers['X-Cal-Signature-256'], createHmac('sha256', 'S').update(d.body).digest('hex'));
  assert.equal(calhook.sign(d.body, 'S'), d.headers['X-Cal-Signature-256']);
  const event = await calhook.handleRequest(signedRequest('MEETING_ENDED', { secret: 'S' }), 'S');
  assert.equal(event.triggerEvent, 'MEETING_ENDED');
});

test('the CommonJS adapters load and answer', async () => {
  assert.equal(typeof express.calhook, 'function');
  assert.equal(typeof hono.calhook, 'function');
  const POST = next.calhook('S', (event) => new Response(event.triggerEvent));
  const res = await POST(signedRequest('PING', { secret: 'S' }));
  assert.equal(await res.text(), 'PING');
  const bad = await POST(signedRequest('PING', { secret: 'x' }));
  assert.equal(bad.status, 401);
  // A CalhookError from the CommonJS build is the one CalhookError class of require('calhook').
  assert.throws(() => next.calhook('S'), (e) => e instanceof calhook.CalhookError);
});
