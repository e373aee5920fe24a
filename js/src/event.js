// Events: parse and validate webhook events, verify-then-parse, Fetch-API request handling,
// idempotency keys, trigger metadata, samples, schemas, webhook config validation and requests.
import * as wasm from './wasm.js';
import { CalhookError, api, argumentError, invalidArgument, isWellFormed } from './error.js';
import { bodyInput, describe, headerInput } from './body.js';
import { check } from './signature.js';
import { run } from './instance.js';
import { inputView } from './input.js';
import { runTools } from './tools.js';
import * as tools from './wasm-tools.js';
import { booleanOption, durationOption, instant, integerOption, optionObject } from './options.js';
import { TRIGGERS, RETRY_SCHEDULE_MS } from './generated.js';

export { TRIGGERS, RETRY_SCHEDULE_MS };

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });

/** Default largest body (bytes): the core's DEFAULT_MAX_BODY_BYTES (src/event/parse.rs). */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

function bodyTooLarge(size, max, atLeast = false) {
  return new CalhookError('BODY_TOO_LARGE', `The body is ${atLeast ? 'at least ' : ''}${size} bytes; the limit is ${max}.`, { issues: [] });
}

// The body's UTF-8 bytes, refused before anything is copied into wasm when over `max`. A string
// has at least as many UTF-8 bytes as UTF-16 units, so a long one is refused before encoding.
function bodyBytes(body, max) {
  const b = bodyInput(body);
  if (typeof b === 'string') {
    if (b.length > max) throw bodyTooLarge(b.length, max, true);
    const bytes = encoder.encode(b);
    if (bytes.length > max) throw bodyTooLarge(bytes.length, max);
    return bytes;
  }
  if (b.byteLength > max) throw bodyTooLarge(b.byteLength, max);
  return b;
}

function nowMs(now) {
  if (now === undefined) return Date.now();
  const v = typeof now === 'function' ? now() : now;
  return instant(v, 'now (or what it returns)');
}

// Options read and validated once: `{ text, maxBytes }` where `text` is the JSON for wasm. The
// replay window is opt-in: it applies when `now`, `maxAgeMs` or `maxFutureMs` is given.
// `text` undefined means the defaults (nothing to copy into wasm or parse on the common path).
const DEFAULT_OPTIONS = /* @__PURE__ */ Object.freeze({ text: undefined, maxBytes: DEFAULT_MAX_BYTES, acceptInvalid: false });

function parseOptions(opts) {
  if (opts === undefined || opts === null) return DEFAULT_OPTIONS;
  const src = optionObject(opts);
  const o = { strict: booleanOption(src, 'strict') ?? false };
  const maxBytes = integerOption(src, 'maxBytes', 0, Number.MAX_SAFE_INTEGER);
  if (maxBytes !== undefined) o.maxBytes = maxBytes;
  const now = src.now;
  const maxAgeMs = durationOption(src, 'maxAgeMs');
  const maxFutureMs = durationOption(src, 'maxFutureMs');
  if (now !== undefined || maxAgeMs !== undefined || maxFutureMs !== undefined) {
    o.nowMs = nowMs(now);
    if (maxAgeMs !== undefined) o.maxAgeMs = maxAgeMs;
    if (maxFutureMs !== undefined) o.maxFutureMs = maxFutureMs;
  }
  return { text: JSON.stringify(o), maxBytes: maxBytes ?? DEFAULT_MAX_BYTES, acceptInvalid: booleanOption(src, 'acceptInvalid') ?? false };
}

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
export const parseEvent = /* @__PURE__ */ api('parseEvent', (body, opts) => parseWith(body, parseOptions(opts)));

// Bodies up to this many bytes (or UTF-16 units) are written straight into wasm's reused input
// buffer; longer ones cross as a copied byte array, so the buffer stays small.
const INPUT_MAX = 1 << 16;

