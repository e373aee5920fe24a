// Runs conformance vectors against a calhook module. The same file runs unchanged in Node
// (ESM and CJS), Deno, workerd and Chromium; each runtime returns the results to the Node test,
// which checks every case passed and that every runtime gave identical results.
//
// Vector format (tests/vectors/*.json):
//   { suite, cases: [{ name, fn, ctor?, args, expect: { value, partial?, project? } | { throws: CODE } }] }
// `partial`: compare only the expected object's keys; `project`: map a result array to one field.
// Argument encodings: {"$bytes": hex} → Uint8Array, {"$undefined": true} → undefined,
// {"$repeat": [string, n]} → string repeated n times, {"$arraybuffer": hex}, {"$dataview": hex}.

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function decodeArg(arg) {
  if (Array.isArray(arg)) return arg.map(decodeArg);
  if (arg && typeof arg === 'object') {
    if ('$bytes' in arg) return hexToBytes(arg.$bytes);
    if ('$arraybuffer' in arg) return hexToBytes(arg.$arraybuffer).buffer;
    if ('$dataview' in arg) return new DataView(hexToBytes(arg.$dataview).buffer);
    if ('$undefined' in arg) return undefined;
    if ('$repeat' in arg) return arg.$repeat[0].repeat(arg.$repeat[1]);
    const out = {};
    for (const [k, v] of Object.entries(arg)) out[k] = decodeArg(v);
    return out;
  }
  return arg;
}

// A canonical JSON text for comparing results (undefined properties dropped, as JSON does).
export function canonical(value) {
  return JSON.stringify(value, (_key, v) => (v instanceof Uint8Array ? { $bytes: Array.from(v) } : v));
}

// Small views over the public API for what a vector compares (not package exports).
const adapters = {
  // The span of the error a template's compilation throws.
  spanOf(calhook, source, options) {
    try {
      calhook.compileTemplate(source, options);
    } catch (e) {
      return e.span ?? null;
    }
    return null;
  },
  // The JSON paths of the issues a body's parse reports.
  issuePaths(calhook, body) {
    try {
      calhook.parseEvent(body);
    } catch (e) {
      return (e.issues ?? []).map((i) => i.path);
    }
    return [];
  },
  // The error code and issue codes a parse reports.
  issueCodesOfParse(calhook, body, options) {
    try {
      calhook.parseEvent(body, options);
    } catch (e) {
      return (e.issues ?? []).map((i) => i.code);
    }
    return [];
  },
  // The codes of the issues of a webhook create body.
  issueCodes(calhook, input) {
    return calhook.validateWebhookCreate(input).issues.map((i) => i.code);
  },
  // A trigger's sample, serialized and parsed back.
  sampleRoundTrip(calhook, trigger) {
    const e = calhook.parseEvent(JSON.stringify(calhook.samplePayload(trigger)));
    return { triggerEvent: e.triggerEvent, known: e.known, shape: e.shape };
  },
  // The parts of a delivery the Cal.com oracle decides.
  deliverySummary(calhook, input) {
    const d = calhook.buildDelivery(input);
    return { body: d.body, contentType: d.contentType, signature: d.headers['X-Cal-Signature-256'] };
  },
  // Template data given as JSON text, parsed by this runtime's JSON.parse (`1e400` becomes
  // Infinity, which a JSON vector cannot hold).
  renderJson(calhook, source, dataText, options) {
    return calhook.renderTemplate(source, JSON.parse(dataText), options);
  },
  compiledRenderJson(calhook, source, dataText) {
    return calhook.compileTemplate(source).render(JSON.parse(dataText));
  },
  deliveryJson(calhook, input, payloadText) {
    return adapters.deliverySummary(calhook, { ...input, payload: JSON.parse(payloadText) });
  },
  // What a parse reports besides the payload: validity, trigger and warnings as [path, code].
  eventWarnings(calhook, body, options) {
    const e = calhook.parseEvent(body, options);
    return { valid: e.valid, known: e.known, triggerEvent: e.triggerEvent, warnings: e.warnings.map((w) => [w.path, w.code]) };
  },
  // verifyEvent's warnings (the signature's join the event's) as [path, code].
  verifyWarnings(calhook, body, header, secret) {
    return calhook.verifyEvent(body, header, secret).warnings.map((w) => [w.path, w.code]);
  },
  checkWarnings(calhook, body, header, secret) {
    const r = calhook.check(body, header, secret);
    return { ok: r.ok, code: r.code, warnings: (r.warnings ?? []).map((w) => w.code) };
  },
  // An invalid body: the event INVALID_PAYLOAD carries, and the one acceptInvalid returns.
  uncheckedEvent(calhook, body, options) {
    let thrown = null;
    try {
      calhook.parseEvent(body, options);
    } catch (e) {
      thrown = { code: e.code, valid: e.event?.valid, triggerEvent: e.event?.triggerEvent, same: JSON.stringify(e.event?.issues) === JSON.stringify(e.issues) };
    }
    const e = calhook.parseEvent(body, { ...options, acceptInvalid: true });
    return { thrown, valid: e.valid, triggerEvent: e.triggerEvent, payload: e.payload, issues: (e.issues ?? []).map((i) => [i.path, i.code]), warnings: e.warnings.map((w) => [w.path, w.code]) };
  },
  // The JSON position of a NOT_JSON error.
  jsonErrorOf(calhook, body) {
    try {
      calhook.parseEvent(body);
    } catch (e) {
      return { code: e.code, offset: e.json?.offset, line: e.json?.line, column: e.json?.column };
    }
    return null;
  },
  // A webhook body's validation as { ok, issues: [path, code, severity] }.
  webhookIssues(calhook, input, update) {
    const r = update ? calhook.validateWebhookUpdate(input) : calhook.validateWebhookCreate(input);
    return { ok: r.ok, issues: r.issues.map((i) => [i.path, i.code, i.severity]) };
  },
  // The method and URL of a management request.
  requestLine(calhook, input) {
    const r = calhook.webhookRequest(input);
    return [r.method, r.url];
  },
};

