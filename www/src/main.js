// The calhook playground: boots the wasm once, then wires each panel to whatever the package
// provides (a panel whose API is missing is not shown).
import './style.css';
import ready, * as calhook from 'calhook';
import { initSignature } from './signature.js';
import { initTemplate } from './template.js';
import { initConfig } from './config.js';
import { $, copyText } from './ui.js';
import { readState, writeState } from './state.js';

const api = calhook;
const has = (...names) => names.every((n) => typeof api[n] === 'function' || (n === 'TRIGGERS' && Array.isArray(api[n])));

// A realistic default body (what Cal.com sends without a template) for the signature panel's
// "Sample" button, from the package's samples when it has them.
function sampleBody() {
  if (has('samplePayload', 'buildDelivery')) {
    // Exactly the body the sender posts without a template.
    try {
      const sample = api.samplePayload('BOOKING_CREATED');
      return api.buildDelivery({ triggerEvent: sample.triggerEvent, createdAt: sample.createdAt, payload: sample.payload }).body;
    } catch {
      /* fall through to the static sample */
    }
  }
  return JSON.stringify({
    triggerEvent: 'BOOKING_CREATED',
    createdAt: '2026-01-15T10:00:00.000Z',
    payload: {
      type: '30min',
      title: '30 Minute Meeting between Jane Smith and John Doe',
      startTime: '2026-01-20T15:00:00.000Z',
      endTime: '2026-01-20T15:30:00.000Z',
      organizer: { id: 123, name: 'Jane Smith', email: 'jane@company.com', timeZone: 'America/New_York', language: { locale: 'en' }, utcOffset: -300 },
      attendees: [{ name: 'John Doe', email: 'john@example.com', timeZone: 'Europe/London', language: { locale: 'en' }, utcOffset: 0 }],
      location: 'integrations:daily',
      uid: 'bk_7Hq2xk9LmP4sRt',
      bookingId: 4711,
      status: 'ACCEPTED',
      metadata: { videoCallUrl: 'https://app.cal.com/video/bk_7Hq2xk9LmP4sRt' },
    },
  });
}

/** The payload part of the package's sample for a trigger (samplePayload may return an envelope). */
export function samplePayloadOf(trigger) {
  const s = api.samplePayload(trigger);
  return s && typeof s === 'object' && 'payload' in s && 'triggerEvent' in s ? s.payload : s;
}

// Tabs: roving tabindex, arrow keys, Home/End (WAI-ARIA tabs pattern).
const panels = {};
function selectTab(name, { focus = false, record = true } = {}) {
  for (const [n, { tab, panel }] of Object.entries(panels)) {
    const on = n === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    panel.hidden = !on;
    if (on && focus) tab.focus();
  }
  if (record) writeState({ tab: name });
  panels[name]?.onShow?.();
}

function registerTab(name, onShow) {
  const tab = $(`tab-${name}`);
  const panel = $(`panel-${name}`);
  tab.hidden = false;
  panels[name] = { tab, panel, onShow };
  tab.addEventListener('click', () => selectTab(name));
}

$('main').closest('body').querySelector('[role=tablist]').addEventListener('keydown', (e) => {
  const names = Object.keys(panels).filter((n) => !panels[n].tab.hidden);
  const order = ['template', 'signature', 'config'].filter((n) => names.includes(n));
  const cur = order.indexOf(document.activeElement?.id?.replace('tab-', ''));
  if (cur < 0) return;
  let next = null;
  if (e.key === 'ArrowRight') next = order[(cur + 1) % order.length];
  else if (e.key === 'ArrowLeft') next = order[(cur - 1 + order.length) % order.length];
  else if (e.key === 'Home') next = order[0];
  else if (e.key === 'End') next = order[order.length - 1];
  if (next) {
    e.preventDefault();
    selectTab(next, { focus: true });
  }
});

async function main() {
  // The playground uses the tools everywhere, so it loads the full module (calhook_full.wasm:
  // core and tools in one file, one instance; `ready({ tools: true })`), compiled once: the page
  // and the lint worker instantiate the same module.
  const compile = async (url) => {
    try {
      return await WebAssembly.compileStreaming(fetch(url));
    } catch {
      return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
    }
  };
  const module = await compile(new URL('./calhook_full.wasm', import.meta.url));
  await ready({ tools: true, wasm: module });
  const copySources = {};

  const sig = initSignature(api, { sampleBody });
  Object.assign(copySources, sig.copy);
  registerTab('signature');

  let first = 'signature';
  let tplPanel = null;
  // Lint findings and fixes appear when lintTemplate/applyFixes exist; syntax errors always do.
  if (has('buildDelivery', 'TRIGGERS', 'samplePayload', 'templateVariables')) {
    const tpl = initTemplate(api, { samplePayloadOf, state: readState(), signature: sig, selectTab, module });
    Object.assign(copySources, tpl.copy);
    tplPanel = tpl;
    registerTab('template', tpl.onShow);
    first = 'template';
  }
  if (has('validateWebhookCreate', 'validateWebhookUpdate')) {
    const preview = tplPanel
      ? (template, trigger) => {
          tplPanel.load({ template, trigger });
          selectTab('template', { focus: true });
        }
      : null;
    const cfg = initConfig(api, { state: readState(), preview });
    registerTab('config', cfg.onShow);
  }

  // Copy buttons: data-copy="<source>".
  document.addEventListener('click', (e) => {
    const btn = e.target.closest('[data-copy]');
    if (!btn) return;
    const get = copySources[btn.dataset.copy];
    if (get) copyText(get(), `Copied ${btn.dataset.copy}`);
  });

  // A link pasted into this tab (only the fragment changes): load its state. The page's own
  // updates use history.replaceState, which fires no hashchange.
  window.addEventListener('hashchange', () => location.reload());

  $('loading').remove();
  const wanted = readState().tab;
  selectTab(wanted && panels[wanted] ? wanted : first, { record: false });
  document.documentElement.dataset.ready = 'true';
}

main().catch((e) => {
  const el = $('loading');
  el.textContent = `calhook failed to load: ${e?.message ?? e}`;
  el.classList.add('error-text');
  document.documentElement.dataset.ready = 'error';
});
