// `calhook/testing`: signed deliveries for tests, byte-identical to what Cal.com sends, built
// from the package's public API (samplePayload, buildDelivery).
import { buildDelivery, samplePayload, CalhookError } from 'calhook';

const DEFAULT_URL = 'http://localhost/webhooks/cal';

function deliveryOptions(trigger, opts) {
  if (typeof trigger !== 'string' || trigger === '') {
    throw new CalhookError('INVALID_ARGUMENT', 'the trigger must be a non-empty string such as "BOOKING_CREATED"');
  }
  if (opts === undefined || opts === null) opts = {};
  if (typeof opts !== 'object') throw new CalhookError('INVALID_ARGUMENT', 'options must be an object');
  const { secret, url = DEFAULT_URL, payload, template, version, createdAt, dialect } = opts;
  if (typeof url !== 'string' && !(url instanceof URL)) throw new CalhookError('INVALID_ARGUMENT', 'url must be a string or a URL');
  // A realistic sample unless a payload is given; a fresh createdAt, as a real delivery has.
  const body = payload === undefined ? samplePayload(trigger).payload : payload;
  return { triggerEvent: trigger, createdAt: createdAt ?? new Date().toISOString(), payload: body, template, secret, version, dialect, url: String(url) };
}

/**
 * What Cal.com sends for `trigger` as `{ method, url, headers, body }` (body a string), for
 * Node frameworks: `request(app).post(path).set(d.headers).send(d.body)` or
 * `app.inject({ method, url, headers, payload: body })`.
 */
export function signedDelivery(trigger, opts) {
  const { url, ...input } = deliveryOptions(trigger, opts);
  const delivery = buildDelivery(input);
  return { method: delivery.method, url, headers: { ...delivery.headers }, body: delivery.body };
}

/** The same delivery as a Fetch API `Request`, for `app.fetch(request)` and handlers. */
export function signedRequest(trigger, opts) {
  const d = signedDelivery(trigger, opts);
  return new Request(d.url, { method: d.method, headers: d.headers, body: d.body });
}
