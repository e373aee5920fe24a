// Edge runtime: the edge-light entry, its wasm imported with `?module` (another realm's Module).
import { check, sign, lintTemplate } from 'calhook';

export const runtime = 'edge';

export async function POST(request: Request): Promise<Response> {
  const body = new Uint8Array(await request.arrayBuffer());
  const result = check(body, request.headers.get('x-cal-signature-256'), process.env.CAL_WEBHOOK_SECRET);
  if (!result.ok) return new Response(result.code, { status: 401 });
  // lintTemplate runs in the tools module (calhook_tools.wasm, imported with `?module` too).
  const lint = lintTemplate('{"n": {{n}}}').map((d) => d.code).join(',');
  return new Response(`edge ok ${sign(body, process.env.CAL_WEBHOOK_SECRET)} lint ${lint}`);
}
