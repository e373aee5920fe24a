// The webhook endpoint a Workers/Deno user writes with calhook, shared by the workerd and Deno
// servers in tests/js/handle-request.test.mjs.
import { handleRequest, errorResponse, eventKey } from 'calhook';

export const SECRET = 'whsec_handler_test_secret';
/** Bodies beyond this are refused with 413 (tests/js/handle-request.test.mjs). */
export const MAX_BYTES = 64 * 1024;

export async function handle(request) {
  try {
    const event = await handleRequest(request, ['old-secret', SECRET], { maxBytes: MAX_BYTES });
    return Response.json({ ok: true, triggerEvent: event.triggerEvent, known: event.known, key: eventKey(event) });
  } catch (error) {
    return errorResponse(error);
  }
}
