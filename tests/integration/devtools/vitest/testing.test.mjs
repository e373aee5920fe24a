// calhook/testing and calhook/hono under vitest (its own module runner): signed requests
// verify, handlers get typed events.
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { Hono } from 'hono';
import { buildDelivery, handleRequest, samplePayload, verify } from 'calhook';
import { signedDelivery, signedRequest } from 'calhook/testing';
import { calhook } from 'calhook/hono';

describe('calhook/testing in vitest', () => {
  it('signedRequest verifies with node:crypto and handleRequest', async () => {
    const request = signedRequest('BOOKING_CREATED', { secret: 'vitest' });
    const body = Buffer.from(await request.clone().arrayBuffer());
    expect(request.headers.get('x-cal-signature-256')).toBe(createHmac('sha256', 'vitest').update(body).digest('hex'));
    const event = await handleRequest(request, 'vitest');
    expect(event.triggerEvent).toBe('BOOKING_CREATED');
    expect(event.payload.uid).toBe(samplePayload('BOOKING_CREATED').payload.uid);
  });

  it('signedDelivery equals buildDelivery for the same event', () => {
    const d = signedDelivery('OOO_CREATED', { secret: 'vitest', createdAt: '2026-01-01T00:00:00.000Z' });
    const expected = buildDelivery({ triggerEvent: 'OOO_CREATED', createdAt: '2026-01-01T00:00:00.000Z', payload: samplePayload('OOO_CREATED').payload, secret: 'vitest' });
    expect(d.body).toBe(expected.body);
    expect(d.headers).toEqual(expected.headers);
    expect(verify(d.body, d.headers['X-Cal-Signature-256'], 'vitest')).toBe(true);
  });

  it('drives a Hono app in-process', async () => {
    const app = new Hono();
    app.post('/cal', calhook('vitest', (event, c) => c.json({ trigger: event.triggerEvent })));
    const ok = await app.request(signedRequest('FORM_SUBMITTED', { secret: 'vitest', url: 'http://localhost/cal' }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ trigger: 'FORM_SUBMITTED' });
    const bad = await app.request(signedRequest('FORM_SUBMITTED', { secret: 'other', url: 'http://localhost/cal' }));
    expect(bad.status).toBe(401);
  });
});
