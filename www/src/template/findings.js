// The template's findings: lint diagnostics (from a worker, see linter.js) and the delivery's
// syntax error, shown as editor markers and as a list with one-click fixes.
import { minimalChange } from '../editor.js';
import { h, richText, messageNode } from '../ui.js';
import { lineCol } from '../jsonpos.js';
import { createLinter } from '../linter.js';
import { forEachDiagnostic } from '@codemirror/lint';

const MAX_FINDINGS = 40;

function fixLabel(d) {
  return d.fix?.title ?? d.fix?.label ?? d.fix?.description ?? 'Fix';
}
const plainLabel = (d) => fixLabel(d).replace(/`/g, '');

/**
 * `tpl`: the template editor; `list`: the findings `<ul>`; `context()`: `{ dialect, trigger }`.
 * Returns `diagnose(source, deliveryError)`, called after every delivery.
 */
export function createFindings({ api, module, tpl, list: findingsList, context }) {
  const lintKey = (source) => {
    const { dialect, trigger } = context();
    return JSON.stringify([source, dialect, trigger]);
  };
  let lintFresh = { key: null, list: [] };
  let lastError = null;
  let syntaxShown = null; // the CodeMirror diagnostic of the delivery's syntax error, if shown
  let renderedKey = null;
  const linter = api.lintTemplate ? createLinter(api, module, onLint) : null;

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

  // The findings for the current text: the worker's when they are fresh, else linted now (a
  // click on a fix while the worker is behind must not apply offsets of an older text).
  function currentFindings() {
    const source = tpl.value;
    if (lintFresh.key === lintKey(source)) return lintFresh.list;
    try {
      return api.lintTemplate(source, context()) ?? [];
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
    linter.request(key, source, context());
    // Until the linter answers: the previous findings and this version's syntax error.
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

  return { diagnose };
}
