// Signature check: raw body + header + secret → verdict, reason code and diagnose() findings;
// and the header Cal.com would compute for the body.
import { createEditor } from './editor.js';
import { $, h, byteCount, richText, messageNode } from './ui.js';

const VERDICT_TITLES = {
  OK: 'Valid signature',
  MISSING_HEADER: 'No signature header',
  NO_SECRET_CONFIGURED: 'Sender had no secret',
  MALFORMED_HEADER: 'Malformed header',
  MISMATCH: 'Signature does not match',
  NO_RECEIVER_SECRET: 'No secret entered',
};

export function initSignature(api, { sampleBody }) {
  const header = $('sig-header');
  const secret = $('sig-secret');
  const verdict = $('sig-verdict');
  const causes = $('sig-diagnose');
  const causesWrap = $('sig-diagnose-wrap');
  const computed = $('sig-computed');
  const bytes = $('sig-bytes');

  let frame = 0;
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(update);
  };

  const body = createEditor({
    parent: $('sig-body'),
    lang: 'text',
    label: 'Raw request body',
    exact: true,
    minLines: 10,
    placeholder: 'Paste the raw body here',
    onChange: schedule,
  });

  function update() {
    frame = 0;
    const text = body.value;
    const headerValue = header.value;
    const secretValue = secret.value;
    bytes.textContent = byteCount(text);
    computed.textContent = api.sign(text, secretValue);

    causes.replaceChildren();
    causesWrap.hidden = true;
    if (!text && !headerValue) {
      verdict.className = 'verdict';
      verdict.replaceChildren(h('p', {}, 'Paste a raw body and the X-Cal-Signature-256 header value to check them.'));
      return;
    }
    let result;
    try {
      result = api.check(text, headerValue, secretValue);
    } catch (e) {
      result = { ok: false, code: e.code ?? 'ERROR', message: e.message };
    }
    verdict.className = `verdict ${result.ok ? 'ok' : 'err'}`;
    verdict.replaceChildren(
      h('div', { class: 'big' }, result.ok ? '✓' : '✗', h('span', {}, VERDICT_TITLES[result.code] ?? 'Rejected'), h('span', { class: 'code', 'data-testid': 'sig-code' }, result.code)),
      h('p', {}, richText(result.message)),
    );
    if (!result.ok && secretValue) {
      let list = [];
      try {
        list = api.diagnose(text, headerValue, secretValue);
      } catch (e) {
        list = [{ code: e.code ?? 'ERROR', message: e.message }];
      }
      if (list.length) {
        causesWrap.hidden = false;
        causes.replaceChildren(...list.map((c) => h('li', { 'data-code': c.code }, h('div', {}, messageNode(c.message)), h('div', { class: 'code' }, c.code))));
      }
    }
  }

  header.addEventListener('input', schedule);
  secret.addEventListener('input', schedule);
  $('sig-use').addEventListener('click', () => {
    header.value = computed.textContent;
    schedule();
  });
  $('sig-mistake').addEventListener('click', () => {
    // Signed as sent, verified after JSON.parse + JSON.stringify(body, null, 2).
    const sent = sampleBody();
    if (!secret.value) secret.value = 'whsec_playground';
    let reserialized = sent;
    try {
      reserialized = JSON.stringify(JSON.parse(sent), null, 2);
    } catch {
      reserialized = `${sent}\n`;
    }
    body.set(reserialized);
    header.value = api.sign(sent, secret.value);
    schedule();
  });
  $('sig-sample').addEventListener('click', () => {
    const text = sampleBody();
    if (!secret.value) secret.value = 'whsec_playground';
    body.set(text);
    header.value = api.sign(text, secret.value);
    schedule();
  });

  secret.value = 'whsec_playground';
  update();
  return {
    copy: { computed: () => computed.textContent },
    /** Fill the panel (used by the template panel's "check this delivery" hand-off). */
    load({ text, headerValue, secretValue }) {
      body.set(text);
      header.value = headerValue;
      secret.value = secretValue;
      update();
    },
  };
}
