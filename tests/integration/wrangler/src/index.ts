// A Cloudflare Worker, as the README shows it (TypeScript: wrangler bundles it with esbuild).
import { check, diagnose, handleRequest, errorResponse } from 'calhook';
import * as slim from 'calhook/signature';

interface Env {
  CAL_WEBHOOK_SECRET?: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/events') {
      try {
        const event = await handleRequest(request, env.CAL_WEBHOOK_SECRET);
        return new Response(`worker event ${event.triggerEvent}`);
      } catch (error) {
        return errorResponse(error);
      }
    }
    const body = new Uint8Array(await request.arrayBuffer());
    if (url.pathname === '/slim') {
      const ok = slim.verify(body, request.headers.get('x-cal-signature-256'), env.CAL_WEBHOOK_SECRET);
      return ok ? new Response('worker slim ok') : new Response('invalid', { status: 401 });
    }
    if (url.pathname === '/diagnose') {
      // diagnose() runs in calhook's tools module (calhook_tools.wasm), instantiated on first use.
      const header = request.headers.get('x-cal-signature-256');
      if (check(body, header, env.CAL_WEBHOOK_SECRET).ok) return new Response('worker diagnose ok');
      return new Response(diagnose(body, header ?? '', env.CAL_WEBHOOK_SECRET).map((c) => c.code).join(','), { status: 401 });
    }
    const result = check(body, request.headers.get('x-cal-signature-256'), env.CAL_WEBHOOK_SECRET);
    if (!result.ok) return new Response(result.code, { status: 401 });
    return new Response('worker ok');
  },
};
