// Webhook config check: a create (POST) or update (PATCH) request body → every issue at its path,
// listed and marked inline in the editor.
import { createEditor } from './editor.js';
import { $, h, messageNode } from './ui.js';
import { writeState } from './state.js';
import { jsonPositions, locate, lineCol } from './jsonpos.js';
import { REFERENCE_EXAMPLE } from './template.js';

const SAMPLES = {
  create: {
    subscriberUrl: 'https://your-app.com/webhook',
    triggers: ['BOOKING_CREATED', 'BOOKING_CANCELLED', 'BOOKING_RESCHEDULED'],
    active: true,
    payloadTemplate: REFERENCE_EXAMPLE,
    secret: 'your-webhook-secret',
  },
  update: { active: false, triggers: ['BOOKING_CREATED'] },
};

export function initConfig(api, { state, preview }) {
  let kind = state.kind === 'update' ? 'update' : 'create';
  const verdict = $('cfg-verdict');
  const list = $('cfg-issues');
  let frame = 0;
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(update);
  };
  const editor = createEditor({
    parent: $('cfg-editor'),
    doc: JSON.stringify(SAMPLES[kind], null, 2),
    lang: 'json',
    label: 'Webhook request body (JSON)',
    exact: true,
    lint: true,
    minLines: 14,
    // Not kept in the URL: a config body usually holds the webhook's secret.
    onChange: schedule,
  });

  function jump(from, to) {
    editor.view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
    editor.focus();
  }

  function update() {
    frame = 0;
    const text = editor.value;
    let input;
    try {
      input = JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec(e.message);
      const at = m ? Math.min(Number(m[1]), text.length) : text.length;
      editor.diagnostics([{ from: at, to: Math.min(at + 1, text.length), severity: 'error', message: e.message, source: 'JSON' }]);
      verdict.className = 'verdict err';
      const { line, column } = lineCol(text, at);
      verdict.replaceChildren(h('div', { class: 'big' }, '✗', h('span', {}, 'Not valid JSON'), h('span', { class: 'code' }, 'INVALID_JSON')), h('p', {}, `${e.message} (line ${line}, column ${column})`));
      list.replaceChildren();
      return;
    }
    let result;
    try {
      result = kind === 'create' ? api.validateWebhookCreate(input) : api.validateWebhookUpdate(input);
    } catch (e) {
      result = { ok: false, issues: e.issues ?? [{ path: '', code: e.code ?? 'ERROR', message: e.message, severity: 'error' }] };
    }
    const issues = result.issues ?? [];
    const positions = jsonPositions(text);
    const diags = [];
    list.replaceChildren(
      ...issues.map((issue) => {
        const where = locate(positions, issue.path);
        const severity = issue.severity === 'warning' ? 'warning' : issue.severity === 'info' ? 'info' : 'error';
        if (where) {
          // At the key and value when the path exists; at the opening bracket of the nearest
          // existing parent when it does not (a missing field).
          const from = where.exact ? (where.keyFrom ?? where.from) : where.from;
          const to = where.exact ? where.to : Math.min(where.from + 1, where.to);
          diags.push({ from, to, severity, message: `${issue.path || '(body)'}: ${issue.message}`, source: issue.code });
        }
        const pathLabel = issue.path || '(the body)';
        return h(
          'li',
          { class: severity, 'data-path': issue.path, 'data-code': issue.code },
          where ? h('button', { type: 'button', class: 'path', onclick: () => jump(where.from, where.to), 'aria-label': `Go to ${pathLabel}` }, pathLabel) : h('span', { class: 'path' }, pathLabel),
          ' ',
          h('span', { class: `badge ${severity === 'error' ? 'err' : 'warn'}` }, severity),
          h('div', {}, messageNode(issue.message)),
          h('div', { class: 'code' }, issue.code),
        );
      }),
    );
    editor.diagnostics(diags);
    const errors = issues.filter((i) => i.severity !== 'warning' && i.severity !== 'info').length;
    const warnings = issues.length - errors;
    const ok = result.ok && errors === 0;
    verdict.className = `verdict ${ok ? (warnings ? 'warn' : 'ok') : 'err'}`;
    const title = ok ? (warnings ? 'Valid, with warnings' : 'Valid request') : `Cal.com would refuse this ${kind === 'create' ? 'create' : 'update'} request`;
    verdict.replaceChildren(
      h('div', { class: 'big' }, ok ? '✓' : '✗', h('span', {}, title)),
      h('p', {}, `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`),
    );
    // Hand the payloadTemplate to the template preview, with the first trigger it is for.
    if (preview && input && typeof input === 'object' && typeof input.payloadTemplate === 'string' && input.payloadTemplate) {
      const trig = Array.isArray(input.triggers) ? input.triggers.find((t) => typeof t === 'string' && api.TRIGGERS?.some((x) => x.name === t)) : undefined;
      verdict.append(
        h('p', {}, h('button', { type: 'button', class: 'btn small', id: 'cfg-preview', onclick: () => preview(input.payloadTemplate, trig) }, 'Preview this payloadTemplate →')),
      );
    }
  }

  function setKind(next, { resetSample = false, record = true } = {}) {
    kind = next;
    $('cfg-create').setAttribute('aria-pressed', String(kind === 'create'));
    $('cfg-update').setAttribute('aria-pressed', String(kind === 'update'));
    if (record) writeState({ kind: kind === 'create' ? null : kind });
    if (resetSample) editor.set(JSON.stringify(SAMPLES[kind], null, 2));
    schedule();
  }
  $('cfg-create').addEventListener('click', () => setKind('create'));
  $('cfg-update').addEventListener('click', () => setKind('update'));
  $('cfg-sample').addEventListener('click', () => setKind(kind, { resetSample: true }));
  setKind(kind, { record: false });
  update();
  return { onShow: () => editor.view.requestMeasure() };
}
