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
  type ReadyOptions,
} from 'calhook';

await ready();
// One module for core and tools (browsers), from the default URL or a given source.
const withTools: ReadyOptions = { tools: true };
await ready(withTools);
await ready({ tools: true, wasm: new URL('https://example.test/calhook_full.wasm') });

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
  type LintCode,
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
  const code: LintCode = d.code;
  if (code === 'REFERENCE_PAYLOAD_PREFIX') void code;
  void where;
}
// @ts-expect-error: lint codes are a closed set (a typo is caught)
const misspelt: LintCode = 'REFERENCE_PAYLOD_PREFIX';
void misspelt;
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
// Narrowing by triggerEvent alone gives the trigger's exact payload type.
if (e.triggerEvent === 'BOOKING_CANCELLED') {
  const reason: string | null | undefined = e.payload.cancellationReason;
  const title: string = e.payload.title;
  const known: true = e.known;
  // @ts-expect-error: BOOKING_CANCELLED payloads have no rejectionReason
  void e.payload.rejectionReason;
  // @ts-expect-error: nor a misspelt field
  void e.payload.cancelationReason;
  void reason, title, known;
}
switch (e.triggerEvent) {
  case 'BOOKING_CREATED': {
    // Both documented forms of a booking-form answer: the sender's `{ label, value }` and the
    // reference's plain value (a REFERENCE_RESPONSE_VALUE warning at runtime).
    const answer = e.payload.responses?.email;
    const text: unknown = typeof answer === 'string' ? answer : answer?.value;
    void text;
    break;
  }
  case 'MEETING_ENDED':
    // @ts-expect-error: MEETING_ENDED payloads have no cancellationReason
    void e.payload.cancellationReason;
    break;
  default:
    if (!e.known) {
      // An unknown trigger's name is a string at runtime.
      const name: string = String(e.triggerEvent);
      const p: Record<string, unknown> = e.payload;
      void name, p;
    }
}
if (e.known && e.triggerEvent === 'BOOKING_CANCELLED') {
  const reason: string | null | undefined = e.payload.cancellationReason;
  void reason;
}
for (const w of e.warnings) {
  const code: 'REFERENCE_RESPONSE_VALUE' | 'REFERENCE_SIGNATURE_PREFIX' | 'DUPLICATE_KEY' = w.code;
  void code;
}
// With acceptInvalid, a body that does not match its shape comes back with its issues.
const maybe = parseEvent('{}', { acceptInvalid: true });
if (!maybe.valid) {
  const issues: string[] = maybe.issues.map((i) => i.path);
  const t: string | null = maybe.triggerEvent;
  const raw: unknown = maybe.payload;
  void issues, t, raw;
} else if (maybe.triggerEvent === 'BOOKING_CANCELLED') {
  const reason: string | null | undefined = maybe.payload.cancellationReason;
  void reason;
}
// @ts-expect-error: without acceptInvalid, parseEvent never returns an unchecked event
void parseEvent('{}').issues;
try {
  parseEvent('{"ééé": x}');
} catch (err) {
  if (err instanceof CalhookError) {
    const offset: number | undefined = err.json?.offset;
    const issues = err.event?.issues;
    void offset, issues;
  }
}
const checked = check('{}', 'sha256=00', 's');
const warned: string | undefined = checked.warnings?.[0]?.code;
void warned;
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
    return new Response(String(event.triggerEvent));
  } catch (error) {
    return errorResponse(error);
  }
}
void key, trigger, organizerName, vs, res, next, handler;
