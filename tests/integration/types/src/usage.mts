// What users really have, under strict: env secrets are `string | undefined`, Node header values
// `string | string[] | undefined`, Express bodies possibly undefined. Each must type-check.
import ready, { verify, check, Verifier, sign, buildDelivery, parseEvent, CalhookError, verifyEvent, samplePayload } from 'calhook';
import type { CheckCode, Delivery, HeaderInput, JsonErrorDetail } from 'calhook';
import type { IncomingHttpHeaders } from 'node:http';

declare const headers: IncomingHttpHeaders;
declare const expressBody: Buffer | undefined;

export async function usage(): Promise<string[]> {
  await ready();
  const secret: string | undefined = process.env.CAL_WEBHOOK_SECRET;
  const header: string | string[] | undefined = headers['x-cal-signature-256'];
  const ok: boolean = verify(expressBody, header, secret);
  const code: CheckCode = check(expressBody, header, [secret ?? 'fallback']).code;
  const v = new Verifier(secret);
  const h: HeaderInput = null;
  v.verify(expressBody, h);
  const maybe: number | undefined = process.env.MAX ? Number(process.env.MAX) : undefined;
  const d: Delivery = buildDelivery({ triggerEvent: 'PING', payload: {}, secret, createdAt: process.env.AT });
  parseEvent('{}', { maxBytes: maybe, strict: undefined });
  const notes: string[] = d.notes;
  try {
    parseEvent('{');
  } catch (e) {
    if (e instanceof CalhookError && e.code === 'NOT_JSON') {
      const j: JsonErrorDetail | undefined = e.json;
      notes.push(String(j?.line));
    }
  }
  const event = verifyEvent(sign('{}', 's'), sign('{}', 's'), secret);
  if (event.known && event.triggerEvent === 'BOOKING_CANCELLED') notes.push(event.payload.uid);
  const sample = samplePayload('BOOKING_CREATED');
  notes.push(sample.payload.uid);
  // @ts-expect-error a number is not a header
  verify('{}', 42, secret);
  // @ts-expect-error a parsed object is not a raw body
  verify({ a: 1 }, header, secret);
  // @ts-expect-error codes are a closed union
  const wrong: CheckCode = 'NOPE';
  return [String(ok), code, ...notes, String(wrong)];
}
