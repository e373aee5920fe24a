// The delivery view: status line, headers, the body (pretty or exact) and, for the literal
// `false` body, why it happened with the rendered text the package reports.
import { createEditor } from '../editor.js';
import { $, h, byteCount, appendVisible, richText, messageNode } from '../ui.js';
import { deliveryHeaders } from './model.js';

const isJsonType = (contentType) => /^application\/json/i.test(contentType ?? '');

export function createOutput(model) {
  const outStatus = $('out-status');
  const outCtype = $('out-ctype');
  const outSig = $('out-sig');
  const outVersion = $('out-version');
  const outVersionRow = $('out-version-row');
  const outBody = $('out-body');
  const outBytes = $('out-bytes');
  const outExplain = $('out-explain');
  const outNone = $('out-none');
  // The body is shown in a read-only editor: it renders only the lines in view, so a large
  // body costs no more per keystroke than a small one.
  const bodyEditor = createEditor({ parent: outBody, lang: 'json', label: 'Body', exact: true, readOnly: true, minLines: 4 });
  // Copy, view and hand-off buttons only do something when there is a request.
  const outControls = ['view-pretty', 'view-exact', 'tpl-check'].map($).concat([...document.querySelectorAll('#panel-template [data-copy=body], #panel-template [data-copy=header]')]);
  const setOutputControls = (on) => {
    for (const el of outControls) el.disabled = !on;
  };

  function showBody(body, contentType) {
    const isJson = isJsonType(contentType);
    const pretty = model.bodyView === 'pretty' && isJson && body !== 'false';
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

  function explainFalse(input) {
    const parts = [
      h('strong', {}, 'The body is the literal false. '),
      'The template is JSON, so Cal.com runs JSON.parse on the rendered text — and it is not valid JSON, typically because a substituted value contains a quote, a backslash or a newline inside a string. Cal.com then sends JSON.stringify(false), as application/json. Handlebars has no JSON escaping: keep free-text fields out of JSON strings, or treat a false body as a lost payload in your receiver.',
    ];
    const rendered = model.rendered(input);
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
    return parts;
  }

  function showNothing(error, source) {
    model.last = { body: '', header: '', source };
    outStatus.className = 'status err';
    const ours = error?.code === 'INVALID_ARGUMENT';
    // A template error is shown as the package's caret report; other errors as their message.
    const report = model.report(source, error);
    const parts = [h('strong', {}, ours ? 'Check the inputs. ' : 'Cal.com would send nothing. ')];
    if (report === null) parts.push(messageNode(error?.message ?? String(error)), ' ');
    parts.push(h('span', { class: 'code badge err', 'data-testid': 'delivery-error' }, error?.code ?? 'ERROR'));
    if (report !== null) parts.push(h('pre', { class: 'excerpt report', 'data-testid': 'delivery-report' }, report));
    outStatus.replaceChildren(...parts);
    outCtype.textContent = '—';
    outSig.textContent = '—';
    outVersionRow.hidden = true;
    outBody.hidden = true;
    outNone.hidden = false;
    outNone.textContent = ours ? 'No preview: an input above is not valid.' : 'No request: this throws on the real sender, so the webhook is not delivered.';
    setOutputControls(false);
    outBytes.textContent = '';
  }

  /** Show a delivery (or the error that stops it); returns the milliseconds spent on the body. */
  function show({ delivery, error }, input) {
    const source = input.template;
    outExplain.hidden = true;
    if (!delivery) {
      showNothing(error, source);
      return 0;
    }
    setOutputControls(true);
    const { contentType, signature, version } = deliveryHeaders(delivery);
    model.last = { body: delivery.body, header: signature, source };
    outCtype.textContent = contentType;
    outSig.textContent = signature;
    outVersionRow.hidden = !version;
    outVersion.textContent = version ?? '';
    const tb = performance.now();
    showBody(delivery.body, contentType);
    const tBody = performance.now() - tb;

    const isJson = isJsonType(contentType);
    outStatus.className = 'status ok';
    const what = !source ? 'No template: the default body, JSON.stringify({triggerEvent, createdAt, payload}).' : isJson ? 'The template is JSON: the rendered text is parsed and re-serialized compactly.' : 'The template is not JSON, so the rendered text is sent as is, as application/x-www-form-urlencoded.';
    outStatus.replaceChildren(h('strong', {}, `${delivery.method ?? 'POST'} `), what);
    // What the emulation had to assume or adjust (e.g. a time zone without offset data).
    if (Array.isArray(delivery.notes) && delivery.notes.length) outStatus.append(h('ul', { class: 'notes' }, delivery.notes.map((n) => h('li', {}, richText(n)))));
    if (isJson && delivery.body === 'false') {
      outStatus.className = 'status warn';
      outExplain.hidden = false;
      outExplain.replaceChildren(...explainFalse(input));
    }
    return tBody;
  }

  return { show };
}
