// Bun.serve with handleRequest (Fetch API).
import { handleRequest, errorResponse } from 'calhook';

Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT),
  async fetch(request) {
    try {
      const event = await handleRequest(request, process.env.CAL_WEBHOOK_SECRET);
      return new Response(`bun ok ${event.triggerEvent}`);
    } catch (error) {
      return errorResponse(error);
    }
  },
});
