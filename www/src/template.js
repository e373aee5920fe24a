// Template preview: trigger + sample payload + payloadTemplate (+ dialect, secret) → exactly what
// Cal.com would send (body, Content-Type, X-Cal-Signature-256), live, with inline lint findings
// and one-click fixes, a variable list that inserts at the cursor, and the state in the URL.
//
// This file wires the panel together; the parts are `template/model.js` (state and the package
// calls), `template/output.js` (the delivery view) and `template/findings.js` (diagnostics).
import { createEditor } from './editor.js';
import { $, h, copyText } from './ui.js';
import { writeState, shareUrl } from './state.js';
import { createModel, compactOrRaw } from './template/model.js';
import { createOutput } from './template/output.js';
import { createFindings } from './template/findings.js';

export const REFERENCE_EXAMPLE = '{"event": "{{triggerEvent}}", "booking_id": "{{payload.uid}}", "attendee": "{{payload.attendees[0].email}}"}';
const EXAMPLES = [
  ['The API reference’s example (breaks on Cal.com)', REFERENCE_EXAMPLE],
  ['The same, as Cal.com renders it', '{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}'],
  ['Slack message', '{\n  "text": "New booking: {{title}} with {{attendees.0.name}} ({{attendees.0.email}}) at {{startTime}}"\n}'],
  ['Every attendee’s email ({{#each}})', '{\n  "uid": "{{uid}}",\n  "emails": "{{#each attendees}}{{email}}{{#unless @last}}, {{/unless}}{{/each}}"\n}'],
  ['Not JSON: sent as a form', 'event={{triggerEvent}}&uid={{uid}}&email={{attendees.0.email}}'],
  ['Empty: the default body', ''],
];

const DIALECT_HINTS = {
  calcom: 'calcom: exactly what the real Cal.com sender does — booking data is flat ({{uid}}, {{attendees.0.email}}) and Handlebars syntax applies.',
  reference: 'reference: what the API reference documents — {{payload.uid}} and {{payload.attendees[0].email}} work as written there (they do not on the real sender).',
};

// Trigger picker: documented triggers first, then the ones Cal.com also sends, then the
// documented ones it never sends.
const TRIGGER_GROUPS = [
  ['Documented in the API reference', (t) => t.documented && t.emitted !== false && t.subscribable !== false],
  ['Also sent by Cal.com', (t) => !t.documented && t.emitted !== false && t.subscribable !== false],
  ['Not subscribable (the “Ping test” button)', (t) => t.subscribable === false && t.emitted !== false],
  ['Documented, never sent', (t) => t.emitted === false],
];

