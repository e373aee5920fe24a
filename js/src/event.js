// Events: parse and validate webhook events, verify-then-parse, Fetch-API request handling,
// idempotency keys, trigger metadata, samples, schemas, webhook config validation and requests.
import * as wasm from './wasm.js';
import { CalhookError, invalidArgument, rethrow } from './error.js';
import { bodyInput, describe } from './body.js';
import { check } from './signature.js';
import { TRIGGERS, RETRY_SCHEDULE_MS } from './generated.js';

export { TRIGGERS, RETRY_SCHEDULE_MS };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function bodyBytes(body) {
  const b = bodyInput(body);
  return typeof b === 'string' ? encoder.encode(b) : b;
}

function nowMs(now) {
  if (now === undefined) return Date.now();
  const v = typeof now === 'function' ? now() : now;
  const ms = v instanceof Date ? v.getTime() : v;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw invalidArgument('now must be a number (ms), a Date, or a function returning one');
  return ms;
}

// The replay window is opt-in: it applies when `now`, `maxAgeMs` or `maxFutureMs` is given.
// '' means the defaults (no JSON to parse on the common path).
function parseOptions(opts) {
  if (opts === undefined || opts === null) return '';
  if (typeof opts !== 'object') throw invalidArgument(`options must be an object (got ${describe(opts)})`);
  const o = { strict: Boolean(opts.strict) };
  if (opts.maxBytes !== undefined) o.maxBytes = opts.maxBytes;
  if (opts.now !== undefined || opts.maxAgeMs !== undefined || opts.maxFutureMs !== undefined) {
    o.nowMs = nowMs(opts.now);
    if (opts.maxAgeMs !== undefined) o.maxAgeMs = opts.maxAgeMs;
    if (opts.maxFutureMs !== undefined) o.maxFutureMs = opts.maxFutureMs;
  }
  return JSON.stringify(o);
}

// Bodies up to this many bytes (or UTF-16 units) are written straight into wasm's reused input
// buffer; longer ones cross as a copied byte array, so the buffer stays small.
const INPUT_MAX = 1 << 16;

/**
 * Parse and validate a webhook body (string or bytes). Accepts the normal envelope, the legacy
 * flat MEETING_STARTED/ENDED body and FORM_SUBMITTED with responses copied to the root.
 *
 * The receiving policy: unknown fields never fail; values in the API reference's documented
 * form are accepted with `REFERENCE_*` warnings; a body that does not match its trigger's
 * shape throws `INVALID_PAYLOAD` carrying `event` (everything received, with every issue),
 * or, with `{ acceptInvalid: true }`, is returned as that event (`valid: false`), so that a
 * handler can store it and answer 2xx.
 */
export function parseEvent(body, opts) {
  const options = parseOptions(opts);
  if (typeof body === 'string') {
    if (body.length <= INPUT_MAX && typeof body.isWellFormed === 'function' && body.isWellFormed()) {
      return parseInput(body, () => encoder.encodeInto(body, wasm.input_view(body.length * 3)).written, options, opts);
    }
  } else {
    const bytes = bodyInput(body);
    if (bytes.length <= INPUT_MAX) {
      return parseInput(bytes, () => {
        wasm.input_view(bytes.length).set(bytes);
        return bytes.length;
      }, options, opts);
    }
  }
  return parseCopied(body, options, opts);
}

// wasm validates the bytes in one pass and answers with a number; on "valid envelope, nothing
// to report" the event's values are JS `JSON.parse` of the same text, parsed once here.
// `write` fills the input buffer and returns the length (the view is used before any other
// call into wasm, so it cannot be detached by memory growth, and a re-instantiated module
// hands out a view of its own memory).
function parseInput(body, write, options, opts) {
  let verdict;
  let len;
  try {
    len = write();
    verdict = wasm.check_event_input(len, options);
  } catch (e) {
    rethrow(e);
  }
  if (verdict !== 0) {
    const root = JSON.parse(bodyText(body, body));
    return { triggerEvent: root.triggerEvent, createdAt: root.createdAt, payload: root.payload, known: (verdict & 2) !== 0, shape: verdict & 4 ? 'formRootCopy' : 'envelope', warnings: [], valid: true };
  }
  let meta;
  try {
    meta = JSON.parse(wasm.parse_event_input(len, options));
  } catch (e) {
    return invalidOrThrow(e, opts);
  }
  return fromMeta(meta, body, typeof body === 'string' ? undefined : body);
}

function parseCopied(body, options, opts) {
  const bytes = bodyBytes(body);
  let meta;
  try {
    meta = JSON.parse(wasm.parse_event_meta(bytes, options || '{}'));
  } catch (e) {
    return invalidOrThrow(e, opts);
  }
  return fromMeta(meta, body, bytes);
}

