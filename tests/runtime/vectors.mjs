// Runs conformance vectors against a calhook module. The same file runs unchanged in Node
// (ESM and CJS), Deno, workerd and Chromium; each runtime returns the results to the Node test,
// which checks every case passed and that every runtime gave identical results.
//
// Vector format (tests/vectors/*.json):
//   { suite, cases: [{ name, fn, ctor?, args, expect: { value, partial?, project? } | { throws: CODE } }] }
// `partial`: compare only the expected object's keys; `project`: map a result array to one field.
// Argument encodings: {"$bytes": hex} → Uint8Array, {"$undefined": true} → undefined,
// {"$repeat": [string, n]} → string repeated n times, {"$arraybuffer": hex}, {"$dataview": hex},
// {"$hostile": kind} → a value no JSON can hold (see `hostile` below).

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// Values an attacker (or a confused caller) can pass: every kind must give a result or a
// CalhookError, never a raw TypeError/RangeError, and never break the instance.
const THROWING_KEYS = ['op', 'scope', 'apiKey', 'baseUrl', 'webhookId', 'body', 'subscriberUrl', 'triggers', 'triggerEvent', 'createdAt', 'payload', 'template', 'secret', 'maxBytes', 'now', 'maxAgeMs', 'maxFutureMs', 'strict', 'dialect', 'trigger', 'maxNesting', 'toJSON', 'length', 'fix'];
// Big values are built once (nothing mutates them).
function once(make) {
  let v;
  return () => (v ??= make());
}
function deep(n, make) {
  let v = {};
  for (let i = 0; i < n; i++) v = make(v);
  return v;
}
const hostile = {
  symbol: () => Symbol('hostile'),
  bigint: () => 10n ** 30n,
  function: () => () => 'hostile',
  nan: () => NaN,
  infinity: () => Infinity,
  negative: () => -1,
  fraction: () => 0.5,
  huge: () => 1e300,
  negzero: () => -0,
  string: () => 'hostile',
  emptyString: () => '',
  loneSurrogate: () => 'a\ud800b',
  boxedString: () => new String('hostile'),
  invalidDate: () => new Date(NaN),
  array: () => [1, 'two', null],
  nullProto: () => Object.create(null),
  getters: () => {
    const o = {};
    for (const k of THROWING_KEYS) Object.defineProperty(o, k, { enumerable: true, get: () => { throw new Error(`getter ${k}`); } });
    return o;
  },
  proxy: () =>
    new Proxy({}, {
      get: () => { throw new Error('proxy get'); },
      has: () => { throw new Error('proxy has'); },
      ownKeys: () => { throw new Error('proxy ownKeys'); },
      getOwnPropertyDescriptor: () => { throw new Error('proxy descriptor'); },
      getPrototypeOf: () => { throw new Error('proxy prototype'); },
    }),
  revokedProxy: () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  cyclic: () => {
    const o = { a: 1 };
    o.self = o;
    return o;
  },
  deepObject: once(() => deep(200000, (v) => ({ a: v }))),
  deepArray: once(() => deep(200000, (v) => [v])),
  moderatelyDeep: once(() => deep(5000, (v) => ({ a: v }))),
  manyKeys: once(() => Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [String(2000 - i), i]))),
  throwingToJSON: () => ({ toJSON() { throw new Error('toJSON'); } }),
  bigintInside: () => ({ a: [1, { b: 10n }] }),
};

export function decodeArg(arg) {
  if (Array.isArray(arg)) return arg.map(decodeArg);
  if (arg && typeof arg === 'object') {
    if ('$hostile' in arg) return hostile[arg.$hostile]();
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

const probe = { body: '{"triggerEvent":"HOSTILE_PROBE","createdAt":"2024-01-01T00:00:00.000Z","payload":{}}', secret: 'probe-secret' };

// After anything, a good verify works (the instance was not poisoned).
function verifyWorks(calhook) {
  try {
    return calhook.verify(probe.body, calhook.sign(probe.body, probe.secret), probe.secret) === true;
  } catch (e) {
    return `verify failed: ${e && e.name}: ${e && e.message}`;
  }
}

function typed(calhook, fn) {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof calhook.CalhookError && typeof e.code === 'string' && e.code !== '') return true;
    return `NOT_CALHOOK_ERROR: ${e && e.name}: ${String(e && e.message).slice(0, 200)}`;
  }
}

// Calls `attempt` at every depth of a recursion unwinding from the JS stack limit, so that some
// calls enter wasm with almost no stack left (the case that used to corrupt the instance).
// With `until`, stops attempting once that error was seen.
function nearStackLimit(attempt, rounds = 5, until = undefined) {
  const seen = new Set();
  function down(n) {
    try {
      down(n + 1);
    } catch (e) {
      if (until !== undefined && seen.has(until)) throw e;
      try {
        attempt();
      } catch (err) {
        seen.add(err && err.name === 'CalhookError' ? `CalhookError:${err.code}` : err && err.name);
      }
      throw e;
    }
  }
  for (let i = 0; i < rounds && !(until !== undefined && seen.has(until)); i++) {
    try {
      down(0);
    } catch {
      // The RangeError of the recursion itself.
    }
  }
  return seen;
}

