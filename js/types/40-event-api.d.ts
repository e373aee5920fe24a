/** How the body was shaped: the normal envelope, the legacy flat MEETING_* body, or FORM_SUBMITTED with responses copied to the root. */
export type EnvelopeShape = 'envelope' | 'legacyFlat' | 'formRootCopy';

/**
 * Stable codes of event warnings: a value in the API reference's documented form rather than
 * the sender's (`REFERENCE_RESPONSE_VALUE`: a plain `responses` value instead of
 * `{ label, value }`; `REFERENCE_SIGNATURE_PREFIX`: a `sha256=` header, from verifyEvent /
 * handleRequest), or a duplicate key outside strict mode (`DUPLICATE_KEY`).
 */
export type EventWarningCode = 'REFERENCE_RESPONSE_VALUE' | 'REFERENCE_SIGNATURE_PREFIX' | 'DUPLICATE_KEY';

/** What parseEvent adds to every event. */
export interface ParsedMeta {
  /** How the body was shaped. */
  shape: EnvelopeShape;
  /** Non-fatal findings: reference forms (`REFERENCE_*`), duplicate keys. */
  warnings: Array<Issue & { code: EventWarningCode }>;
  /** The payload matches its trigger's shape (see {@link UncheckedEvent} for `false`). */
  valid: true;
}

/**
 * A parsed event. Narrow with `triggerEvent` alone:
 * `if (e.triggerEvent === 'BOOKING_CANCELLED') e.payload.cancellationReason`.
 */
export type ParsedEvent = (CalEvent & ParsedMeta & { known: true }) | (UnknownCalEvent & ParsedMeta & { known: false });

/**
 * A verified body that is JSON but does not match its trigger's shape (a wrong type on a known
 * trigger, a missing field; in strict mode an unknown trigger or a duplicate key). It comes
 * with `INVALID_PAYLOAD` as `error.event`, or is returned with `{ acceptInvalid: true }`, so
 * that no verified event is silently lost. Check `valid` before narrowing on `triggerEvent`.
 */
export interface UncheckedEvent {
  valid: false;
  /** `triggerEvent` when it is a string, else null. */
  triggerEvent: string | null;
  /** `createdAt` when it is a string (maybe not a date-time), else null. */
  createdAt: string | null;
  /** The payload as received; for a legacy flat body the body without `triggerEvent`; for a body that is not an object, the body itself. */
  payload: unknown;
  /** Whether the trigger is known. */
  known: boolean;
  shape: EnvelopeShape;
  warnings: Array<Issue & { code: EventWarningCode }>;
  /** Every problem, each at its JSON path (at most 100). */
  issues: Issue[];
}

/** Options of {@link parseEvent}. */
export interface ParseEventOptions {
  /** Reject triggers calhook does not know (default: accept them with `known: false`). */
  strict?: boolean | undefined;
  /**
   * The clock for the replay window on the signed `createdAt`: ms, a Date, or a function
   * returning one (default `Date.now`). The window applies when `now`, `maxAgeMs` or
   * `maxFutureMs` is given: `STALE_EVENT` when older than `maxAgeMs` (default 5 min),
   * `FUTURE_EVENT` when ahead by more than `maxFutureMs` (default 1 min).
   */
  now?: number | Date | (() => number | Date) | undefined;
  /** Milliseconds (finite, >= 0), or `null` for no limit; NaN, Infinity or negative throw `INVALID_ARGUMENT`. */
  maxAgeMs?: number | null | undefined;
  /** Milliseconds (finite, >= 0), or `null` for no limit; NaN, Infinity or negative throw `INVALID_ARGUMENT`. */
  maxFutureMs?: number | null | undefined;
  /**
   * Largest accepted body in bytes (a non-negative integer, default 4 MiB); larger bodies throw
   * `BODY_TOO_LARGE` before anything is copied into wasm.
   */
  maxBytes?: number | undefined;
  /**
   * Return a body that does not match its trigger's shape as an {@link UncheckedEvent}
   * (`valid: false`, with its `issues`) instead of throwing `INVALID_PAYLOAD` (default false).
   */
  acceptInvalid?: boolean | undefined;
}

/** Options that return invalid bodies as {@link UncheckedEvent}s. */
export type AcceptInvalidOptions = ParseEventOptions & { acceptInvalid: true };

/**
 * Parse and validate a webhook body. Unknown fields never fail; the reference's documented
 * forms are accepted with `REFERENCE_*` warnings. Throws `CalhookError`: `INVALID_PAYLOAD`
 * with every `issues` entry at its JSON path and the received `event` (or, with
 * `acceptInvalid: true`, returns that {@link UncheckedEvent}), `NOT_JSON` (with a `hint`: a
 * form-urlencoded template; `json` gives the UTF-16 position), `STALE_EVENT`, `FUTURE_EVENT`,
 * `BODY_TOO_LARGE`, `TOO_DEEP`.
 */
export declare function parseEvent(body: Body, options: AcceptInvalidOptions): ParsedEvent | UncheckedEvent;
export declare function parseEvent(body: Body, options?: ParseEventOptions): ParsedEvent;

/** Like {@link parseEvent}, never throws. */
export declare function safeParseEvent(
  body: Body,
  options: AcceptInvalidOptions,
): { ok: true; event: ParsedEvent | UncheckedEvent } | { ok: false; error: CalhookError };
export declare function safeParseEvent(
  body: Body,
  options?: ParseEventOptions,
): { ok: true; event: ParsedEvent } | { ok: false; error: CalhookError };

