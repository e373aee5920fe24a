// The shareable state lives in the URL fragment (never sent to any server):
// #tab=template&trigger=BOOKING_CREATED&dialect=calcom&template=...   The secret is never stored.

const KEYS = ['tab', 'trigger', 'dialect', 'template', 'payload', 'kind'];

/** The state in the current URL: `{ tab?, trigger?, dialect?, template?, payload? ... }`. */
export function readState() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const state = {};
  for (const k of KEYS) if (params.has(k)) state[k] = params.get(k);
  return state;
}

const current = {};
let timer;

/** Merge `patch` into the URL (debounced; `null`/`undefined` removes a key). */
export function writeState(patch, { now = false } = {}) {
  Object.assign(current, readState(), pending, patch);
  Object.assign(pending, patch);
  clearTimeout(timer);
  if (now) flush();
  else timer = setTimeout(flush, 250);
}
const pending = {};

function flush() {
  const params = new URLSearchParams();
  for (const k of KEYS) {
    const v = current[k];
    if (v !== undefined && v !== null && v !== '') params.set(k, v);
  }
  for (const k of Object.keys(pending)) delete pending[k];
  const hash = params.toString();
  const url = `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
}

/** The URL that reproduces the current state (flushes pending writes). */
export function shareUrl() {
  clearTimeout(timer);
  flush();
  return location.href;
}
