// Deno with the npm: specifier, as the README shows it (resolved from this project's node_modules).
import { verify } from 'npm:calhook';

Deno.serve({ hostname: '127.0.0.1', port: Number(Deno.env.get('PORT')) }, async (req) => {
  const body = new Uint8Array(await req.arrayBuffer());
  const ok = verify(body, req.headers.get('x-cal-signature-256'), Deno.env.get('CAL_WEBHOOK_SECRET'));
  return new Response(ok ? 'deno ok' : 'invalid', { status: ok ? 200 : 401 });
});
