/**
 * A request body exactly as received. Strings are hashed as their UTF-8 bytes; binary
 * types (Node `Buffer` is a `Uint8Array`) are hashed as they are, never decoded.
 */
export type Body = string | Uint8Array | ArrayBuffer | DataView;

/** One secret, or several during a rotation (the first that matches wins). */
export type Secrets = string | readonly string[];

/** The one error class of calhook. `code` is stable and machine-readable. */
export declare class CalhookError extends Error {
  readonly name: 'CalhookError';
  /** Stable code, e.g. `INVALID_ARGUMENT`, `NO_RECEIVER_SECRET`, `TEMPLATE_SYNTAX`, `INVALID_PAYLOAD`. */
  readonly code: string;
  /** For template errors: where in the template (`start`/`end` in UTF-16 code units). */
  readonly span?: Span;
  /** For validation errors: every problem, each at its JSON path. */
  readonly issues?: Issue[];
  /** A hint on what to do, where there is one. */
  readonly hint?: string;
}

/** A location in a template: 1-based line and column; `start`/`end` in UTF-16 code units. */
export interface Span {
  line: number;
  column: number;
  start: number;
  end: number;
}

/** One validation problem at a JSON path such as `payload.attendees[0].email`. */
export interface Issue {
  path: string;
  code: string;
  message: string;
  severity?: 'error' | 'warning';
}

/**
 * Resolves once calhook is instantiated. Required once in browsers before the first call
 * (`await ready()`); already resolved in Node, Deno and Workers. Safe to call repeatedly.
 * In browsers you may pass the URL or bytes of `calhook_bg.wasm` if your bundler moves it.
 */
export declare function ready(input?: string | URL | Response | BufferSource): Promise<void>;
export default ready;