function parseWith(body, options) {
  // The size first: nothing over maxBytes is written into wasm.
  bodyBytesLimit(body, options.maxBytes);
  if (typeof body === 'string') {
    if (body.length <= INPUT_MAX && isWellFormed(body)) {
      return parseInput(body, () => encoder.encodeInto(body, inputView(body.length * 3)).written, options, true);
    }
  } else {
    const bytes = bodyInput(body);
    if (bytes.length <= INPUT_MAX) {
      return parseInput(bytes, () => {
        inputView(bytes.length).set(bytes);
        return bytes.length;
      }, options, false);
    }
  }
  return parseCopied(body, options);
}

// wasm validates the bytes in one pass and answers with a number; on "valid envelope, nothing
// to report" the event's values are JS `JSON.parse` of the same text, parsed once here.
// `write` fills the input buffer and returns the length (inside one `run`: the view is used
// before any other call into wasm, and a re-instantiated module hands out a view of its own).
// `encoded`: the bytes come from TextEncoder (a well-formed string), so they are UTF-8.
function parseInput(body, write, options, encoded) {
  let len;
  const verdict = run(() => {
    len = write();
    return wasm.check_event_input(len, options.text, encoded);
  });
  if (verdict !== 0) {
    const root = JSON.parse(bodyText(body, body));
    return { triggerEvent: root.triggerEvent, createdAt: root.createdAt, payload: root.payload, known: (verdict & 2) !== 0, shape: verdict & 4 ? 'formRootCopy' : 'envelope', warnings: [], valid: true };
  }
  let meta;
  try {
    meta = JSON.parse(run(() => wasm.parse_event_input(len, options.text)));
  } catch (e) {
    return invalidOrThrow(e, options);
  }
  return fromMeta(meta, body, typeof body === 'string' ? undefined : body);
}

function parseCopied(body, options) {
  const bytes = bodyBytes(body, options.maxBytes);
  let meta;
  try {
    meta = JSON.parse(run(() => wasm.parse_event_meta(bytes, options.text ?? '{}')));
  } catch (e) {
    return invalidOrThrow(e, options);
  }
  return fromMeta(meta, body, bytes);
}

// With `{ acceptInvalid: true }`, an INVALID_PAYLOAD's event (everything received,
// `valid: false`) is returned instead of thrown.
function invalidOrThrow(error, options) {
  if (options.acceptInvalid && error instanceof CalhookError && error.code === 'INVALID_PAYLOAD' && error.event) return error.event;
  throw error;
}

function fromMeta(meta, body, bytes) {
  // Legacy flat bodies, and bodies whose values JSON.parse sees differently from the event's
  // JSON text (-0, 1e400, lone surrogate escapes), come back whole from wasm.
  if (meta.event) return meta.event;
  // Otherwise wasm has validated the body and JSON.parse of the same text gives the same values.
  const root = JSON.parse(bodyText(body, bytes));
  return { triggerEvent: root.triggerEvent, createdAt: root.createdAt, payload: root.payload, known: meta.known, shape: meta.shape, warnings: meta.warnings, valid: true };
}