// A parse error as a CalhookError; with `{ acceptInvalid: true }`, an INVALID_PAYLOAD's event
// (everything received, `valid: false`) is returned instead of thrown.
function invalidOrThrow(e, opts) {
  try {
    rethrow(e);
  } catch (error) {
    if (opts?.acceptInvalid === true && error instanceof CalhookError && error.code === 'INVALID_PAYLOAD' && error.event) return error.event;
    throw error;
  }
}

function fromMeta(meta, body, bytes) {
  // Legacy flat bodies, and bodies whose values JSON.parse sees differently from the event's
  // JSON text (-0, 1e400, lone surrogate escapes), come back whole from wasm.
  if (meta.event) return meta.event;
  // Otherwise wasm has validated the body and JSON.parse of the same text gives the same values:
  // take them from the engine's own parser rather than re-parsing a copy made by wasm.
  const root = JSON.parse(bodyText(body, bytes));
  return { triggerEvent: root.triggerEvent, createdAt: root.createdAt, payload: root.payload, known: meta.known, shape: meta.shape, warnings: meta.warnings, valid: true };
}

// The text wasm parsed: the string itself when it is well-formed UTF-16 (so its UTF-8 encoding
// decodes back to it), else the decoded bytes (which wasm has already checked are UTF-8).
function bodyText(body, bytes) {
  if (typeof body === 'string' && typeof body.isWellFormed === 'function' && body.isWellFormed()) return body;
  const shared = typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer;
  return decoder.decode(shared ? bytes.slice() : bytes);
}

/** `{ ok: true, event } | { ok: false, error }`; never throws. */
export function safeParseEvent(body, opts) {
  try {
    return { ok: true, event: parseEvent(body, opts) };
  } catch (error) {
    return { ok: false, error: asCalhookError(error) };
  }
}

function asCalhookError(error) {
  if (error instanceof CalhookError) return error;
  return new CalhookError('INTERNAL', `calhook failed unexpectedly: ${error && error.message}`);
}

/**
 * Verify the signature, then parse. Signature failures throw with the codes of `check`; the
 * signature's warnings (a `sha256=`-prefixed header) join the event's `warnings`.
 */
export function verifyEvent(body, header, secret, opts) {
  const result = check(body, header, secret);
  if (!result.ok) throw new CalhookError(result.code, result.message);
  const event = parseEvent(body, opts);
  if (result.warnings) {
    for (const w of result.warnings) event.warnings.push({ path: 'X-Cal-Signature-256', code: w.code, message: w.message });
  }
  return event;
}

/**
 * For Fetch-API runtimes (Workers, Deno, Next.js route handlers, Bun): reads the raw bytes once,
 * finds `X-Cal-Signature-256` case-insensitively, rejects non-POST, verifies and parses.
 */
export async function handleRequest(request, secret, opts) {
  if (!request || typeof request.arrayBuffer !== 'function' || !request.headers) {
    throw invalidArgument('handleRequest takes a Fetch API Request');
  }
  if (String(request.method).toUpperCase() !== 'POST') {
    throw new CalhookError('METHOD_NOT_ALLOWED', `Cal.com webhooks are POST requests; got ${String(request.method).slice(0, 16)}.`);
  }
  const body = new Uint8Array(await request.arrayBuffer());
  return verifyEvent(body, request.headers.get('x-cal-signature-256'), secret, opts);
}

const STATUS = {
  METHOD_NOT_ALLOWED: 405,
  MISSING_BODY: 401,
  MISSING_HEADER: 401,
  MALFORMED_HEADER: 401,
  MISMATCH: 401,
  NO_SECRET_CONFIGURED: 401,
  NO_RECEIVER_SECRET: 500,
  BODY_ALREADY_PARSED: 500,
  INVALID_ARGUMENT: 500,
  INTERNAL: 500,
};

const PUBLIC_MESSAGE = {
  401: 'Invalid or missing X-Cal-Signature-256.',
  405: 'Method not allowed: Cal.com webhooks are POST requests.',
  400: 'The webhook body is not a valid Cal.com event.',
  500: 'The webhook receiver is misconfigured.',
};

// At most this many issues, each path at most this long, go into an error response.
const MAX_RESPONSE_ISSUES = 20;
const MAX_RESPONSE_PATH = 200;

/**
 * A `Response` for an error from handleRequest/verifyEvent/parseEvent: 400 for bad bodies, 401
 * for signatures, 405 for methods, 500 otherwise. The JSON body holds the code and, for invalid
 * payloads, the first issues' paths and codes; never the secret, the payload (an
 * `INVALID_PAYLOAD` error's `event`) or any value from it (issue messages quote values).
 */