export function initTemplate(api, { samplePayloadOf, state, signature, selectTab, module }) {
  const model = createModel(api, state);
  const select = $('trigger');
  const secret = $('tpl-secret');
  const createdAt = $('created-at');
  const outTiming = $('out-timing');
  const varsList = $('vars');
  const varsFilter = $('vars-filter');
  const payloadError = $('payload-error');
  const payloadState = $('payload-state');

  for (const [label, pick] of TRIGGER_GROUPS) {
    const list = model.triggers.filter(pick);
    if (!list.length) continue;
    select.append(h('optgroup', { label }, list.map((t) => h('option', { value: t.name, title: t.description }, t.name))));
  }
  select.value = model.trigger;
  document.querySelector(`input[name=dialect][value=${model.dialect}]`).checked = true;

  let frame = 0;
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(update);
  };
  let suppress = false; // set while the page itself replaces the payload text

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
      model.payloadEdited = true;
      payloadState.textContent = 'edited';
      writeState({ payload: compactOrRaw(text) });
      schedule();
    },
  });

  const output = createOutput(model);
  const findings = createFindings({ api, module, tpl, list: $('tpl-findings'), context: () => ({ dialect: model.dialect, trigger: model.trigger }) });

  function setPayloadText(text) {
    suppress = true;
    payloadEditor.set(text);
    suppress = false;
  }

  function loadSample({ keepEdits = false } = {}) {
    if (!keepEdits || !createdAt.value) createdAt.value = model.sampleCreatedAt();
    if (keepEdits && model.payloadEdited) return;
    setPayloadText(JSON.stringify(samplePayloadOf(model.trigger), null, 2));
    model.payloadEdited = false;
    payloadState.textContent = 'realistic sample for the trigger; edit freely';
    writeState({ payload: null });
  }

  function describeDialect() {
    $('dialect-hint').textContent = DIALECT_HINTS[model.dialect];
  }

  function describe() {
    const info = model.info();
    $('trigger-desc').replaceChildren(
      ...[
        h('span', {}, info?.description ?? ''),
        ' ',
        info?.documented ? h('span', { class: 'badge' }, 'documented') : h('span', { class: 'badge warn' }, 'not in the API reference'),
        info?.emitted === false ? h('span', { class: 'badge err' }, 'never sent by Cal.com') : null,
        info?.subscribable === false ? h('span', { class: 'badge' }, 'not subscribable') : null,
      ].filter(Boolean),
    );
  }

  // `{{path}}` at the cursor, or just the path when the cursor is already inside a mustache.
  function insertVariable(path) {
    const { from } = tpl.view.state.selection.main;
    const before = tpl.value.slice(Math.max(0, from - 200), from);
    const inside = before.lastIndexOf('{{') > before.lastIndexOf('}}');
    tpl.insert(inside ? path : `{{${path}}}`);
  }

  function renderVars() {
    const vars = model.variables();
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
    const e = model.readPayload(text);
    if (!e) {
      payloadError.hidden = true;
      payloadEditor.diagnostics([]);
      return;
    }
    payloadError.hidden = false;
    payloadError.textContent = `The payload is not valid JSON (${e.message}); the preview uses the last valid one.`;
    const m = /position (\d+)/.exec(e.message);
    const at = m ? Math.min(Number(m[1]), text.length) : text.length;
    payloadEditor.diagnostics([{ from: at, to: Math.min(at + 1, text.length), severity: 'error', message: e.message }]);
    $('payload-details').open = true;
  }

  let timing = { delivery: 0, findings: 0, body: 0 };
  function update() {
    frame = 0;
    const t0 = performance.now();
    refresh();
    const ms = performance.now() - t0;
    outTiming.textContent = `${ms < 1 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
    outTiming.title = `Last update: ${ms.toFixed(2)} ms in all; delivery ${timing.delivery.toFixed(2)} ms, findings ${timing.findings.toFixed(2)} ms, body ${timing.body.toFixed(2)} ms (linting itself runs in a worker)`;
  }

  function refresh() {
    const t0 = performance.now();
    readPayload();
    const input = model.input({ template: tpl.value, createdAt: createdAt.value, secret: secret.value, version: $('tpl-version').checked });
    const result = model.deliver(input);
    const t1 = performance.now();
    findings.diagnose(input.template, result.error);
    const t2 = performance.now();
    timing = { delivery: t1 - t0, findings: t2 - t1, body: output.show(result, input) };
  }

  // ---- wiring --------------------------------------------------------------------------------

  select.addEventListener('change', () => {
    model.trigger = select.value;
    writeState({ trigger: model.trigger });
    describe();
    loadSample();
    renderVars();
    schedule();
  });
  for (const radio of document.querySelectorAll('input[name=dialect]')) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      model.dialect = radio.value;
      writeState({ dialect: model.dialect });
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
      model.bodyView = view;
      $('view-pretty').setAttribute('aria-pressed', String(view === 'pretty'));
      $('view-exact').setAttribute('aria-pressed', String(view === 'exact'));
      schedule();
    });
  }
  $('tpl-check').addEventListener('click', () => {
    signature.load({ text: model.last.body, headerValue: model.last.header, secretValue: secret.value });
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
    setPayloadText(text);
    model.payloadEdited = true;
    payloadState.textContent = 'edited (from the link)';
    if (state.payload) $('payload-details').open = true;
  }
  renderVars();
  writeState({ trigger: model.trigger, dialect: model.dialect, template: tpl.value });
  update();

  return {
    copy: {
      body: () => model.last.body,
      header: () => model.last.header,
      template: () => tpl.value,
    },
    onShow: () => tpl.view.requestMeasure(),
    /** Preview a template from elsewhere (the config panel), optionally for a trigger. */
    load({ template, trigger: next }) {
      if (next && model.names.has(next) && next !== model.trigger) {
        select.value = next;
        select.dispatchEvent(new Event('change'));
      }
      tpl.set(template);
    },
  };
}
