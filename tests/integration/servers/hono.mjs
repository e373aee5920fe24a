// Hono on Node (@hono/node-server): verify-then-parse with typed errors turned into responses.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { verifyEvent, errorResponse } from 'calhook';

const app = new Hono();
app.post('/webhooks/cal', async (c) => {
  try {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const event = verifyEvent(body, c.req.header('x-cal-signature-256'), process.env.CAL_WEBHOOK_SECRET);
    return c.text(`hono ok ${event.triggerEvent}`);
  } catch (error) {
    return errorResponse(error);
  }
});
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
