// Template preview: trigger + sample payload + payloadTemplate (+ dialect, secret) → exactly what
// Cal.com would send (body, Content-Type, X-Cal-Signature-256), live, with inline lint findings
// and one-click fixes, a variable list that inserts at the cursor, and the state in the URL.
import { createEditor, minimalChange } from './editor.js';
import { $, h, byteCount, appendVisible, copyText, richText, messageNode } from './ui.js';
import { writeState, shareUrl } from './state.js';
import { lineCol } from './jsonpos.js';
import { createLinter } from './linter.js';
import { forEachDiagnostic } from '@codemirror/lint';

export const REFERENCE_EXAMPLE = '{"event": "{{triggerEvent}}", "booking_id": "{{payload.uid}}", "attendee": "{{payload.attendees[0].email}}"}';
const EXAMPLES = [
  ['The API reference’s example (breaks on Cal.com)', REFERENCE_EXAMPLE],
  ['The same, as Cal.com renders it', '{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}'],
  ['Slack message', '{\n  "text": "New booking: {{title}} with {{attendees.0.name}} ({{attendees.0.email}}) at {{startTime}}"\n}'],
  ['Every attendee’s email ({{#each}})', '{\n  "uid": "{{uid}}",\n  "emails": "{{#each attendees}}{{email}}{{#unless @last}}, {{/unless}}{{/each}}"\n}'],
  ['Not JSON: sent as a form', 'event={{triggerEvent}}&uid={{uid}}&email={{attendees.0.email}}'],
  ['Empty: the default body', ''],
];
const SIG = 'x-cal-signature-256';
const VERSION = 'x-cal-webhook-version';

