// Run-time fixtures for README blocks (declared in readme/globals.d.ts): a signed raw body and a
// Node-style request carrying its signature; the signature comes from node:crypto.
import { createHmac } from 'node:crypto';

export const SECRET = 'readme-secret';
export const BODY = JSON.stringify({
  triggerEvent: 'BOOKING_CANCELLED',
  createdAt: new Date().toISOString(),
  payload: {
    uid: 'bk_1',
    title: 'Call',
    startTime: '2026-01-02T10:00:00Z',
    endTime: '2026-01-02T10:30:00Z',
    cancellationReason: 'moved',
    organizer: { name: 'O', email: 'o@example.com', timeZone: 'UTC' },
    attendees: [{ name: 'A', email: 'a@example.com', timeZone: 'UTC' }],
  },
});
export const SIGNATURE = createHmac('sha256', SECRET).update(BODY).digest('hex');

process.env.CAL_WEBHOOK_SECRET = SECRET;
globalThis.rawBody = Buffer.from(BODY);
globalThis.req = { headers: { 'x-cal-signature-256': SIGNATURE } };
globalThis.payload = JSON.parse(BODY).payload;
globalThis.secret = SECRET;