// Small views over the public API for what a vector compares (not package exports).
const adapters = {
  // A call with hostile arguments gives a result or a CalhookError, and verify works after it.
  hostileCall(calhook, fn, args, ctor) {
    const ok = typed(calhook, () => call(calhook, { fn, args, ctor }, true));
    return { typed: ok, verifyAfter: verifyWorks(calhook) };
  },
  // Calls made near the JS stack limit: afterwards every kind of call works.
  nearStackLimit(calhook) {
    const seen = nearStackLimit(() => {
      calhook.renderTemplate('{{#each a}}{{#if this}}{{x}}{{/if}}{{/each}}', { a: [1, 2] });
      calhook.verify(probe.body, 'sha256=00', probe.secret);
      calhook.parseEvent(probe.body);
    });
    // Only errors the stack limit itself explains: a RangeError in JS before calhook could run,
    // or a CalhookError (INTERNAL after an overflow inside wasm, INVALID_ARGUMENT before it).
    const unexpected = [...seen].filter((k) => k !== 'RangeError' && !/^CalhookError:(INTERNAL|INVALID_ARGUMENT)$/.test(k));
    return {
      unexpected,
      verifyAfter: verifyWorks(calhook),
      renderAfter: calhook.renderTemplate('{{#if a}}{{b}}{{/if}}', { a: true, b: 'ok' }),
      parseAfter: calhook.parseEvent(probe.body).triggerEvent,
    };
  },
  // Objects built before an instance reset keep working (rebuilt transparently).
  survivesReset(calhook) {
    const verifier = new calhook.Verifier(probe.secret);
    const template = calhook.compileTemplate('{{#each a}}{{this}}{{/each}}');
    const header = calhook.sign(probe.body, probe.secret);
    // A call that grows wasm memory past the reset threshold (64 MiB) replaces the instance.
    const big = typed(calhook, () => calhook.parseEvent(' '.repeat(70 * 1024 * 1024) + '{', { maxBytes: 2 ** 27 }));
    const result = {
      big,
      verifier: verifier.verify(probe.body, header),
      wrongSecret: new calhook.Verifier('other').verify(probe.body, header),
      check: verifier.check(probe.body, header).code,
      template: template.render({ a: [1, 2, 3] }),
      variables: template.variables,
    };
    verifier.free();
    template.free();
    result.freedIsTyped = typed(calhook, () => verifier.verify(probe.body, header));
    return result;
  },
  // Memory seen through the public wasmMemoryBytes(): a body over maxBytes is refused before it
  // is copied into wasm, and a call that grows memory past the reset threshold (64 MiB) hands it
  // back (a fresh instance is about 1 MiB).
  memoryGivenBack(calhook) {
    verifyWorks(calhook);
    const baseline = calhook.wasmMemoryBytes();
    let refused = null;
    try {
      calhook.parseEvent(' '.repeat(20 * 1024 * 1024) + '{}');
    } catch (e) {
      refused = e.code;
    }
    const afterRefused = calhook.wasmMemoryBytes();
    const blob = 'x'.repeat(70 * 1024 * 1024);
    const big = `{"triggerEvent":"HOSTILE_PROBE","createdAt":"2024-01-01T00:00:00.000Z","payload":{"blob":"${blob}"}}`;
    const bigParsed = calhook.parseEvent(big, { maxBytes: 2 ** 28, maxAgeMs: null, maxFutureMs: null }).payload.blob.length === blob.length;
    const after = calhook.wasmMemoryBytes();
    return {
      baselineSmall: baseline > 0 && baseline < 64 * 1024 * 1024,
      refused,
      grewForRefused: afterRefused > baseline,
      bigParsed,
      backToFresh: after > 0 && after < 8 * 1024 * 1024 && verifyWorks(calhook),
    };
  },
  // The issue's trap: deep nesting past the wasm stack with a user-raised limit.
  deepTemplate(calhook, depth, maxNesting) {
    const source = '{{#if a}}'.repeat(depth) + 'x' + '{{/if}}'.repeat(depth);
    return { typed: typed(calhook, () => calhook.compileTemplate(source, { maxNesting }).render({ a: true })), verifyAfter: verifyWorks(calhook) };
  },
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
  // The subscriberUrl issue codes of a create body (tests/vectors/urls.json, from tests/url_hosts.rs).
  urlVerdict(calhook, url) {
    const { issues } = calhook.validateWebhookCreate({ subscriberUrl: url, triggers: ['BOOKING_CREATED'] });
    return { codes: issues.filter((i) => i.path === 'subscriberUrl').map((i) => i.code).sort() };
  },
  // The list request's URL for a base URL, or the error code.
  baseUrlVerdict(calhook, baseUrl) {
    try {
      return { url: calhook.webhookRequest({ op: 'list', apiKey: 'cal_test_x', baseUrl }).url };
    } catch (e) {
      return { error: e.code };
    }
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
  // Where a management request really goes: its URL read by this runtime's `URL` (as `fetch`
  // reads it, dot segments resolved), as the host and the decoded path segments. An id must stay
  // one segment whatever it holds ('..', '/', '%2e').
  requestTarget(calhook, input) {
    const u = new URL(calhook.webhookRequest(input).url);
    return { host: u.host, segments: u.pathname.split('/').slice(1).map(decodeURIComponent) };
  },
  // The HTTP status errorResponse gives the error a call throws (null when it does not throw).
  errorStatus(calhook, fn, args) {
    try {
      call(calhook, { fn, args }, true);
      return null;
    } catch (e) {
      const res = calhook.errorResponse(e);
      return { code: e.code, status: res.status };
    }
  },
  // The method and URL of a management request.
  requestLine(calhook, input) {
    const r = calhook.webhookRequest(input);
    return [r.method, r.url];
  },
};

// `decoded`: the arguments are live values already (an adapter's), not JSON encodings.
function call(calhook, c, decoded = false) {
  const args = decoded ? c.args : decodeArg(c.args ?? []);
  const [target, method] = c.fn.split('#');
  if (adapters[target]) return adapters[target](calhook, ...args);
  if (!method) return calhook[target](...args);
  const ctorArgs = decoded ? (c.ctor ?? []) : decodeArg(c.ctor ?? []);
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
