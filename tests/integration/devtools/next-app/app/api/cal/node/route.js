// A Cal.com webhook route on the Node runtime, in one line of calhook/next.
import { calhook } from 'calhook/next';

export const POST = calhook(() => process.env.CAL_WEBHOOK_SECRET, async (event) =>
  Response.json({ runtime: 'nodejs', trigger: event.triggerEvent, uid: event.payload.uid ?? null, known: event.known }),
);
