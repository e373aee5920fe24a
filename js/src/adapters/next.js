// `calhook/next`: a Next.js App Router route handler (`app/.../route.js`) for Cal.com webhooks.
// Nothing is imported from next: route handlers get a Fetch Request (NextRequest extends it).
import { verifyEvent, CalhookError } from 'calhook';
import { adapterOptions, failure, readStream } from './shared.js';

/**
 * `export const POST = calhook(process.env.CAL_WEBHOOK_SECRET, async (event, request) => …)`.
 * The handler gets the verified, typed event and may return a Response (default: 200, empty).
 * Failures return errorResponse's Response; the handler's own errors propagate to Next.
 */
export function calhook(secretOrOptions, handler) {
  const options = adapterOptions(secretOrOptions, 'calhook()');
  if (typeof handler !== 'function') throw new CalhookError('INVALID_ARGUMENT', 'calhook(secret, handler): the handler must be a function');
  return async function POST(request, context) {
    let event;
    try {
      if (String(request.method).toUpperCase() !== 'POST') {
        throw new CalhookError('METHOD_NOT_ALLOWED', `Cal.com webhooks are POST requests; got ${String(request.method).slice(0, 16)}.`);
      }
      const body = await readStream(request.body, options.maxBytes);
      event = verifyEvent(body, request.headers.get('x-cal-signature-256'), options.secret(request), options.parse);
    } catch (error) {
      if (!(error instanceof CalhookError)) throw error;
      return failure(error, options);
    }
    const response = await handler(event, request, context);
    return response ?? new Response(null, { status: 200 });
  };
}