function call(calhook, c) {
  const args = decodeArg(c.args ?? []);
  const [target, method] = c.fn.split('#');
  if (adapters[target]) return adapters[target](calhook, ...args);
  if (!method) return calhook[target](...args);
  const ctorArgs = decodeArg(c.ctor ?? []);
  const receiver = /^[A-Z]/.test(target) ? new calhook[target](...ctorArgs) : calhook[target](...ctorArgs);
  // A getter (e.g. Template#variables) is read; a method is called.
  return typeof receiver[method] === 'function' ? receiver[method](...args) : receiver[method];
}

function outcome(calhook, c) {
  try {
    const value = call(calhook, c);
    return { value: value === undefined ? null : JSON.parse(canonical(value)) };
  } catch (err) {
    const isCalhook = err instanceof calhook.CalhookError;
    return { throws: isCalhook ? err.code : `NOT_CALHOOK_ERROR: ${err && err.name}: ${err && err.message}` };
  }
}

function pick(expect, got) {
  // An expected value may be a subset of the result (e.g. only `code` and `ok`).
  if ('throws' in expect || !('value' in expect) || !('value' in got)) return got;
  if (expect.project && Array.isArray(got.value)) return { value: got.value.map((item) => item[expect.project]) };
  if (expect.partial && got.value && typeof got.value === 'object') {
    const value = {};
    for (const k of Object.keys(expect.value)) value[k] = got.value[k];
    return { value };
  }
  return got;
}

/** Run every case; returns [{ suite, name, pass, got }]. */
export function runVectors(calhook, suites) {
  const results = [];
  for (const suite of suites) {
    for (const c of suite.cases) {
      const got = pick(c.expect, outcome(calhook, c));
      const expected = 'throws' in c.expect ? { throws: c.expect.throws } : { value: c.expect.value };
      results.push({ suite: suite.suite, name: c.name, pass: canonical(got) === canonical(expected), got });
    }
  }
  return results;
}
