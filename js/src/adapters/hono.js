// `calhook/hono`: a Hono middleware (or handler) that verifies and parses the raw body.
// Nothing is imported from hono: it uses the Context it is given (`c.req.raw`, `c.set`).
import { verifyEvent, CalhookError } from 'calhook';
import { adapterOptions, bodyAlreadyParsed, failure, readStream, reserialize } from './shared.js';

/**
 * `app.post('/webhooks/cal', calhook(secret), (c) => { c.get('calhook') … })`, or
 * `app.post(path, calhook(secret, (event, c) => c.text('ok')))` with the typed event.
 * Failures return errorResponse's Response.
 */
export function calhook(secretOrOptions, handler) {
  const options = adapterOptions(secretOrOptions, 'calhook()');
  if (handler !== undefined && typeof handler !== 'function') throw new CalhookError('INVALID_ARGUMENT', 'the handler must be a function');
  return async function calhookMiddleware(c, next) {
    let event;
    try {
      event = await receive(c, options);
    } catch (error) {
      if (!(error instanceof CalhookError)) throw error;
      return failure(error, options);
    }
    c.set('calhook', event);
    if (!handler) return next();
    const response = await handler(event, c);
    return response ?? c.body(null, 200);
  };
}


async function receive(c, options) {
  const request = c.req.raw;
  if (String(request.method).toUpperCase() !== 'POST') {
    throw new CalhookError('METHOD_NOT_ALLOWED', `Cal.com webhooks are POST requests; got ${String(request.method).slice(0, 16)}.`);
  }
  const { body, recovered } = await rawBody(c, options);
  const event = verifyEvent(body, request.headers.get('x-cal-signature-256'), options.secret(c), options.parse);
  if (recovered) event.recovered = true;
  return event;
}

// Hono caches what handlers read in `c.req.bodyCache`. Bytes or text read before are exact
// (Hono 4.x reads `c.req.json()` through the text); parsed JSON alone (older Hono) is not, as
// Hono would silently re-serialize it, so it is refused or, opted in, recovered; form data and
// a body read around Hono are refused.
async function rawBody(c, options) {
  const cache = c.req.bodyCache ?? {};
  const request = c.req.raw;
  if (!request.bodyUsed) {
    const bytes = await readStream(request.body, options.maxBytes);
    // Later handlers can still read the body through Hono (c.req.json(), c.req.text()).
    if (c.req.bodyCache) c.req.bodyCache.arrayBuffer = Promise.resolve(bytes.buffer);
    return { body: bytes, recovered: false };
  }
  if (cache.arrayBuffer) return { body: new Uint8Array(await cache.arrayBuffer), recovered: false };
  if (cache.text) return { body: await cache.text, recovered: false };
  if (cache.json && options.recover) return { body: reserialize(await cache.json), recovered: true };
  throw bodyAlreadyParsed(
    cache.json ? 'c.req.json() or a validator' : cache.formData ? 'c.req.parseBody()' : 'c.req.raw was read directly',
    'Mount calhook() before anything that reads the body, and read the event from c.get(\'calhook\').',
  );
}
