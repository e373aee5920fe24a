// Worst cases: the shapes of hostile input (deep nesting, many index-like keys, many triggers,
// many template variables, big diagnose bodies) timed beside a plain input of the same
// operation, as CPU time per input byte. Not a test: every call must finish (an error result
// is fine, since most of these are rejected), and what matters is that the time per byte stays
// near the plain input's rather than growing with the input's size.
import * as calhook from '../pkg/dist/entries/node.mjs';
import { realisticBody } from './event.mjs';
import { templates } from './template.mjs';

const SECRET = 'whsec_benchmark_secret_0123456789';
const CREATED = '2024-01-15T10:00:00.000Z';

function envelope(payloadJson) {
  return `{"triggerEvent":"BOOKING_CREATED","createdAt":"${CREATED}","payload":${payloadJson}}`;
}

// Index-like keys in descending order: each new key sorts before all the others.
function indexKeys(n) {
  const parts = [];
  for (let i = n - 1; i >= 0; i--) parts.push(`"${i}":${i}`);
  return `{${parts.join(',')}}`;
}

function cases() {
  const plainBody = realisticBody();
  const large = templates['large template, 60 attendees'].source;
  const manyVars = Array.from({ length: 5000 }, (_, i) => `"k${i}": "{{v${i}.x}}"`).join(', ');
  const manyVarsTemplate = `{${manyVars}}`;
  const plainWebhook = { subscriberUrl: 'https://example.com/hook', triggers: ['BOOKING_CREATED', 'BOOKING_CANCELLED'], active: true };
  const manyTriggers = { subscriberUrl: 'https://example.com/hook', triggers: Array.from({ length: 2000 }, (_, i) => (i % 2 ? 'BOOKING_CREATED' : `NOT_A_TRIGGER_${i}`)), active: true };
  const small = plainBody.slice(0, 256);
  const big = `{"payload":"${'x'.repeat(1 << 20)}"}`;
  const header = 'sha256=' + '0'.repeat(64);
  return [
    ['parseEvent', 'plain 3 KiB BOOKING_CREATED', plainBody.length, () => calhook.safeParseEvent(plainBody)],
    ['parseEvent', 'nesting 100,000 deep', null, (() => { const b = envelope(`${'['.repeat(100000)}${']'.repeat(100000)}`); return [b.length, () => calhook.safeParseEvent(b)]; })()],
    ['parseEvent', '2,000 index-like keys, descending', null, (() => { const b = envelope(indexKeys(2000)); return [b.length, () => calhook.safeParseEvent(b)]; })()],
    ['parseEvent', '2,000 duplicate keys', null, (() => { const b = envelope(`{${Array.from({ length: 2000 }, () => '"a":1').join(',')}}`); return [b.length, () => calhook.safeParseEvent(b)]; })()],
    ['validateWebhookCreate', 'plain (2 triggers)', JSON.stringify(plainWebhook).length, () => calhook.validateWebhookCreate(plainWebhook)],
    ['validateWebhookCreate', '2,000 triggers, half unknown', JSON.stringify(manyTriggers).length, () => calhook.validateWebhookCreate(manyTriggers)],
    ['lintTemplate', 'plain (the large bench template)', large.length, () => calhook.lintTemplate(large)],
    ['lintTemplate', '5,000 variables', manyVarsTemplate.length, () => calhook.lintTemplate(manyVarsTemplate)],
    ['compileTemplate', 'plain (the large bench template)', large.length, () => calhook.compileTemplate(large).free()],
    ['compileTemplate', '5,000 variables', manyVarsTemplate.length, () => calhook.compileTemplate(manyVarsTemplate).free()],
    ['compileTemplate', 'blocks nested 2,000 deep', null, (() => { const t = `${'{{#if a}}'.repeat(2000)}x${'{{/if}}'.repeat(2000)}`; return [t.length, () => { try { calhook.compileTemplate(t).free(); } catch { /* a limit error is an answer */ } }]; })()],
    ['diagnose', 'plain 256 B body', small.length, () => calhook.diagnose(small, header, SECRET)],
    ['diagnose', '1 MiB body', big.length, () => calhook.diagnose(big, header, SECRET)],
  ].map(([op, name, bytes, fn]) => (bytes === null ? [op, name, fn[0], fn[1]] : [op, name, bytes, fn]));
}

// CPU µs per call: calls one at a time until `ms` ms have passed (at least one call), since
// some worst cases take far longer per call than a batch would allow.
function cpuPerCall(fn, ms) {
  const start = process.cpuUsage();
  const until = performance.now() + ms;
  let n = 0;
  do {
    fn();
    n++;
  } while (performance.now() < until);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

export async function run() {
  const rows = [];
  for (const [op, name, bytes, fn] of cases()) {
    cpuPerCall(fn, 30);
    const samples = [];
    for (let r = 0; r < 5; r++) samples.push(cpuPerCall(fn, 60));
    samples.sort((a, b) => a - b);
    const us = samples[2];
    rows.push(`| ${op} | ${name} | ${bytes.toLocaleString('en')} | ${us.toFixed(1)} | ${((us * 1000) / bytes).toFixed(2)} |`);
  }
  return {
    title: 'Worst cases (Node): hostile input shapes beside plain input',
    body: `| operation | input | bytes | µs per call (median of 5) | ns per byte |\n|---|---|---:|---:|---:|\n${rows.join('\n')}\n\nCPU time per call. Most hostile inputs end in a typed error or an issue list; the point is that none costs much more per byte than plain input of the same operation.`,
  };
}
