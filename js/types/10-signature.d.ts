/** Codes of {@link check}. */
export type CheckCode = 'OK' | 'MISSING_BODY' | 'MISSING_HEADER' | 'NO_SECRET_CONFIGURED' | 'MALFORMED_HEADER' | 'MISMATCH';

/** The result of {@link check}. */
export interface CheckResult {
  ok: boolean;
  code: CheckCode;
  /** With several secrets: the index of the one that matched. */
  secretIndex?: number;
  /** What happened and what to do. */
  message: string;
  /**
   * Differences from what the sender sends that were accepted: `REFERENCE_SIGNATURE_PREFIX`
   * for the API reference's `sha256=<hex>` form (Cal.com sends bare hex). Absent when none.
   */
  warnings?: Array<{ code: 'REFERENCE_SIGNATURE_PREFIX'; message: string }>;
}

/** Codes of {@link diagnose}. */
export type CauseCode =
  | 'MISSING_BODY'
  | 'MISSING_HEADER'
  | 'NO_SECRET_CONFIGURED'
  | 'STRIPE_HEADER'
  | 'STANDARD_WEBHOOKS_HEADER'
  | 'GITHUB_SHA1_HEADER'
  | 'BASE64_DIGEST'
  | 'MALFORMED_HEADER'
  | 'EMPTY_BODY'
  | 'BODY_RESERIALIZED'
  | 'BODY_PRETTY_PRINTED'
  | 'LINE_ENDINGS_CHANGED'
  | 'TRAILING_NEWLINE_ADDED'
  | 'TRAILING_NEWLINE_REMOVED'
  | 'BODY_REENCODED'
  | 'SECRET_WHITESPACE'
  | 'SECRET_QUOTED'
  | 'SECRET_OR_BODY_DIFFERS'
  | 'BODY_TOO_LARGE_TO_DIAGNOSE';

/** A likely cause of a failed signature, found by testing it. */
export interface Cause {
  code: CauseCode;
  /** What went wrong and how to fix it. */
  message: string;
}

/**
 * The exact `X-Cal-Signature-256` value Cal.com sends: lowercase hex HMAC-SHA256 of the body.
 * With a null, undefined or empty secret, the literal `"no-secret-provided"`, as Cal.com does.
 */
export declare function sign(body: Body, secret: string | null | undefined): string;

/**
 * True when `header` is a valid signature of `body`. Accepts bare hex (what Cal.com sends) and
 * `sha256=`-prefixed hex, either case, whitespace trimmed. Never throws on header or body
 * content (a missing body is false); throws `CalhookError` `NO_RECEIVER_SECRET` when `secret`
 * is missing or empty (fails closed).
 */
export declare function verify(body: BodyInput, header: HeaderInput, secret: SecretInput): boolean;

/** Like {@link verify}, with the reason: `{ ok, code, secretIndex?, message }`. */
export declare function check(body: BodyInput, header: HeaderInput, secret: SecretInput): CheckResult;

/** For a failed check, the likely causes, each found by actually testing it. Empty when it matches. */
export declare function diagnose(body: BodyInput, header: HeaderInput, secret: SecretInput): Cause[];

/** Verifies with the HMAC key state computed once: for hot paths. */
export declare class Verifier {
  constructor(secret: SecretInput);
  verify(body: BodyInput, header: HeaderInput): boolean;
  check(body: BodyInput, header: HeaderInput): CheckResult;
  /** Release the wasm memory now rather than at garbage collection. */
  free(): void;
}