// The text wasm parsed: the string itself when it is well-formed UTF-16 (so its UTF-8 encoding
// decodes back to it), else the decoded bytes (which wasm has already checked are UTF-8).
function bodyText(body, bytes) {
  if (typeof body === 'string' && isWellFormed(body)) return body;
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
export const verifyEvent = /* @__PURE__ */ api('verifyEvent', (body, header, secret, opts) => {
  // Options and size first: an oversized body is refused before it is hashed or copied.
  // A missing body is not a wrong argument: `check` reports it as MISSING_BODY (a 401).
  const options = parseOptions(opts);
  if (body !== undefined && body !== null) bodyBytesLimit(body, options.maxBytes);
  const result = check(body, header, secret);
  if (!result.ok) throw new CalhookError(result.code, result.message);
  const event = parseWith(body, options);
  if (result.warnings) {
    for (const w of result.warnings) event.warnings.push({ path: 'X-Cal-Signature-256', code: w.code, message: w.message });
  }
  return event;
});

// The size check of bodyBytes without encoding (a string's UTF-8 length is computed, not built).
function bodyBytesLimit(body, max) {
  // At most 3 UTF-8 bytes per UTF-16 unit: a short string needs neither encoding nor count.
  if (typeof body === 'string' && body.length * 3 <= max) return;
  const b = bodyInput(body);
  if (typeof b !== 'string') {
    if (b.byteLength > max) throw bodyTooLarge(b.byteLength, max);
    return;
  }
  if (b.length > max) throw bodyTooLarge(b.length, max, true);
  // At most 3 UTF-8 bytes per UTF-16 unit: short strings need no count.
  if (b.length * 3 <= max) return;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < b.length && (b.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  if (n > max) throw bodyTooLarge(n, max);
}

/**
 * For Fetch-API runtimes (Workers, Deno, Next.js route handlers, Bun): reads the raw bytes once
 * (at most `maxBytes`: a larger Content-Length is refused unread, a longer stream is cancelled),
 * finds `X-Cal-Signature-256` case-insensitively, rejects non-POST, verifies and parses.
 */
export async function handleRequest(request, secret, opts) {
  let options;
  let header;
  try {
    if (!request || typeof request !== 'object' || typeof request.arrayBuffer !== 'function' || !request.headers || typeof request.headers.get !== 'function') {
      throw invalidArgument('handleRequest takes a Fetch API Request');
    }
    const method = request.method;
    if (typeof method !== 'string' || method.toUpperCase() !== 'POST') {
      throw new CalhookError('METHOD_NOT_ALLOWED', `Cal.com webhooks are POST requests; got ${typeof method === 'string' ? method.slice(0, 16) : describe(method)}.`);
    }
    options = parseOptions(opts);
    header = headerInput(request.headers.get('x-cal-signature-256'));
    const length = request.headers.get('content-length');
    if (typeof length === 'string' && /^\s*\d+\s*$/.test(length) && Number(length) > options.maxBytes) {
      cancelBody(request);
      throw bodyTooLarge(Number(length), options.maxBytes);
    }
  } catch (err) {
    throw argumentError('handleRequest', err);
  }
  const body = await readBody(request, options.maxBytes);
  return verifyEvent(body, header, secret, opts);
}

function cancelBody(request) {
  try {
    const stream = request.body;
    if (stream && typeof stream.cancel === 'function' && !stream.locked) stream.cancel().catch(() => {});
  } catch {
    // Nothing to cancel.
  }
}

// The body's bytes, counting as they arrive: past `max` the stream is cancelled and nothing more
// is read or kept.
async function readBody(request, max) {
  let stream;
  try {
    if (request.bodyUsed) throw invalidArgument('the request body was already read: pass the Request before anything consumes its body');
    stream = request.body;
  } catch (err) {
    throw argumentError('handleRequest', err);
  }
  if (stream === null || stream === undefined || typeof stream.getReader !== 'function') {
    // No stream (an empty body, or a Request-like object): arrayBuffer() is all there is.
    let buf;
    try {
      buf = new Uint8Array(await request.arrayBuffer());
    } catch (err) {
      throw argumentError('handleRequest', err);
    }
    if (buf.byteLength > max) throw bodyTooLarge(buf.byteLength, max);
    return buf;
  }
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) throw invalidArgument('the request body stream must yield bytes (Uint8Array chunks)');
      total += value.byteLength;
      if (total > max) {
        reader.cancel().catch(() => {});
        throw bodyTooLarge(total, max, true);
      }
      chunks.push(value);
    }
  } catch (err) {
    throw argumentError('handleRequest', err);
  } finally {
    try {
      reader.releaseLock();
    } catch {
      // Already released.
    }
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const STATUS = {
  METHOD_NOT_ALLOWED: 405,
  BODY_TOO_LARGE: 413,
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
  413: 'The webhook body is larger than this receiver accepts.',
  400: 'The webhook body is not a valid Cal.com event.',
  500: 'The webhook receiver is misconfigured.',
};

// At most this many issues, each path at most this long, go into an error response.
const MAX_RESPONSE_ISSUES = 20;
const MAX_RESPONSE_PATH = 200;

/**
 * A `Response` for an error from handleRequest/verifyEvent/parseEvent: 400 for bad bodies, 401
 * for signatures, 405 for methods, 413 for bodies over `maxBytes`, 500 otherwise. The JSON body
 * holds the code and, for invalid payloads, the first issues' paths and codes; never the
 * secret, the payload (an `INVALID_PAYLOAD` error's `event`) or any value from it (issue
 * messages quote values).
 */
export function errorResponse(error) {
  let body;
  let status;
  try {
    const err = asCalhookError(error);
    status = STATUS[err.code] ?? 400;
    body = { error: err.code, message: PUBLIC_MESSAGE[status] };
    if (Array.isArray(err.issues)) {
      body.issues = err.issues.slice(0, MAX_RESPONSE_ISSUES).map((i) => ({ path: String(i?.path).slice(0, MAX_RESPONSE_PATH), code: String(i?.code) }));
    }
    body = JSON.stringify(body);
  } catch {
    // Not an error calhook threw (a hostile object): answer as for an unexpected failure.
    status = 500;
    body = JSON.stringify({ error: 'INTERNAL', message: PUBLIC_MESSAGE[500] });
  }
  const headers = { 'content-type': 'application/json' };
  if (status === 405) headers.allow = 'POST';
  return new Response(body, { status, headers });
}

/** A stable idempotency key (64 hex digits) for an event from parseEvent. */
export const eventKey = /* @__PURE__ */ api('eventKey', (event) => {
  if (!event || typeof event !== 'object') throw invalidArgument('eventKey takes an event from parseEvent');
  const { triggerEvent, createdAt, payload } = event;
  const text = jsonArg({ triggerEvent, createdAt, payload }, 'event');
  return run(() => wasm.event_key(text));
});

/** The metadata of one trigger, or undefined for an unknown name. */
export function describeTrigger(name) {
  return TRIGGERS.find((t) => t.name === name);
}

// A tools-module function returning JSON text (js/src/tools.js); `name` is the public name.
function callTools(name, fn) {
  return JSON.parse(runTools(name, fn));
}

// The JSON text of a caller's value, as JSON.stringify sees it; whatever it throws (BigInt,
// cycles, throwing getters or Proxy traps, a RangeError on deep nesting) is INVALID_ARGUMENT,
// and a value it cannot represent at all (a function, a Symbol) reads as null.
function jsonArg(value, what) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw argumentError(what, err);
  }
  return text ?? 'null';
}

