// The subpaths' declarations as an ESM TypeScript user sees them (tsc --noEmit, strict).
import { signedDelivery, signedRequest, type SignedDelivery } from 'calhook/testing';
import { calhook as expressHook, type CalhookRequest } from 'calhook/express';
import { calhook as honoHook, type CalhookVariables } from 'calhook/hono';
import { calhook as nextRoute, type WebhookEvent } from 'calhook/next';
import { formatDiagnostic, lintTemplate } from 'calhook';

const d: SignedDelivery = signedDelivery('BOOKING_CREATED', { secret: 's', version: '2021-10-20' });
const body: string = d.body;
const sig: string | undefined = d.headers['X-Cal-Signature-256'];
const r: Request = signedRequest('PING', { url: new URL('http://localhost/x') });
// @ts-expect-error the secret is a string
signedDelivery('PING', { secret: 42 });

const mw = expressHook(process_env('S'), (event, req, res) => {
  if (event.known && event.triggerEvent === 'BOOKING_CANCELLED') {
    const reason: string | null | undefined = event.payload.cancellationReason;
    void reason;
  }
  const recovered: true | undefined = event.recovered;
  void recovered;
});
expressHook({ secret: ['old', 'new'], recover: true, maxBytes: 1024, onError: (e) => void e.code });
const req: CalhookRequest = {};
const maybe: WebhookEvent | undefined = req.calhook;

const vars: CalhookVariables = { calhook: undefined as unknown as WebhookEvent };
const h = honoHook(() => 's', async (event) => new Response(String(event.triggerEvent)));
const POST: (request: Request, context: unknown) => Promise<Response> = nextRoute('s', async (event, request) => {
  if (event.triggerEvent === 'MEETING_ENDED') return Response.json({ ok: true });
});
// @ts-expect-error the Next route needs a handler
nextRoute('s');

const source = '{{#if a}}';
const text: string = formatDiagnostic(source, lintTemplate(source)[0]!, { file: 'hook.hbs' });

function process_env(name: string): string | undefined {
  return name;
}
void [body, sig, r, mw, maybe, vars, h, POST, text];
