// Verify-then-parse with typed narrowing, Node runtime.
import { handleRequest, errorResponse, eventKey } from 'calhook';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  try {
    const event = await handleRequest(request, process.env.CAL_WEBHOOK_SECRET);
    const uid = event.known && event.triggerEvent === 'BOOKING_CREATED' ? event.payload.uid : null;
    return Response.json({ trigger: event.triggerEvent, uid, key: eventKey(event) });
  } catch (error) {
    return errorResponse(error);
  }
}