function triggerName(trigger) {
  if (typeof trigger !== 'string') throw invalidArgument(`trigger must be a string (got ${describe(trigger)})`);
  return trigger;
}

/** A realistic sample event `{ triggerEvent, createdAt, payload }`, deep-merged with `overrides`. */
export const samplePayload = /* @__PURE__ */ api('samplePayload', (trigger, overrides) => {
  const name = triggerName(trigger);
  const text = overrides === undefined ? '' : jsonArg(overrides, 'overrides');
  return callTools('samplePayload', () => tools.sample_payload(name, text));
});

/** JSON Schema (2020-12) of one trigger's event, or of any event. */
export const eventJsonSchema = /* @__PURE__ */ api('eventJsonSchema', (trigger) => {
  const name = trigger === undefined ? undefined : triggerName(trigger);
  return callTools('eventJsonSchema', () => tools.event_json_schema(name));
});

/**
 * The template variables of a trigger: by default as the real sender renders them
 * (`attendees.0.email`); with `{ dialect: 'reference' }` as the API reference writes them
 * (`payload.attendees[0].email`).
 */
export const templateVariables = /* @__PURE__ */ api('templateVariables', (trigger, opts) => {
  const name = triggerName(trigger);
  const dialect = optionObject(opts).dialect ?? 'calcom';
  if (typeof dialect !== 'string') throw invalidArgument(`dialect must be "calcom" or "reference" (got ${describe(dialect)})`);
  return callTools('templateVariables', () => tools.template_variables(name, dialect));
});

