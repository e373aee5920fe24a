/**
 * A request body exactly as received. Strings are hashed as their UTF-8 bytes; binary
 * types (Node `Buffer` is a `Uint8Array`) are hashed as they are, never decoded.
 */
export type Body = string | Uint8Array | ArrayBuffer | DataView;

/** One secret, or several during a rotation (the first that matches wins). */
export type Secrets = string | readonly string[];

/**
 * A secret as configuration gives it (`process.env.X` is `string | undefined`). A missing
 * (undefined, null or empty) secret throws `CalhookError` `NO_RECEIVER_SECRET` at run time.
 */
export type SecretInput = Secrets | null | undefined;

/**
 * A header value as runtimes give it: Fetch's `headers.get()` is `string | null`, Node's
 * `req.headers[name]` is `string | string[] | undefined` (several values are joined with `,`).
 */
export type HeaderInput = string | readonly string[] | null | undefined;

/**
 * A request body as frameworks give it: Express 5 leaves `req.body` undefined for a request
 * without one. A missing body fails verification (`check` code `MISSING_BODY`), never throws.
 */
export type BodyInput = Body | null | undefined;

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
  /**
   * For `INVALID_PAYLOAD`: the verified body as received, with every issue, so that a handler
   * can still store it (see `acceptInvalid`). Never put into {@link errorResponse}'s body.
   */
  readonly event?: UncheckedEvent;
  /** For `NOT_JSON` / `TOO_DEEP` / `BODY_TOO_LARGE`: where the JSON parser stopped. */
  readonly json?: JsonErrorDetail;
}

/** Where a JSON body failed to parse. Positions count UTF-16 code units, as JS strings do. */
export interface JsonErrorDetail {
  /** `JSON_SYNTAX`, `JSON_DEPTH`, `JSON_SIZE` or `JSON_UTF8`. */
  code: 'JSON_SYNTAX' | 'JSON_DEPTH' | 'JSON_SIZE' | 'JSON_UTF8';
  message: string;
  /** UTF-16 offset into the body's text (the index `text[offset]` in JS). */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
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

/** Where a `.wasm` file comes from: its URL, a fetch `Response`, its bytes or a compiled module. */
export type WasmSource = string | URL | Response | BufferSource | WebAssembly.Module;

/** `ready({ tools: true })`: load the tools with the core (see `ready`). */
export interface ReadyOptions {
  /**
   * Browsers: load `calhook_full.wasm`, one module with every export, instead of
   * `calhook_bg.wasm`; that one instance then serves every function, the tools included (no
   * `readyTools()` needed, one file fetched instead of two). For apps that use the tools
   * anyway, such as an editor with the linter. Node, Deno and Workers load the tools module now.
   */
  tools?: boolean;
  /** The URL, bytes or compiled module of the file to load (`calhook_full.wasm` with `tools`). */
  wasm?: WasmSource;
}

/**
 * Resolves once calhook is instantiated. Required once in browsers before the first call
 * (`await ready()`); already resolved in Node, Deno and Workers. Safe to call repeatedly.
 * In browsers you may pass the URL or bytes of `calhook_bg.wasm` if your bundler moves it, or
 * `{ tools: true }` to load one module that also serves the tools (see `ReadyOptions`). Once the
 * core is loaded (an earlier `ready()`), `ready({ tools: true })` loads the tools as `readyTools`.
 */
export declare function ready(input?: WasmSource | ReadyOptions): Promise<void>;
export default ready;

/**
 * Resolves once calhook's tools module (`calhook_tools.wasm`) is instantiated: the wasm behind
 * `lintTemplate`, `formatDiagnostic`, `diagnose`, `samplePayload`, `eventJsonSchema`,
 * `templateVariables`, `validateWebhookCreate`/`Update`, `webhookRequest`,
 * `parseWebhookResponse` and `nextRetryAt`, kept out of the main wasm so that apps which only
 * verify, parse and render download less. Required once in browsers before the first of those
 * calls (they throw `NOT_READY` until then); it also does `ready()`. In Node, Deno, Workers and
 * edge runtimes the module loads synchronously on first use, so calling this is optional
 * (it rejects with `WASM_LOAD_FAILED` if the file cannot be read). In browsers you may pass the
 * URL or bytes of `calhook_tools.wasm` if your bundler moves it.
 */
export declare function readyTools(input?: WasmSource): Promise<void>;

/**
 * The bytes of WebAssembly memory calhook holds now (0 before the wasm is initialised), for
 * watching memory in Workers and serverless functions. It grows for a large call (a big body,
 * a large template or render); wasm memory never shrinks by itself, so after a call that grew
 * it past 64 MiB calhook replaces its instance and the number is back to a fresh instance's
 * (about 1 MiB). The tools module (see `readyTools`), once loaded, is a second instance whose
 * memory is counted too (with `ready({ tools: true })` in browsers there is one instance). A body refused for its size (`BODY_TOO_LARGE`) is never copied in.
 */
export declare function wasmMemoryBytes(): number;
