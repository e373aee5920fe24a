// Node runtime, strict TypeScript: the secret is `string | undefined` as env gives it.
import { verify, sign, lintTemplate } from 'calhook';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const body = new Uint8Array(await request.arrayBuffer());
  if (!verify(body, request.headers.get('x-cal-signature-256'), process.env.CAL_WEBHOOK_SECRET)) {
    return new Response('invalid signature', { status: 401 });
  }
  // lintTemplate runs in the tools module (calhook_tools.wasm), read on first use.
  const lint = lintTemplate('{"n": {{n}}}').map((d) => d.code).join(',');
  return new Response(`node ok ${sign(body, process.env.CAL_WEBHOOK_SECRET)} lint ${lint}`);
}