/** Validate a webhook create request body: `{ ok, value, issues }`. */
export const validateWebhookCreate = /* @__PURE__ */ api('validateWebhookCreate', (input) => {
  const text = jsonArg(input ?? null, 'input');
  return callTools('validateWebhookCreate', () => tools.validate_webhook(text, false));
});

/** Validate a webhook update request body: `{ ok, value, issues }`. */
export const validateWebhookUpdate = /* @__PURE__ */ api('validateWebhookUpdate', (input) => {
  const text = jsonArg(input ?? null, 'input');
  return callTools('validateWebhookUpdate', () => tools.validate_webhook(text, true));
});

// An id for a URL path: a string, or a number as written (a finite one).
function idText(v, what) {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw invalidArgument(`${what} must be a string or a number (got ${describe(v)})`);
}

/**
 * The request for a webhook management endpoint: `{ method, url, headers, body }`.
 * `scope` is `'user'` (default), or `{ eventType | organization | oauthClient: id }`.
 */
export const webhookRequest = /* @__PURE__ */ api('webhookRequest', (input) => {
  if (!input || typeof input !== 'object') throw invalidArgument('webhookRequest takes an object');
  const { op, scope = 'user', webhookId, body, apiKey, baseUrl } = input;
  if (typeof apiKey !== 'string') throw invalidArgument('apiKey must be a string');
  if (op !== undefined && typeof op !== 'string') throw invalidArgument(`op must be a string (got ${describe(op)})`);
  if (baseUrl !== undefined && baseUrl !== null && typeof baseUrl !== 'string') throw invalidArgument(`baseUrl must be a string (got ${describe(baseUrl)})`);
  let kind = scope;
  let scopeId;
  if (scope && typeof scope === 'object') {
    const entries = Object.entries(scope);
    if (entries.length !== 1) throw invalidArgument('scope must be "user" or one of { eventType | organization | oauthClient: id }');
    [[kind, scopeId]] = entries;
  } else if (typeof scope !== 'string') {
    throw invalidArgument(`scope must be "user" or one of { eventType | organization | oauthClient: id } (got ${describe(scope)})`);
  }
  const request = { op, scope: kind, scopeId: idText(scopeId, 'the scope id'), webhookId: idText(webhookId, 'webhookId'), body, baseUrl: baseUrl ?? undefined };
  const text = jsonArg(request, 'webhookRequest input');
  return callTools('webhookRequest', () => tools.webhook_request(text, apiKey));
});

/** The `data` of a `{ status, data }` management API response (text or parsed JSON). */
export const parseWebhookResponse = /* @__PURE__ */ api('parseWebhookResponse', (json) => {
  const text = typeof json === 'string' ? json : jsonArg(json, 'response');
  return callTools('parseWebhookResponse', () => tools.parse_webhook_response(text));
});

/** When to retry after `failedAttempts` failures (the reference's promise), or null when done. */
export const nextRetryAt = /* @__PURE__ */ api('nextRetryAt', (failedAttempts, lastAttemptAt) => {
  if (typeof failedAttempts !== 'number' || !Number.isSafeInteger(failedAttempts) || failedAttempts < 0) {
    throw invalidArgument(`failedAttempts must be a non-negative integer (got ${typeof failedAttempts === 'number' ? failedAttempts : describe(failedAttempts)})`);
  }
  const last = instant(lastAttemptAt, 'lastAttemptAt');
  // Past the schedule's end every count means the same (no retry): keep it within u32 rather
  // than let the binding wrap it (2 ** 32 + 1 would read as 1).
  const attempts = Math.min(failedAttempts, 0xffffffff);
  return runTools('nextRetryAt', () => tools.next_retry_at(attempts, last)) ?? null;
});