/** Verify the signature (codes of {@link check} on failure), then parse; the signature's warnings join the event's. */
export declare function verifyEvent(body: BodyInput, header: HeaderInput, secret: SecretInput, options: AcceptInvalidOptions): ParsedEvent | UncheckedEvent;
export declare function verifyEvent(body: BodyInput, header: HeaderInput, secret: SecretInput, options?: ParseEventOptions): ParsedEvent;

/**
 * For Fetch-API runtimes: reads the raw body once, finds the header case-insensitively, rejects
 * non-POST (`METHOD_NOT_ALLOWED`), verifies and parses. Reads at most `maxBytes`: a larger
 * `Content-Length` is refused unread and a longer stream is cancelled (`BODY_TOO_LARGE`).
 */
export declare function handleRequest(request: Request, secret: SecretInput, options: AcceptInvalidOptions): Promise<ParsedEvent | UncheckedEvent>;
export declare function handleRequest(request: Request, secret: SecretInput, options?: ParseEventOptions): Promise<ParsedEvent>;

/**
 * A Response for an error of handleRequest: 400, 401, 405, 413 (`BODY_TOO_LARGE`) or 500 with a JSON
 * `{ error, message, issues? }` (issue paths and codes only); never the secret, the payload or
 * any value from it.
 */
export declare function errorResponse(error: unknown): Response;

/** A stable idempotency key (64 hex digits): Cal.com sends no delivery id. */
export declare function eventKey(event: { triggerEvent: string | UnknownTriggerName; createdAt: string; payload: unknown }): string;

/** Metadata of a trigger. */
export interface TriggerInfo {
  name: CalTrigger;
  description: string;
  /** Listed in the API reference. */
  documented: boolean;
  /** Sent by the current Cal.com sender (BOOKING_CONFIRMED is documented but never sent). */
  emitted: boolean;
  /** Can be chosen in a webhook's `triggers`. */
  subscribable: boolean;
}

/** Every trigger: the reference's 14, every real one, and PING. */
export declare const TRIGGERS: readonly TriggerInfo[];

/** The metadata of one trigger, or undefined. */
export declare function describeTrigger(name: string | UnknownTriggerName): TriggerInfo | undefined;

/** A realistic sample event body `{ triggerEvent, createdAt, payload }`, deep-merged with `overrides`. */
export declare function samplePayload<T extends CalTrigger>(trigger: T, overrides?: unknown): Extract<CalEvent, { triggerEvent: T }>;

/** JSON Schema (2020-12) for one trigger's event, or for any event. */
export declare function eventJsonSchema(trigger?: CalTrigger): Record<string, unknown>;

/** A template variable: its path as the real sender renders it (`attendees.0.email`). */
export interface TemplateVariable {
  path: string;
  type: string;
  description: string;
}

/**
 * The variables a payload template can use for a trigger: as the real sender renders them
 * (default), or with `{ dialect: 'reference' }` in the API reference's form.
 */
export declare function templateVariables(trigger: CalTrigger, options?: { dialect?: Dialect | undefined }): TemplateVariable[];

/** A webhook create/update request body. */
export interface WebhookInput {
  subscriberUrl?: string;
  triggers?: string[];
  active?: boolean;
  payloadTemplate?: string | null;
  secret?: string;
  version?: '2021-10-20';
}

/** The result of validating a webhook request body. */
export interface WebhookValidation {
  ok: boolean;
  /** The normalized body (`active` always present). */
  value: WebhookInput & { active: boolean };
  issues: Array<Issue & { severity: 'error' | 'warning' }>;
}

/** Validate a webhook create request body (reference rules plus what Cal.com refuses). */
export declare function validateWebhookCreate(input: unknown): WebhookValidation;

/** Validate a webhook update request body: every field optional, at least one. */
export declare function validateWebhookUpdate(input: unknown): WebhookValidation;

/** Input of {@link webhookRequest}. */
export interface WebhookRequestInput {
  op: 'list' | 'create' | 'get' | 'update' | 'delete';
  /** `'user'` (default) or one of `{ eventType: id }`, `{ organization: id }`, `{ oauthClient: id }`. */
  scope?: 'user' | { eventType: string | number } | { organization: string | number } | { oauthClient: string | number } | undefined;
  /** Ids are percent-encoded path segments; `.` and `..` throw `INVALID_ID`. */
  webhookId?: string | undefined;
  body?: WebhookInput | undefined;
  apiKey: string;
  /**
   * Default `https://api.cal.com`. Must be https, without credentials, query or fragment, and
   * written as the runtime's `URL` reads it (else `INVALID_BASE_URL`).
   */
  baseUrl?: string | undefined;
}

/** A request ready for `fetch(url, { method, headers, body })`. */
export interface WebhookHttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

/** Build the request for a management endpoint, validating `body` first. */
export declare function webhookRequest(input: WebhookRequestInput): WebhookHttpRequest;

/** The `data` of a `{ status, data }` management response; throws `API_ERROR` for `status: "error"`. */
export declare function parseWebhookResponse(json: string | object): unknown;

/** The reference's retry schedule in ms: 1 min, 5 min, 30 min, 2 h, 24 h (the current sender does not do this). */
export declare const RETRY_SCHEDULE_MS: readonly number[];

/** When the reference says the next retry happens, as ms since the epoch; null after the 5th failure. */
export declare function nextRetryAt(failedAttempts: number, lastAttemptAt: number | Date): number | null;
