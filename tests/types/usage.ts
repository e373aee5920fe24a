// Type-checks the package's declarations as a TypeScript user would write code against them
// (`tsc --noEmit`, strict). Lines marked @ts-expect-error must stay errors.
import ready, {
  CalhookError,
  Verifier,
  check,
  diagnose,
  sign,
  verify,
  type CheckResult,
  type Cause,
} from 'calhook';

await ready();

const body: Uint8Array = new TextEncoder().encode('{}');
const header: string = sign(body, 'secret');
const ok: boolean = verify('{}', header, ['old', 'new']);
const result: CheckResult = check(new ArrayBuffer(2), null, 'secret');
if (!result.ok && result.code === 'MISMATCH') {
  const causes: Cause[] = diagnose(body, header, 'secret');
  causes.map((c) => c.code satisfies string);
}
const index: number | undefined = result.secretIndex;
const verifier = new Verifier('secret');
verifier.verify(new DataView(new ArrayBuffer(1)), undefined);

try {
  verify('{}', header, '');
} catch (e) {
  if (e instanceof CalhookError) {
    const code: string = e.code;
    void code;
  }
}

// @ts-expect-error: a number is not a body
sign(42, 'secret');
// @ts-expect-error: check codes are a closed set
const bad: CheckResult['code'] = 'NOPE';

void ok;
void index;
void bad;

// ---- Templates
import {
  applyFixes,
  buildDelivery,
  compileTemplate,
  lintTemplate,
  renderTemplate,
  type Delivery,
  type Diagnostic,
} from 'calhook';

const template = compileTemplate('{{title}}', { dialect: 'calcom', maxOutputBytes: 1024 });
const rendered: string = template.render({ title: 'x' });
const vars: string[] = template.variables;
const once: string = renderTemplate('{{a}}', { a: 1 }, { dialect: 'reference' });
const delivery: Delivery = buildDelivery({ triggerEvent: 'BOOKING_CREATED', payload: {}, template: null, secret: 's' });
const ct: 'application/json' | 'application/x-www-form-urlencoded' = delivery.contentType;
const sig: string | undefined = delivery.headers['X-Cal-Signature-256'];
const findings: Diagnostic[] = lintTemplate('{{payload.uid}}', { trigger: 'BOOKING_CREATED' });
const fixed: string = applyFixes('{{payload.uid}}', findings);
for (const d of findings) {
  const where: number = d.span.line + d.span.column;
  if (d.fix) applyFixes(fixed, [d]);
  void where;
}
// @ts-expect-error: dialects are a closed set
compileTemplate('x', { dialect: 'jinja' });
void rendered, vars, once, ct, sig;

// ---- Events
import {
  TRIGGERS,
  errorResponse,
  eventKey,
  handleRequest,
  nextRetryAt,
  parseEvent,
  safeParseEvent,
  samplePayload,
  templateVariables,
  validateWebhookCreate,
  verifyEvent,
  webhookRequest,
  type CalTrigger,
  type ParsedEvent,
} from 'calhook';

const e: ParsedEvent = parseEvent('{}', { strict: true, now: () => Date.now(), maxAgeMs: 300_000 });
// Narrowing by triggerEvent gives the trigger's payload type.
if (e.triggerEvent === 'BOOKING_CANCELLED') {
  const reason = e.payload.cancellationReason;
  void reason;
}
if (e.known && e.triggerEvent === 'BOOKING_CANCELLED') {
  const reason: string | null | undefined = e.payload.cancellationReason;
  const title: string = e.payload.title;
  void reason, title;
}
if (e.known && e.triggerEvent === 'MEETING_ENDED') {
  // @ts-expect-error: MEETING_ENDED payloads have no cancellationReason
  void e.payload.cancellationReason;
}
const safe = safeParseEvent(new Uint8Array(0));
if (!safe.ok) void safe.error.code;
else void safe.event.shape;
const key: string = eventKey(verifyEvent('{}', 'h', ['a', 'b']));
const trigger: CalTrigger = TRIGGERS[0].name;
const sample = samplePayload('BOOKING_CREATED');
const organizerName: string = sample.payload.organizer.name;
const vs = templateVariables('FORM_SUBMITTED').map((v) => v.path);
const validation = validateWebhookCreate({ subscriberUrl: 'https://x', triggers: ['BOOKING_CREATED'] });
if (!validation.ok) validation.issues.map((i) => `${i.path}: ${i.severity}`);
const req = webhookRequest({ op: 'create', scope: { eventType: 1 }, apiKey: 'cal_live_x', body: { subscriberUrl: 'https://x' } });
const res: Promise<Response> = fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
const next: number | null = nextRetryAt(1, new Date());
async function handler(request: Request): Promise<Response> {
  try {
    const event = await handleRequest(request, 'secret');
    return new Response(event.triggerEvent);
  } catch (error) {
    return errorResponse(error);
  }
}
void key, trigger, organizerName, vs, res, next, handler;
