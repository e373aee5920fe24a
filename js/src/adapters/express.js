// `calhook/express`: a middleware that reads the raw body itself, verifies and parses it.
// Nothing is imported from express: it uses the Node request and response it is given.
import { verifyEvent, CalhookError } from 'calhook';
import { adapterOptions, bodyAlreadyParsed, failure, reserialize, tooLarge } from './shared.js';

/**
 * `app.post('/webhooks/cal', calhook(secret), (req, res) => { req.calhook … })`, or with a
 * handler that gets the typed event: `app.post(path, calhook(secret, (event, req, res) => …))`.
 * Failures get errorResponse's status and JSON body; a handler's own errors go to `next`.
 */
export function calhook(secretOrOptions, handler) {
  const options = adapterOptions(secretOrOptions, 'calhook()');
  if (handler !== undefined && typeof handler !== 'function') throw new CalhookError('INVALID_ARGUMENT', 'the handler must be a function');
  return function calhookMiddleware(req, res, next) {
    receive(req, options).then(
      (event) => {
        req.calhook = event;
        if (!handler) return next();
        return Promise.resolve()
          .then(() => handler(event, req, res, next))
          .then(() => {
            // A handler that sends nothing answers 200: Cal.com needs a 2xx.
            if (!res.headersSent && !res.writableEnded) res.end();
          }, next);
      },
      (error) => send(res, failure(error, options)).catch(next),
    );
  };
}


async function receive(req, options) {
  if (String(req.method).toUpperCase() !== 'POST') {
    req.resume?.();
    throw new CalhookError('METHOD_NOT_ALLOWED', `Cal.com webhooks are POST requests; got ${String(req.method).slice(0, 16)}.`);
  }
  const { body, recovered } = await rawBody(req, options);
  const header = req.headers['x-cal-signature-256'];
  const event = verifyEvent(body, Array.isArray(header) ? header[0] : header, options.secret(req), options.parse);
  if (recovered) event.recovered = true;
  return event;
}

// The exact bytes: from express.raw() / express.text() when they ran, else read here.
async function rawBody(req, options) {
  const parsed = req.body;
  if (parsed instanceof Uint8Array) return { body: parsed, recovered: false };
  const consumed = Boolean(req._body) || req.readableEnded === true || (req.complete === true && req.readable === false);
  if (typeof parsed === 'string' && consumed) return { body: parsed, recovered: false };
  if (parsed !== undefined && parsed !== null && consumed) {
    // express.json() (or urlencoded) consumed the stream; only a JSON body can be rebuilt.
    const json = /^application\/(.+\+)?json\b/i.test(String(req.headers['content-type'] ?? ''));
    if (options.recover && json && typeof parsed === 'object') return { body: reserialize(parsed), recovered: true };
    throw bodyAlreadyParsed(
      'express.json() or express.urlencoded()',
      'Mount calhook() before express.json() (app.use(express.json()) applies to every route), or exclude this route from it.',
    );
  }
  if (consumed) throw bodyAlreadyParsed('the request stream was already read', 'Mount calhook() before whatever reads the body.');
  return { body: await readNodeStream(req, options.maxBytes), recovered: false };
}

function readNodeStream(req, maxBytes) {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering; drain the rest so the 413 reaches the client.
        req.off('data', onData);
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

// Copy a Fetch Response (from errorResponse) onto a Node response.
async function send(res, response) {
  const text = await response.text();
  if (res.headersSent) return void res.end();
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(text);
}