function headerOf(headers, name) {
  if (!headers) return undefined;
  if (headers instanceof Map) headers = Object.fromEntries(headers);
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

export function initTemplate(api, { samplePayloadOf, state, signature, selectTab, module }) {
  const triggers = api.TRIGGERS;
  const names = new Set(triggers.map((t) => t.name));
  const select = $('trigger');
  const desc = $('trigger-desc');
  const secret = $('tpl-secret');
  const createdAt = $('created-at');
  const outStatus = $('out-status');
  const outCtype = $('out-ctype');
  const outSig = $('out-sig');
  const outVersion = $('out-version');
  const outVersionRow = $('out-version-row');
  const outBody = $('out-body');
  const outBytes = $('out-bytes');
  const outExplain = $('out-explain');
  const outTiming = $('out-timing');
  const findingsList = $('tpl-findings');
  const varsList = $('vars');
  const varsFilter = $('vars-filter');
  const payloadError = $('payload-error');
  const payloadState = $('payload-state');

  // Trigger picker: documented triggers first, then the ones Cal.com also sends, then the
  // documented ones it never sends.
  const groups = [
    ['Documented in the API reference', (t) => t.documented && t.emitted !== false && t.subscribable !== false],
    ['Also sent by Cal.com', (t) => !t.documented && t.emitted !== false && t.subscribable !== false],
    ['Not subscribable (the “Ping test” button)', (t) => t.subscribable === false && t.emitted !== false],
    ['Documented, never sent', (t) => t.emitted === false],
  ];
  for (const [label, pick] of groups) {
    const list = triggers.filter(pick);
    if (!list.length) continue;
    select.append(h('optgroup', { label }, list.map((t) => h('option', { value: t.name, title: t.description }, t.name))));
  }

  let trigger = names.has(state.trigger) ? state.trigger : names.has('BOOKING_CREATED') ? 'BOOKING_CREATED' : triggers[0].name;
  let dialect = state.dialect === 'reference' ? 'reference' : 'calcom';
  let payloadEdited = false;
  let suppress = false;
  let payload; // the last payload that parsed
  let bodyView = 'pretty';
  let last = { body: '', header: '', source: '' };

  select.value = trigger;
  document.querySelector(`input[name=dialect][value=${dialect}]`).checked = true;

  let frame = 0;
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(update);
  };

  const tpl = createEditor({
    parent: $('tpl-editor'),
    doc: state.template ?? REFERENCE_EXAMPLE,
    lang: 'handlebars',
    label: 'payloadTemplate',
    exact: true,
    lint: true,
    minLines: 8,
    placeholder: 'Empty: Cal.com sends its default JSON body',
    onChange: () => {
      schedule();
      writeState({ template: tpl.value });
    },
  });

  const payloadEditor = createEditor({
    parent: $('payload-editor'),
    lang: 'json',
    label: 'Sample payload (JSON)',
    exact: true,
    lint: true,
    minLines: 12,
    onChange: (text) => {
      if (suppress) return;
      payloadEdited = true;
      payloadState.textContent = 'edited';
      writeState({ payload: compactOrRaw(text) });
      schedule();
    },
  });

  function compactOrRaw(text) {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      return text;
    }
  }

  function loadSample({ keepEdits = false } = {}) {
    const sample = api.samplePayload(trigger);
    const envelopeCreatedAt = sample && typeof sample === 'object' && typeof sample.createdAt === 'string' ? sample.createdAt : new Date(0).toISOString();
    if (!keepEdits || !createdAt.value) createdAt.value = envelopeCreatedAt;
    if (keepEdits && payloadEdited) return;
    const data = samplePayloadOf(trigger);
    suppress = true;
    payloadEditor.set(JSON.stringify(data, null, 2));
    suppress = false;
    payloadEdited = false;
    payloadState.textContent = 'realistic sample for the trigger; edit freely';
    writeState({ payload: null });
  }

  const DIALECT_HINTS = {
    calcom: 'calcom: exactly what the real Cal.com sender does — booking data is flat ({{uid}}, {{attendees.0.email}}) and Handlebars syntax applies.',
    reference: 'reference: what the API reference documents — {{payload.uid}} and {{payload.attendees[0].email}} work as written there (they do not on the real sender).',
  };
  function describeDialect() {
    $('dialect-hint').textContent = DIALECT_HINTS[dialect];
  }

  function describe() {
    const info = (api.describeTrigger ? api.describeTrigger(trigger) : null) ?? triggers.find((t) => t.name === trigger);
    desc.replaceChildren(
      ...[
      h('span', {}, info?.description ?? ''),
      ' ',
      info?.documented ? h('span', { class: 'badge' }, 'documented') : h('span', { class: 'badge warn' }, 'not in the API reference'),
      info?.emitted === false ? h('span', { class: 'badge err' }, 'never sent by Cal.com') : null,
      info?.subscribable === false ? h('span', { class: 'badge' }, 'not subscribable') : null,
      ].filter(Boolean),
    );
  }

  // Booking-style triggers render against flat data (`{{uid}}`); generic ones under `payload.`.
  function variables() {
    try {
      const vars = api.templateVariables(trigger, { dialect });
      const flat = !api.templateVariables(trigger).some((v) => v.path.startsWith('payload.'));
      return { vars, flat };
    } catch {
      return { vars: [], flat: true };
    }
  }

  // `{{path}}` at the cursor, or just the path when the cursor is already inside a mustache.
  function insertVariable(path) {
    const { from } = tpl.view.state.selection.main;
    const before = tpl.value.slice(Math.max(0, from - 200), from);
    const inside = before.lastIndexOf('{{') > before.lastIndexOf('}}');
    tpl.insert(inside ? path : `{{${path}}}`);
  }

  function renderVars() {
    const { vars } = variables();
    const q = varsFilter.value.trim().toLowerCase();
    const shown = q ? vars.filter((v) => v.path.toLowerCase().includes(q) || (v.description ?? '').toLowerCase().includes(q)) : vars;
    varsList.replaceChildren(
      ...shown.map((v) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', title: `Insert {{${v.path}}}${v.description ? ` — ${v.description}` : ''}`, 'data-path': v.path, onclick: () => insertVariable(v.path) },
            h('code', {}, v.path),
            h('span', { class: 'type' }, v.type ?? ''),
            h('span', { class: 'd' }, v.description ?? ''),
          ),
        ),
      ),
    );
    if (!shown.length) varsList.append(h('li', { class: 'muted small' }, q ? 'No variable matches.' : 'No variables.'));
  }

  let payloadText = null;
  function readPayload() {
    const text = payloadEditor.value;
    if (text === payloadText) return;
    payloadText = text;
    try {
      payload = JSON.parse(text);
      payloadError.hidden = true;
      payloadEditor.diagnostics([]);
    } catch (e) {
      payloadError.hidden = false;
      payloadError.textContent = `The payload is not valid JSON (${e.message}); the preview uses the last valid one.`;
      const m = /position (\d+)/.exec(e.message);
      const at = m ? Math.min(Number(m[1]), text.length) : text.length;
      payloadEditor.diagnostics([{ from: at, to: Math.min(at + 1, text.length), severity: 'error', message: e.message }]);
      $('payload-details').open = true;
    }
  }

  // ---- diagnostics -------------------------------------------------------------------------

  function toCm(d, source) {
    const len = source.length;
    const span = d.span ?? { start: 0, end: 0 };
    let from = Math.max(0, Math.min(len, span.start ?? 0));
    let to = Math.max(from, Math.min(len, span.end ?? from));
    const diag = {
      from,
      to,
      severity: d.severity === 'error' ? 'error' : d.severity === 'info' || d.severity === 'hint' ? 'info' : 'warning',
      message: d.message,
      renderMessage: () => h('div', {}, messageNode(d.message), ' ', h('span', { class: 'code' }, d.code)),
    };
    if (d.fix && api.applyFixes) diag.actions = [{ name: plainLabel(d), apply: (_view, from) => applyFix(d, from) }];
    return diag;
  }

  function fixLabel(d) {
    return d.fix?.title ?? d.fix?.label ?? d.fix?.description ?? 'Fix';
  }
  const plainLabel = (d) => fixLabel(d).replace(/`/g, '');

  // The findings for the current text: the worker's when they are fresh, else linted now (a
  // click on a fix while the worker is behind must not apply offsets of an older text).
  function currentFindings() {
    const source = tpl.value;
    if (lintFresh.key === lintKey(source)) return lintFresh.list;
    try {
      return api.lintTemplate(source, { dialect, trigger }) ?? [];
    } catch {
      return [];
    }
  }

  function applyFix(shown, at) {
    const source = tpl.value;
    // The same finding in the current text: same code and fix, nearest to where it is now.
    const target = at ?? shown.span?.start ?? 0;
    const same = currentFindings().filter((x) => x.fix && x.code === shown.code && fixLabel(x) === fixLabel(shown));
    const d = same.sort((a, b) => Math.abs(a.span.start - target) - Math.abs(b.span.start - target))[0];
    if (!d) return;
    let fixed;
    try {
      fixed = api.applyFixes(source, [d]);
    } catch {
      return;
    }
    if (typeof fixed !== 'string' || fixed === source) return;
    const change = minimalChange(source, fixed);
    // The cursor after the fixed text (the end of the fix's replacement).
    const end = Number.isInteger(d.fix?.start) && typeof d.fix?.replacement === 'string' ? d.fix.start + d.fix.replacement.length : change.from + change.insert.length;
    tpl.view.dispatch({ changes: change, selection: { anchor: Math.min(end, fixed.length) } });
    tpl.focus();
  }

  // Lint runs in a worker (see linter.js); the syntax error from the delivery shows at once.
  const MAX_FINDINGS = 40;
  const lintKey = (source) => JSON.stringify([source, dialect, trigger]);
  let lintFresh = { key: null, list: [] };
  let lastError = null;
  let syntaxShown = null; // the CodeMirror diagnostic of the delivery's syntax error, if shown
  let renderedKey = null;
  const linter = api.lintTemplate ? createLinter(api, module, onLint) : null;

  function onLint({ key, list, error }) {
    if (key !== lintKey(tpl.value)) return; // stale: a newer request is already queued
    lintFresh = { key, list: error?.span ? [{ severity: 'error', ...error }] : list };
    showDiagnostics(tpl.value, lintFresh.list, lastError, key);
  }

  function syntaxDiagnostic(deliveryError, list) {
    const es = deliveryError?.span;
    if (!es) return null;
    // A syntax error the linter already reports (at an overlapping span) is not repeated.
    if (list.some((d) => d.severity === 'error' && d.span && d.span.start <= es.end && es.start <= d.span.end)) return null;
    return { severity: 'error', code: deliveryError.code, message: deliveryError.message, span: es };
  }

  function diagnose(source, deliveryError) {
    lastError = deliveryError;
    const key = lintKey(source);
    if (!linter || lintFresh.key === key) {
      showDiagnostics(source, linter ? lintFresh.list : [], deliveryError, key);
      return;
    }
    linter.request(key, source, { dialect, trigger });
    // Until the linter answers: the previous findings (CodeMirror maps them through the edits)
    // and this version's syntax error.
    // CodeMirror maps the shown findings through edits by itself: touch them only when the
    // syntax error appears, changes or goes.
    const syn = syntaxDiagnostic(deliveryError, []);
    if (syn || syntaxShown) {
      const kept = [];
      forEachDiagnostic(tpl.view.state, (d, from, to) => {
        if (d !== syntaxShown) kept.push({ ...d, from, to });
      });
      syntaxShown = syn ? toCm(syn, source) : null;
      tpl.diagnostics(syntaxShown ? [syntaxShown, ...kept] : kept);
    }
    findingsList.dataset.state = 'pending';
    renderedKey = null;
  }

  function showDiagnostics(source, lintList, deliveryError, key) {
    const stamp = `${key}|${deliveryError?.code ?? ''}|${deliveryError?.span?.start ?? ''}`;
    if (stamp === renderedKey) return;
    renderedKey = stamp;
    const syn = syntaxDiagnostic(deliveryError, lintList);
    const list = syn ? [syn, ...lintList] : lintList;
    const cm = list.map((d) => toCm(d, source));
    syntaxShown = syn ? cm[0] : null;
    tpl.diagnostics(cm);
    findingsList.replaceChildren(...list.slice(0, MAX_FINDINGS).map((d) => findingItem(d, source)));
    if (list.length > MAX_FINDINGS) {
      findingsList.append(h('li', { class: 'more' }, h('span'), h('span', { class: 'muted small' }, `${list.length - MAX_FINDINGS} more findings: see the markers beside the lines.`), h('span')));
    }
    const fixable = list.filter((d) => d.fix);
    if (fixable.length > 1 && api.applyFixes) {
      findingsList.append(
        h('li', { class: 'fixall' }, h('span'), h('span', { class: 'muted small' }, `${fixable.length} findings have a fix.`), h('button', { type: 'button', class: 'btn small primary', id: 'fix-all', onclick: () => applyAll() }, 'Fix all')),
      );
    }
    findingsList.dataset.state = 'fresh';
  }

  function findingItem(d, source) {
    const pos = d.span?.line ? { line: d.span.line, column: d.span.column } : lineCol(source, d.span?.start ?? 0);
    return h(
      'li',
      { class: d.severity ?? 'warning', 'data-code': d.code, 'data-line': pos.line },
      h(
        'button',
        {
          type: 'button',
          class: 'where',
          'aria-label': `Go to line ${pos.line}, column ${pos.column}`,
          onclick: () => {
            const start = Math.min(d.span?.start ?? 0, tpl.value.length);
            tpl.view.dispatch({ selection: { anchor: start, head: Math.min(d.span?.end ?? start, tpl.value.length) }, scrollIntoView: true });
            tpl.focus();
          },
        },
        `${pos.line}:${pos.column}`,
      ),
      h('div', { class: 'msg' }, messageNode(d.message), ' ', h('span', { class: 'code' }, d.code)),
      d.fix && api.applyFixes ? h('button', { type: 'button', class: 'btn small primary fix', 'data-fix': d.code, title: 'Apply this fix', onclick: () => applyFix(d) }, richText(fixLabel(d))) : h('span'),
    );
  }

  function applyAll() {
    const source = tpl.value;
    let fixed;
    try {
      fixed = api.applyFixes(source, currentFindings().filter((d) => d.fix));
    } catch {
      return;
    }
    if (typeof fixed !== 'string' || fixed === source) return;
    tpl.view.dispatch({ changes: minimalChange(source, fixed) });
    tpl.focus();
  }

  // ---- the delivery --------------------------------------------------------------------------

  // The body is shown in a read-only editor: it renders only the lines in view, so a large
  // body costs no more per keystroke than a small one.
  const bodyEditor = createEditor({ parent: outBody, lang: 'json', label: 'Body', exact: true, readOnly: true, minLines: 4 });
  const outNone = $('out-none');

  function showBody(body, contentType) {
    const isJson = /^application\/json/i.test(contentType ?? '');
    const pretty = bodyView === 'pretty' && isJson && body !== 'false';
    let text = body;
    if (pretty) {
      try {
        text = JSON.stringify(JSON.parse(body), null, 2);
      } catch {
        /* show as is */
      }
    }
    outBody.hidden = false;
    outNone.hidden = true;
    bodyEditor.setLang(isJson ? 'json' : 'text');
    bodyEditor.set(text);
    outBody.dataset.view = pretty ? 'pretty' : 'exact';
    outBytes.textContent = `· ${byteCount(body)}${pretty ? ' · shown pretty-printed; the bytes sent are compact' : ''}`;
  }

  function explainFalse(source) {
    const parts = [
      h('strong', {}, 'The body is the literal false. '),
      'The template is JSON, so Cal.com runs JSON.parse on the rendered text — and it is not valid JSON, typically because a substituted value contains a quote, a backslash or a newline inside a string. Cal.com then sends JSON.stringify(false), as application/json. Handlebars has no JSON escaping: keep free-text fields out of JSON strings, or treat a false body as a lost payload in your receiver.',
    ];
    // The rendered text, where the page knows the sender's template data exactly: the calcom
    // dialect with flat data `{...payload, triggerEvent, createdAt}`.
    const { flat } = variables();
    if (api.renderTemplate && dialect === 'calcom' && flat && payload && typeof payload === 'object' && !Array.isArray(payload)) {
      let rendered = null;
      try {
        rendered = api.renderTemplate(source, { ...payload, triggerEvent: trigger, createdAt: createdAt.value }, { dialect }).replaceAll('&quot;', '"');
      } catch {
        rendered = null;
      }
      if (rendered !== null) {
        let why = '';
        try {
          JSON.parse(rendered);
        } catch (e) {
          why = e.message;
        }
        parts.push(h('div', { class: 'small', style: 'margin-top:6px' }, 'The rendered text', why ? ` (JSON.parse: ${why})` : '', ':'));
        const pre = h('pre', {});
        appendVisible(pre, rendered);
        parts.push(pre);
      }
    }
    return parts;
  }

  // Copy, view and hand-off buttons only do something when there is a request.
  const outControls = ['view-pretty', 'view-exact', 'tpl-check'].map($).concat([...document.querySelectorAll('#panel-template [data-copy=body], #panel-template [data-copy=header]')]);
  function setOutputControls(on) {
    for (const el of outControls) el.disabled = !on;
  }

  let tDelivery = 0;
  let tFindings = 0;
  let tBody = 0;
  function update() {
    frame = 0;
    const t0 = performance.now();
    refresh();
    const ms = performance.now() - t0;
    outTiming.textContent = `${ms < 1 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
    outTiming.title = `Last update: ${ms.toFixed(2)} ms in all; delivery ${tDelivery.toFixed(2)} ms, findings ${tFindings.toFixed(2)} ms, body ${tBody.toFixed(2)} ms (linting itself runs in a worker)`;
  }

  function refresh() {
    const t0 = performance.now();
    const source = tpl.value;
    readPayload();
    let delivery = null;
    let error = null;
    try {
      delivery = api.buildDelivery({
        triggerEvent: trigger,
        createdAt: createdAt.value,
        payload,
        template: source,
        secret: secret.value,
        version: $('tpl-version').checked ? '2021-10-20' : null,
        dialect,
      });
    } catch (e) {
      error = e;
    }
    const t1 = performance.now();
    diagnose(source, error);
    tDelivery = t1 - t0;
    tFindings = performance.now() - t1;

    outExplain.hidden = true;
    if (!delivery) {
      last = { body: '', header: '', source };
      outStatus.className = 'status err';
      const ours = error?.code === 'INVALID_ARGUMENT';
      outStatus.replaceChildren(
        h('strong', {}, ours ? 'Check the inputs. ' : 'Cal.com would send nothing. '),
        messageNode(error?.message ?? String(error)),
        ' ',
        h('span', { class: 'code badge err', 'data-testid': 'delivery-error' }, error?.code ?? 'ERROR'),
      );
      outCtype.textContent = '—';
      outSig.textContent = '—';
      outVersionRow.hidden = true;
      outBody.hidden = true;
      outNone.hidden = false;
      outNone.textContent = ours ? 'No preview: an input above is not valid.' : 'No request: this throws on the real sender, so the webhook is not delivered.';
      setOutputControls(false);
      outBytes.textContent = '';
      return;
    }
    setOutputControls(true);
    const contentType = delivery.contentType ?? headerOf(delivery.headers, 'content-type');
    const sig = headerOf(delivery.headers, SIG) ?? '';
    const version = headerOf(delivery.headers, VERSION);
    last = { body: delivery.body, header: sig, source };
    outCtype.textContent = contentType;
    outSig.textContent = sig;
    outVersionRow.hidden = !version;
    outVersion.textContent = version ?? '';
    const tb = performance.now();
    showBody(delivery.body, contentType);
    tBody = performance.now() - tb;

    const isJson = /^application\/json/i.test(contentType ?? '');
    outStatus.className = 'status ok';
    const what = !source ? 'No template: the default body, JSON.stringify({triggerEvent, createdAt, payload}).' : isJson ? 'The template is JSON: the rendered text is parsed and re-serialized compactly.' : 'The template is not JSON, so the rendered text is sent as is, as application/x-www-form-urlencoded.';
    outStatus.replaceChildren(h('strong', {}, `${delivery.method ?? 'POST'} `), what);
    // What the emulation had to assume or adjust (e.g. a time zone without offset data).
    if (Array.isArray(delivery.notes) && delivery.notes.length) outStatus.append(h('ul', { class: 'notes' }, delivery.notes.map((n) => h('li', {}, richText(n)))));
    if (isJson && delivery.body === 'false') {
      outStatus.className = 'status warn';
      outExplain.hidden = false;
      outExplain.replaceChildren(...explainFalse(source));
    }
  }

  // ---- wiring --------------------------------------------------------------------------------

  select.addEventListener('change', () => {
    trigger = select.value;
    writeState({ trigger });
    describe();
    loadSample();
    renderVars();
    schedule();
  });
  for (const radio of document.querySelectorAll('input[name=dialect]')) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      dialect = radio.value;
      writeState({ dialect });
      describeDialect();
      renderVars();
      schedule();
    });
  }
  secret.addEventListener('input', schedule);
  $('tpl-version').addEventListener('change', schedule);
  createdAt.addEventListener('input', schedule);
  varsFilter.addEventListener('input', renderVars);
  $('payload-reset').addEventListener('click', () => loadSample());
  const examples = $('tpl-examples');
  for (const [i, [label]] of EXAMPLES.entries()) examples.append(h('option', { value: String(i) }, label));
  examples.addEventListener('change', () => {
    const ex = EXAMPLES[Number(examples.value)];
    if (examples.value !== '' && ex) tpl.set(ex[1]);
    examples.value = '';
  });
  $('tpl-clear').addEventListener('click', () => {
    tpl.set('');
    tpl.focus();
  });
  for (const [id, view] of [
    ['view-pretty', 'pretty'],
    ['view-exact', 'exact'],
  ]) {
    $(id).addEventListener('click', () => {
      bodyView = view;
      $('view-pretty').setAttribute('aria-pressed', String(view === 'pretty'));
      $('view-exact').setAttribute('aria-pressed', String(view === 'exact'));
      schedule();
    });
  }
  $('tpl-check').addEventListener('click', () => {
    signature.load({ text: last.body, headerValue: last.header, secretValue: secret.value });
    selectTab('signature', { focus: true });
  });
  $('tpl-share').addEventListener('click', () => copyText(shareUrl(), 'Link copied'));

  // Initial state (from the URL when present).
  describe();
  describeDialect();
  loadSample();
  if (state.payload !== undefined) {
    let text = state.payload;
    try {
      text = JSON.stringify(JSON.parse(state.payload), null, 2);
    } catch {
      /* keep the raw text */
    }
    suppress = true;
    payloadEditor.set(text);
    suppress = false;
    payloadEdited = true;
    payloadState.textContent = 'edited (from the link)';
    if (state.payload) $('payload-details').open = true;
  }
  renderVars();
  writeState({ trigger, dialect, template: tpl.value });
  update();

  return {
    copy: {
      body: () => last.body,
      header: () => last.header,
      template: () => tpl.value,
    },
    onShow: () => tpl.view.requestMeasure(),
    /** Preview a template from elsewhere (the config panel), optionally for a trigger. */
    load({ template, trigger: next }) {
      if (next && names.has(next) && next !== trigger) {
        select.value = next;
        select.dispatchEvent(new Event('change'));
      }
      tpl.set(template);
    },
  };
}