export function errorResponse(error) {
  const err = asCalhookError(error);
  const status = STATUS[err.code] ?? 400;
  const body = { error: err.code, message: PUBLIC_MESSAGE[status] };
  if (Array.isArray(err.issues)) {
    body.issues = err.issues.slice(0, MAX_RESPONSE_ISSUES).map(({ path, code }) => ({ path: String(path).slice(0, MAX_RESPONSE_PATH), code: String(code) }));
  }
  const headers = { 'content-type': 'application/json' };
  if (status === 405) headers.allow = 'POST';
  return new Response(JSON.stringify(body), { status, headers });
}

/** A stable idempotency key (64 hex digits) for an event from parseEvent. */
export function eventKey(event) {
  if (!event || typeof event !== 'object') throw invalidArgument('eventKey takes an event from parseEvent');
  const { triggerEvent, createdAt, payload } = event;
  try {
    return wasm.event_key(JSON.stringify({ triggerEvent, createdAt, payload }));
  } catch (e) {
    rethrow(e);
  }
}

/** The metadata of one trigger, or undefined for an unknown name. */
export function describeTrigger(name) {
  return TRIGGERS.find((t) => t.name === name);
}

function call(fn) {
  try {
    return JSON.parse(fn());
  } catch (e) {
    rethrow(e);
  }
}

function triggerName(trigger) {
  if (typeof trigger !== 'string') throw invalidArgument(`trigger must be a string (got ${describe(trigger)})`);
  return trigger;
}

/** A realistic sample event `{ triggerEvent, createdAt, payload }`, deep-merged with `overrides`. */
export function samplePayload(trigger, overrides) {
  const name = triggerName(trigger);
  return call(() => wasm.sample_payload(name, overrides === undefined ? '' : JSON.stringify(overrides)));
}

/** JSON Schema (2020-12) of one trigger's event, or of any event. */
export function eventJsonSchema(trigger) {
  const name = trigger === undefined ? undefined : triggerName(trigger);
  return call(() => wasm.event_json_schema(name));
}

/**
 * The template variables of a trigger: by default as the real sender renders them
 * (`attendees.0.email`); with `{ dialect: 'reference' }` as the API reference writes them
 * (`payload.attendees[0].email`).
 */
export function templateVariables(trigger, opts) {
  const name = triggerName(trigger);
  const dialect = opts?.dialect ?? 'calcom';
  return call(() => wasm.template_variables(name, dialect));
}

/** Validate a webhook create request body: `{ ok, value, issues }`. */
export function validateWebhookCreate(input) {
  return call(() => wasm.validate_webhook(JSON.stringify(input ?? null), false));
}

/** Validate a webhook update request body: `{ ok, value, issues }`. */
export function validateWebhookUpdate(input) {
  return call(() => wasm.validate_webhook(JSON.stringify(input ?? null), true));
}

/**
 * The request for a webhook management endpoint: `{ method, url, headers, body }`.
 * `scope` is `'user'` (default), or `{ eventType | organization | oauthClient: id }`.
 */
export function webhookRequest(input) {
  if (!input || typeof input !== 'object') throw invalidArgument('webhookRequest takes an object');
  const { op, scope = 'user', webhookId, body, apiKey, baseUrl } = input;
  if (typeof apiKey !== 'string') throw invalidArgument('apiKey must be a string');
  let kind = scope;
  let scopeId;
  if (scope && typeof scope === 'object') {
    [[kind, scopeId]] = Object.entries(scope).length === 1 ? Object.entries(scope) : [[undefined]];
    if (kind === undefined) throw invalidArgument('scope must be "user" or one of { eventType | organization | oauthClient: id }');
  }
  const request = { op, scope: kind, scopeId: scopeId === undefined ? undefined : String(scopeId), webhookId: webhookId === undefined ? undefined : String(webhookId), body, baseUrl };
  return call(() => wasm.webhook_request(JSON.stringify(request), apiKey));
}

/** The `data` of a `{ status, data }` management API response (text or parsed JSON). */
export function parseWebhookResponse(json) {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  return call(() => wasm.parse_webhook_response(text));
}

/** When to retry after `failedAttempts` failures (the reference's promise), or null when done. */
export function nextRetryAt(failedAttempts, lastAttemptAt) {
  const last = lastAttemptAt instanceof Date ? lastAttemptAt.getTime() : lastAttemptAt;
  if (!Number.isInteger(failedAttempts) || failedAttempts < 0) throw invalidArgument('failedAttempts must be a non-negative integer');
  if (typeof last !== 'number' || !Number.isFinite(last)) throw invalidArgument('lastAttemptAt must be a Date or a number of ms');
  return wasm.next_retry_at(failedAttempts, last) ?? null;
}

