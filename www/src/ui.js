// Small DOM helpers shared by the panels.

export const $ = (id) => document.getElementById(id);

/** Create an element: h('li', { class: 'x', onclick }, child, 'text', ...). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

let toastTimer;
/** A short status message at the bottom of the screen (also announced to screen readers). */
export function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 1600);
}

/** Copy text to the clipboard, with a fallback for contexts without the async clipboard API. */
export async function copyText(text, what = 'Copied') {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = h('textarea', { style: 'position:fixed;left:-9999px;top:0', 'aria-hidden': 'true' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    if (!ok) {
      toast('Copy failed: select the text and copy it by hand');
      return false;
    }
  }
  toast(what);
  return true;
}

const utf8 = new TextEncoder();
/** "123 bytes" (UTF-8). */
export function byteCount(text) {
  const n = utf8.encode(text).length;
  return `${n.toLocaleString('en')} byte${n === 1 ? '' : 's'}`;
}

const CONTROL_NAMES = { '\r': 'CR', '\t': 'TAB', '\u00a0': 'NBSP', '\ufeff': 'BOM', '\u200b': 'ZWSP' };
/** Append text, making CR, tabs and other invisibles visible (the newline itself still breaks). */
export function appendVisible(parent, s) {
  const re = /[\r\t\u00a0\ufeff\u200b\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
  let last = 0;
  for (let m; (m = re.exec(s)); ) {
    if (m.index > last) parent.append(s.slice(last, m.index));
    const c = m[0];
    const name = CONTROL_NAMES[c] ?? `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    parent.append(h('span', { class: 'ctl', title: name }, name));
    if (c === '\t') parent.append('\t');
    last = re.lastIndex;
  }
  if (last < s.length) parent.append(s.slice(last));
}

/** A library message as DOM: `code` spans in backticks become <code>. */
export function richText(message) {
  const frag = document.createDocumentFragment();
  const parts = String(message).split(/(`[^`\n]+`)/);
  for (const p of parts) {
    if (p.length > 2 && p.startsWith('`') && p.endsWith('`')) frag.append(h('code', { class: 'inline' }, p.slice(1, -1)));
    else if (p) frag.append(p);
  }
  return frag;
}

/**
 * A library message that may carry Handlebars' own excerpt (`{"a": "{{x[0]}}"\n-----^\n…`):
 * the first line as prose, the rest monospace so the caret lines up.
 */
export function messageNode(message) {
  const [first, ...rest] = String(message).split('\n');
  const frag = document.createDocumentFragment();
  frag.append(richText(first));
  if (rest.length) frag.append(h('pre', { class: 'excerpt' }, rest.join('\n')));
  return frag;
}
