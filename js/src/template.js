// Templates: compile, render, lint and fix Cal.com payload templates; emulate a delivery.
import * as wasm from './wasm.js';
import { api, argumentError, invalidArgument } from './error.js';
import { describe } from './body.js';
import { checkSecretText, nativeHmacFrom, nativeSign } from './signature.js';
import { generation, run } from './instance.js';
import { inputView } from './input.js';
import { runTools } from './tools.js';
import * as tools from './wasm-tools.js';
import { optionObject, integerOption } from './options.js';
import { compileSerializer, fullWriter, prune } from './projection.js';
import { compileWords } from './crossing.js';
import { payloadZones } from './timezone.js';

const DIALECTS = new Set(['calcom', 'reference']);
const encoder = /* @__PURE__ */ new TextEncoder();
// Data texts up to this many UTF-16 units are written into wasm's reused input buffer.
const INPUT_MAX = 1 << 16;
// Template data texts up to this many UTF-16 units cross as a string argument instead.
const SHORT_TEXT = 1024;

// Template limits: non-negative integers (the core clamps them to what its stack can hold).
const LIMITS = ['maxOutputBytes', 'maxNesting', 'maxTemplateBytes'];
const MAX_LIMIT = 2 ** 32 - 1;

// Options are read once, each validated (fail closed: a NaN limit is an error, not "no limit"),
// into a fresh JSON text for wasm.
function options(opts, allowed) {
  const o = optionObject(opts);
  const picked = {};
  const dialect = o.dialect;
  if (dialect !== undefined) {
    if (!DIALECTS.has(dialect)) throw invalidArgument(`dialect must be "calcom" or "reference" (got ${describe(dialect)})`);
    picked.dialect = dialect;
  }
  for (const k of allowed) {
    if (k === 'dialect') continue;
    if (LIMITS.includes(k)) {
      const n = integerOption(o, k, 0, MAX_LIMIT);
      if (n !== undefined) picked[k] = n;
    } else if (k === 'trigger') {
      const t = o.trigger;
      if (t !== undefined && typeof t !== 'string') throw invalidArgument(`trigger must be a string (got ${describe(t)})`);
      if (t !== undefined) picked.trigger = t;
    }
  }
  return JSON.stringify(picked);
}

function sourceText(source) {
  if (typeof source !== 'string') throw invalidArgument(`template source must be a string (got ${describe(source)})`);
  return source;
}

// Template data crosses into wasm as JSON text, exactly as JSON.stringify sees it: functions
// and undefined properties disappear, as they render empty in Handlebars anyway. One
// exception: ±Infinity (what JSON.parse makes of `1e400`) renders `Infinity` / `-Infinity` in
// Handlebars, but JSON.stringify writes `null`; they cross as the JSON numbers `1e400` /
// `-1e400`, which Rust parses back to ±Infinity. (NaN, which no JSON text produces, stays null.)
function dataText(data, what = 'template data') {
  if (data === undefined) return 'null';
  let text;
  try {
    text = JSON.stringify(data) ?? 'null';
  } catch (e) {
    throw invalidArgument(`${what} must be JSON-serializable: ${safeMessage(e)}`);
  }
  // Without a `null` in the text there was no infinity: the common case costs one scan.
  return text.includes('null') ? withInfinities(data, text) : text;
}

// The data text of `prune(data, projection)` (what dataText gives), by the projection's compiled
// serializer where it can vouch for the result, else by pruning and serializing.
function projectedText(data, projection, serialize, what) {
  if (projection === null) return dataText(data, what);
  return serialize(data) ?? dataText(prune(data, projection), what);
}

function serializerOf(projection) {
  return projection === null ? null : compileSerializer(projection, writeFull);
}

// (A pure call, so that a bundler drops it from an app that renders no template.)
const INFINITY_MARK = /* @__PURE__ */ (() => `\u0000calhook-infinity-${Math.random().toString(36).slice(2)}`)();

function withInfinities(data, plain) {
  let count = 0;
  const marked = JSON.stringify(data, (_key, v) => {
    if (v === Infinity || v === -Infinity) {
      count++;
      return `${INFINITY_MARK}${v > 0 ? '+' : '-'}`;
    }
    return v;
  });
  if (count === 0) return plain;
  const token = (sign) => JSON.stringify(`${INFINITY_MARK}${sign}`);
  const pos = marked.split(token('+'));
  const neg = pos.map((part) => part.split(token('-')));
  // A data string equal to the mark (never in practice) would be rewritten: keep the plain text.
  const found = pos.length - 1 + neg.reduce((n, parts) => n + parts.length - 1, 0);
  if (found !== count) return plain;
  return neg.map((parts) => parts.join('-1e400')).join('1e400');
}

const writeFull = /* @__PURE__ */ fullWriter(withInfinities);

