// Edge runtime with the slim entry calhook/signature (its own wasm, imported with `?module`).
import { verify, sign } from 'calhook/signature';

export const runtime = 'edge';

export async function POST(request: Request): Promise<Response> {
  const body = new Uint8Array(await request.arrayBuffer());
  if (!verify(body, request.headers.get('x-cal-signature-256'), process.env.CAL_WEBHOOK_SECRET)) {
    return new Response('invalid signature', { status: 401 });
  }
  return new Response(`edge slim ok ${sign(body, process.env.CAL_WEBHOOK_SECRET)}`);
}
