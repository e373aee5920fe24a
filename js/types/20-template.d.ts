/**
 * `"calcom"` (default): exactly what the current Cal.com sender does — booking events render
 * against the flat `{...payload, triggerEvent, createdAt}`. `"reference"`: the variables the API
 * reference documents (`{{payload.uid}}`, `{{payload.attendees[0].email}}`) render as documented.
 */
export type Dialect = 'calcom' | 'reference';

/** Options of {@link compileTemplate} and {@link renderTemplate}. */
export interface TemplateOptions {
  dialect?: Dialect | undefined;
  /** Output size limit in bytes (default 1 MiB); exceeding it throws `TEMPLATE_LIMIT`. */
  maxOutputBytes?: number | undefined;
  /** Block nesting limit; exceeding it throws `TEMPLATE_LIMIT`. */
  maxNesting?: number | undefined;
  /** Template size limit in bytes; exceeding it throws `TEMPLATE_LIMIT`. */
  maxTemplateBytes?: number | undefined;
}

/** A compiled template. */
export declare class Template {
  private constructor();
  /**
   * Plain Handlebars output for `data` (no Cal.com post-processing; see {@link buildDelivery}).
   * Throws `TEMPLATE_RENDER` where Handlebars throws (missing helper, …), `TEMPLATE_LIMIT`.
   */
  render(data: unknown): string;
  /** The variable paths the template uses, as written, in first-use order. */
  readonly variables: string[];
  /** Release the wasm memory now rather than at garbage collection. */
  free(): void;
}

/**
 * Compile a payload template with Handlebars 4.7 semantics. Syntax errors throw `CalhookError`
 * code `TEMPLATE_SYNTAX` with a `span`; partials and decorators `TEMPLATE_UNSUPPORTED`.
 */
export declare function compileTemplate(source: string, options?: TemplateOptions): Template;

/** Compile and render once. */
export declare function renderTemplate(source: string, data: unknown, options?: TemplateOptions): string;

/** Input of {@link buildDelivery}. */
export interface DeliveryInput {
  triggerEvent: string;
  /** ISO-8601 with milliseconds and `Z`; defaults to now. */
  createdAt?: string | undefined;
  payload: unknown;
  /** The webhook's `payloadTemplate`; empty or absent sends the default body. */
  template?: string | null | undefined;
  /** The webhook's secret; absent sends `no-secret-provided`. */
  secret?: string | null | undefined;
  /** Adds `X-Cal-Webhook-Version` (the only defined value is `2021-10-20`). */
  version?: string | null | undefined;
  dialect?: Dialect | undefined;
  subscriberUrl?: string | null | undefined;
}

/** What Cal.com would send, byte for byte. */
export interface Delivery {
  method: 'POST';
  url?: string;
  /** `Content-Type`, `X-Cal-Signature-256` and, with a version, `X-Cal-Webhook-Version`. */
  headers: Record<string, string>;
  body: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  /** What the emulation could not reproduce exactly (e.g. a `utcOffset` it could not compute); empty when exact. */
  notes: string[];
}

/**
 * Emulate a whole delivery: the body (default JSON or the rendered template with Cal.com's
 * post-processing), the content type and the signature. Throws `CalhookError` where Cal.com
 * would send nothing (a render error, an empty form body).
 */
export declare function buildDelivery(input: DeliveryInput): Delivery;

/**
 * The text Cal.com renders from `input.template` before it parses it as JSON: the trigger's
 * data layout (flat booking data or `{triggerEvent, createdAt, payload}`) and Cal.com's
 * `&quot;` replacement applied. `undefined` without a template. Throws like
 * {@link buildDelivery} where Cal.com would send nothing.
 */
export declare function renderPayloadTemplate(input: DeliveryInput): string | undefined;

/** A machine-applicable fix: replace `[start, end)` (UTF-16 offsets) with `replacement`. */
export interface Fix {
  start: number;
  end: number;
  replacement: string;
  /** What the fix does, for a button label. */
  title: string;
}

/**
 * The stable code of a {@link Diagnostic} (the Rust `calhook::lint::LintCode` table, whose module
 * documentation says what each means and how to fix it). New codes may be added in minor versions: keep a default
 * branch when you switch on it.
 */
export type LintCode =
  | 'TEMPLATE_SYNTAX'
  | 'REFERENCE_INDEX_SYNTAX'
  | 'TRIPLE_CLOSE'
  | 'NUMERIC_SEGMENT'
  | 'TEMPLATE_LIMIT'
  | 'REFERENCE_PAYLOAD_PREFIX'
  | 'JSON_BREAKING_VALUE'
  | 'HTML_ENTITY'
  | 'OBJECT_RENDER'
  | 'NOT_JSON_TEMPLATE'
  | 'UNKNOWN_HELPER'
  | 'HELPER_USAGE'
  | 'UNSUPPORTED'
  | 'UNKNOWN_VARIABLE'
  | 'UNKNOWN_TRIGGER';

/** A template lint finding. */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  code: LintCode;
  message: string;
  span: Span;
  fix?: Fix;
}

/** Options of {@link lintTemplate}. */
export interface LintOptions {
  dialect?: Dialect | undefined;
  /** Check variables against this trigger's payload, with "did you mean" suggestions. */
  trigger?: string | undefined;
}

/** Lint a template: syntax errors, reference forms that break on the real sender, JSON hazards, … */
export declare function lintTemplate(source: string, options?: LintOptions): Diagnostic[];

/** Apply the fixes of `diagnostics` to `source` (overlapping fixes after the first are skipped). */
export declare function applyFixes(source: string, diagnostics: readonly Diagnostic[]): string;

/** Options of {@link formatDiagnostic}. */
export interface FormatDiagnosticOptions {
  /** Printed before `:line:column` (a file name). */
  file?: string;
}

/**
 * A diagnostic from {@link lintTemplate}, or a `CalhookError` with a `span`, as text for a
 * terminal or a log (what `calhook lint` prints):
 *
 * ```text
 * hook.hbs:1:12: error[REFERENCE_INDEX_SYNTAX]: `{{payload.attendees[0].email}}` uses a …
 *   |
 * 1 | {"who": "{{payload.attendees[0].email}}"}
 *   |            ^^^^^^^^^^^^^^^^^^^^^^^^^^
 *   = help: Use {{attendees.0.email}}
 * ```
 *
 * Long lines are cut around the span; control and bidi characters are shown as `�`. No colour.
 */
export declare function formatDiagnostic(
  source: string,
  diagnostic: { code: string; message: string } & { severity?: Diagnostic['severity']; span?: Span; fix?: Pick<Fix, 'title'> },
  options?: FormatDiagnosticOptions,
): string;