function safeMessage(e) {
  try {
    return `${e.name}: ${String(e.message).slice(0, 120)}`;
  } catch {
    return 'unreadable error';
  }
}

/**
 * A compiled template; `render(data)` gives the plain Handlebars output. After the wasm
 * instance is replaced (see instance.js) it recompiles transparently from its source.
 */
export class Template {
  #inner;
  #generation;
  #source;
  #options;
  #variables;
  #projection;
  #serialize;
  #words;
  #freed = false;
  constructor(source, optionsJson) {
    if (typeof source !== 'string' || typeof optionsJson !== 'string') {
      throw invalidArgument('Template objects come from compileTemplate(source, options)');
    }
    this.#source = source;
    this.#options = optionsJson;
    run(() => this.#build());
  }
  // Called inside `run`, never around it: a reset between building and using is impossible.
  #build() {
    this.#inner = new wasm.WasmTemplate(this.#source, this.#options);
    this.#generation = generation();
  }
  #current() {
    if (this.#freed) throw invalidArgument('this Template was freed; compile it again');
    if (this.#generation !== generation()) this.#build();
    return this.#inner;
  }
  /** Render with `data` (any JSON-serializable value). */
  render(data) {
    try {
      // Only the part of the data the template can read crosses into wasm.
      if (this.#projection === undefined) {
        this.#projection = JSON.parse(run(() => this.#current().projection()));
        this.#serialize = serializerOf(this.#projection);
        this.#words = this.#projection === null ? null : compileWords(this.#projection);
      }
      // As words where the walk can vouch for them (crossing.js), else as JSON text.
      const words = this.#words === null ? undefined : this.#words(data);
      if (words !== undefined) {
        const out = run(() => renderWords(this.#current(), words));
        if (out !== undefined) return out;
      }
      const text = projectedText(data, this.#projection, this.#serialize);
      // The data text goes straight into wasm's reused input buffer (one native encode; the
      // view is used before any other call into wasm, inside one `run`). Long texts cross as a
      // copied string.
      return run(() => {
        const inner = this.#current();
        // A short text is cheaper passed as a string (no view to make over wasm memory).
        if (text.length <= SHORT_TEXT) return inner.render(text);
        return withInput(text, (len) => inner.render_input(len), () => inner.render(text));
      });
    } catch (err) {
      throw argumentError('Template.render', err);
    }
  }
  /** The variable paths the template uses, in first-use order. */
  get variables() {
    this.#variables ??= JSON.parse(run(() => this.#current().variables()));
    return this.#variables;
  }
  /** Release the wasm memory now rather than at garbage collection. */
  free() {
    if (this.#freed) return;
    this.#freed = true;
    // A template from a replaced instance has nothing left to free.
    if (this.#generation === generation()) run(() => this.#inner.free());
  }
}

// Compiled templates by options and source, so repeated one-shot renders (one per delivery)
// compile once. Least recently used first; evicted templates free their wasm memory.
const cache = new Map();
const CACHE_SIZE = 64;

function cachedTemplate(src, o) {
  const key = `${o}\u0000${src}`;
  let t = cache.get(key);
  if (t) {
    cache.delete(key);
  } else {
    t = new Template(src, o);
    if (cache.size >= CACHE_SIZE) {
      const [oldKey, old] = cache.entries().next().value;
      cache.delete(oldKey);
      old.free();
    }
  }
  cache.set(key, t);
  return t;
}

/** Compile a template; syntax errors throw `TEMPLATE_SYNTAX` with a `span`. */
export const compileTemplate = /* @__PURE__ */ api('compileTemplate', (source, opts) => {
  const src = sourceText(source);
  const o = options(opts, ['dialect', 'maxOutputBytes', 'maxNesting', 'maxTemplateBytes']);
  return new Template(src, o);
});

/** Compile and render once (compiled templates are cached, so repeated calls are cheap). */
export const renderTemplate = /* @__PURE__ */ api('renderTemplate', (source, data, opts) => {
  const src = sourceText(source);
  const o = options(opts, ['dialect', 'maxOutputBytes', 'maxNesting', 'maxTemplateBytes']);
  return cachedTemplate(src, o).render(data);
});

// Payload projections by template, then dialect and trigger (computed in Rust), most recent
// template last. Keyed by the template string itself: a caller's template is the same string
// every time, whose hash V8 keeps, where a concatenated key would be hashed anew per delivery.
const projections = new Map();

function projectionOf(projection) {
  return { projection, serialize: serializerOf(projection) };
}

function deliveryProjection(trigger, template, dialect) {
  let byTemplate = projections.get(template);
  if (byTemplate === undefined) {
    byTemplate = new Map();
    if (projections.size >= CACHE_SIZE) projections.delete(projections.keys().next().value);
    projections.set(template, byTemplate);
  } else if (projections.size > 1) {
    projections.delete(template);
    projections.set(template, byTemplate);
  }
  const key = `${dialect}\u0000${trigger}`;
  let p = byTemplate.get(key);
  if (p === undefined) {
    const { asGiven, checked } = JSON.parse(run(() => wasm.delivery_projection(trigger, template, dialect)));
    p = { asGiven: projectionOf(asGiven), checked: projectionOf(checked) };
    if (byTemplate.size >= CACHE_SIZE) byTemplate.delete(byTemplate.keys().next().value);
    byTemplate.set(key, p);
  }
  return p;
}

// The wasm arguments of a delivery: the request as JSON, the template ('' for none) and the
// visible part of the payload (and the secret, read once, for the host's signature).
function deliveryArgs(input, fn) {
  if (!input || typeof input !== 'object') throw invalidArgument(`${fn} takes an object (got ${describe(input)})`);
  const { triggerEvent, createdAt, payload, template, secret, version, dialect, subscriberUrl } = input;
  if (typeof triggerEvent !== 'string' || triggerEvent === '') throw invalidArgument('triggerEvent must be a non-empty string');
  if (createdAt !== undefined && typeof createdAt !== 'string') throw invalidArgument('createdAt must be an ISO-8601 string');
  checkText('template', template);
  checkText('secret', secret);
  checkText('version', version);
  checkText('subscriberUrl', subscriberUrl);
  if (typeof secret === 'string' && secret !== '') checkSecretText(secret);
  if (dialect !== undefined && !DIALECTS.has(dialect)) throw invalidArgument('dialect must be "calcom" or "reference"');
  const { offsets: utcOffsets, checked } = payloadZones(payload);
  // The template crosses apart from the request: neither escaped into JSON nor parsed per call.
  const source = template ?? '';
  const request = {
    triggerEvent,
    createdAt: createdAt ?? new Date().toISOString(),
    secret: secret ?? null,
    version: version ?? null,
    dialect: dialect ?? 'calcom',
    subscriberUrl: subscriberUrl ?? null,
    utcOffsets,
  };
  // Bodies from this size on are signed here by the host's native HMAC, faster than wasm.
  const signFrom = nativeHmacFrom();
  if (signFrom !== null) request.hostSignsFrom = signFrom;
  // With a template, only the part of the payload the delivery can read crosses into wasm.
  if (!source) return [JSON.stringify(request), source, dataText(payload, 'payload'), secret];
  const projections = deliveryProjection(triggerEvent, source, request.dialect);
  let chosen = projections.asGiven;
  if (checked) {
    request.attendeesChecked = true;
    chosen = projections.checked;
  }
  return [JSON.stringify(request), source, projectedText(payload, chosen.projection, chosen.serialize, 'payload'), secret];
}

function checkText(name, v) {
  if (v !== undefined && v !== null && typeof v !== 'string') throw invalidArgument(`${name} must be a string (got ${describe(v)})`);
}

// wasm's answer: the delivery's JSON without its body, a line feed, then the body. A null
// signature is the host's to compute (a body of at least hostSignsFrom bytes).
function deliveryResult(out, secret) {
  const nl = out.indexOf('\n');
  const meta = JSON.parse(out.slice(0, nl));
  const body = out.slice(nl + 1);
  const { headers } = meta;
  if (headers['X-Cal-Signature-256'] === null) headers['X-Cal-Signature-256'] = nativeSign(secret, body);
  const d = { method: meta.method };
  if (meta.url !== undefined) d.url = meta.url;
  d.headers = headers;
  d.body = body;
  d.contentType = meta.contentType;
  d.notes = meta.notes;
  return d;
}

/** What Cal.com would send: `{ method, url?, headers, body, contentType }`. */
export const buildDelivery = /* @__PURE__ */ api('buildDelivery', (input) => {
  const [request, template, payload, secret] = deliveryArgs(input, 'buildDelivery');
  // A short payload text is cheaper passed as a string (no view to make over wasm memory).
  const out = run(() =>
    payload.length <= SHORT_TEXT
      ? wasm.build_delivery(request, template, payload)
      : withInput(
          payload,
          (len) => wasm.build_delivery_input(request, template, len),
          () => wasm.build_delivery(request, template, payload),
        ),
  );
  return deliveryResult(out, secret);
});

// Render data in the word form (crossing.js): its text then its words in wasm's input buffer
// (call inside `run`). `undefined` when wasm declines the words: the caller sends JSON text.
function renderWords(inner, { text, units, words, nodes }) {
  const view = inputView(text.length * 3 + nodes * 12);
  const { read, written } = encoder.encodeInto(text, view);
  if (read !== text.length) return undefined;
  view.set(new Uint8Array(words.buffer, 0, nodes * 12), written);
  const answer = inner.render_words(written, units, nodes);
  if (Number.isNaN(answer)) return undefined;
  return readOutput(answer < 0 ? -1 - answer : answer, answer < 0);
}

// The output of render_words, read in place from wasm's output buffer. The view is kept while
// it is still the buffer's: same instance, buffer not moved (`moved`), memory not grown (a
// grown memory detaches the view, whose length then reads 0) and long enough.
let output = null;
let outputGeneration = -1;
// Safari's TextDecoder slows down after decoding about 2 GiB (as the wasm-bindgen glue does,
// a fresh one is made before that).
let decoded = 0;
let outputDecoder = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });

function readOutput(len, moved) {
  if (len === 0) return '';
  const gen = generation();
  if (moved || output === null || output.length < len || outputGeneration !== gen) {
    output = wasm.output_view();
    outputGeneration = gen;
  }
  decoded += len;
  if (decoded > 2 ** 30) {
    outputDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
    decoded = len;
  }
  return outputDecoder.decode(output.subarray(0, len));
}

// Call into wasm with `text` in wasm's reused input buffer (one native encode, used before any
// other call into wasm; call inside `run`), or as a copied string when it is long.
function withInput(text, fromInput, fromString) {
  if (text.length > INPUT_MAX) return fromString();
  const { written } = encoder.encodeInto(text, inputView(text.length * 3));
  return fromInput(written);
}

/**
 * The text Cal.com renders from `input.template` (buildDelivery's input) before it parses it
 * as JSON: the trigger's data layout and the `&quot;` replacement applied. `undefined` without
 * a template. A JSON template whose rendered text does not parse is delivered as `false`.
 */
export const renderPayloadTemplate = /* @__PURE__ */ api('renderPayloadTemplate', (input) => {
  const [request, template, payload] = deliveryArgs(input, 'renderPayloadTemplate');
  return run(() =>
    withInput(
      payload,
      (len) => wasm.render_payload_template_input(request, template, len),
      () => wasm.render_payload_template(request, template, payload),
    ),
  );
});

/** Diagnostics `{ severity, code, message, span, fix? }` for a template. */
export const lintTemplate = /* @__PURE__ */ api('lintTemplate', (source, opts) => {
  const src = sourceText(source);
  const o = options(opts, ['dialect', 'trigger']);
  return JSON.parse(runTools('lintTemplate', () => tools.lint_template(src, o)));
});

/** Apply the machine-applicable fixes of `diagnostics` (from lintTemplate) to `source`. */
export const applyFixes = /* @__PURE__ */ api('applyFixes', (source, diagnostics) => {
  const src = sourceText(source);
  if (!Array.isArray(diagnostics)) throw invalidArgument('diagnostics must be the array lintTemplate returned');
  // Fix ranges are UTF-16 offsets into `source`; apply from the end so earlier ones stay valid,
  // skipping any that overlap one already applied.
  const fixes = diagnostics
    .map((d) => d && d.fix)
    .filter((f) => f && Number.isInteger(f.start) && Number.isInteger(f.end) && typeof f.replacement === 'string')
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = src;
  let limit = Infinity;
  for (const f of fixes) {
    if (f.start < 0 || f.end > src.length || f.start > f.end || f.end > limit) continue;
    out = out.slice(0, f.start) + f.replacement + out.slice(f.end);
    limit = f.start;
  }
  return out;
});

/**
 * A diagnostic (from lintTemplate, or a CalhookError with a `span`) as text for a terminal or a
 * log: `file:line:column: severity[CODE]: message`, the source line with carets under the span,
 * and the fix as help.
 */
export const formatDiagnostic = /* @__PURE__ */ api('formatDiagnostic', (source, diagnostic, opts) => {
  const src = sourceText(source);
  if (!diagnostic || typeof diagnostic !== 'object') throw invalidArgument('diagnostic must be an object from lintTemplate (or a CalhookError)');
  if (opts !== undefined && opts !== null && typeof opts !== 'object') throw invalidArgument(`options must be an object (got ${describe(opts)})`);
  const file = opts?.file;
  if (file !== undefined && typeof file !== 'string') throw invalidArgument(`file must be a string (got ${describe(file)})`);
  const { severity, code, message, span, fix } = diagnostic;
  const str = (v) => (typeof v === 'string' ? v : undefined);
  const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const picked = {
    severity: str(severity),
    code: str(code),
    message: str(message),
    span: span && typeof span === 'object' && num(span.start) !== undefined ? { start: num(span.start), end: num(span.end) } : undefined,
    fix: fix && typeof fix === 'object' && str(fix.title) !== undefined ? { title: fix.title } : undefined,
  };
  const text = JSON.stringify(picked);
  return runTools('formatDiagnostic', () => tools.format_diagnostic(src, text, file));
});
