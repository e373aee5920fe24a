// Wasm memory after big calls, build against build (e.g. two allocators): each measurement in a
// fresh process (a fresh instance), as `wasmMemoryBytes()` right after one call; `reset` when the
// call grew memory past MEMORY_RESET_BYTES (js/src/instance.js), which replaced the instance.
// Then, per scaled scenario, the largest scale (up to 256) whose call does not reset the
// instance (MEMORY_LIMITS=0 skips that search).
// Usage: node bench/memory.mjs DIR_A DIR_B   (each a copy of pkg/).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const FIXTURE = new URL('../tests/fixtures/booking.json', import.meta.url);
const createdAt = '2024-01-15T10:00:00.000Z';
const LARGE = `{ "event": "{{triggerEvent}}", "uid": "{{uid}}", "attendees": [
  {{#each attendees}}{ "i": "{{@index}}", "name": "{{name}}", "email": "{{email}}", "tz": "{{timeZone}}" }{{#unless @last}},{{/unless}}
  {{/each}} ] }`;

/** The booking fixture with its attendees repeated to `n` of them. */
function booking(n) {
  const p = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const base = p.attendees;
  p.attendees = Array.from({ length: n }, (_, i) => ({ ...base[i % base.length], name: `Guest ${i}`, email: `guest${i}@example.com` }));
  return p;
}

/** Scenario name → (calhook, scale) => one call. */
const SCENARIOS = {
  'parseEvent, a string of n MiB': (c, n) =>
    c.parseEvent(JSON.stringify({ triggerEvent: 'HOSTILE_PROBE', createdAt, payload: { blob: 'x'.repeat(n << 20) } }), { maxBytes: 2 ** 28 }),
  'parseEvent, n × 1000 attendees': (c, n) =>
    c.parseEvent(JSON.stringify({ triggerEvent: 'BOOKING_CREATED', createdAt, payload: booking(n * 1000) }), { maxBytes: 2 ** 28 }),
  'Template.render large, n × 1000 attendees': (c, n) => c.compileTemplate(LARGE).render({ ...booking(n * 1000), triggerEvent: 'BOOKING_CREATED', createdAt }),
  'buildDelivery large, n × 1000 attendees': (c, n) =>
    c.buildDelivery({ triggerEvent: 'BOOKING_CREATED', createdAt, payload: booking(n * 1000), template: LARGE, secret: 'whsec_memory' }),
};

if (process.argv[2] === '--child') {
  const [, , , dir, name, scale] = process.argv;
  const dist = join(resolve(dir), 'dist');
  const calhook = await import(pathToFileURL(join(dist, 'entries', 'node.mjs')).href);
  const instance = await import(pathToFileURL(join(dist, 'instance.js')).href);
  calhook.verify('x', calhook.sign('x', 's'), 's');
  const before = instance.generation();
  const baseline = instance.memoryBytes();
  let code = 'OK';
  try {
    SCENARIOS[name](calhook, Number(scale));
  } catch (err) {
    // An invalid event or a limit is an answer too: the memory it took is what is measured.
    code = err?.code ?? 'THROWN';
  }
  console.log(JSON.stringify({ baseline, bytes: instance.memoryBytes(), reset: instance.generation() > before, code }));
} else {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) throw new Error('usage: node bench/memory.mjs DIR_A [DIR_B]');
  const measure = (dir, name, scale) =>
    JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=4096', SELF, '--child', dir, name, String(scale)], { encoding: 'utf8' }));
  const mib = (b) => (b / 1048576).toFixed(1);
  for (const [name, scales] of [
    ['parseEvent, a string of n MiB', [4, 16, 30]],
    ['parseEvent, n × 1000 attendees', [4, 16]],
    ['Template.render large, n × 1000 attendees', [4, 16]],
    ['buildDelivery large, n × 1000 attendees', [4, 16]],
  ]) {
    for (const scale of scales) {
      const cells = dirs.map((d) => {
        const r = measure(d, name, scale);
        return `${r.reset ? 'reset' : `${mib(r.bytes)} MiB`} (${r.code}, baseline ${mib(r.baseline)})`;
      });
      console.log(`${name.replace('n ', `${scale} `).replace('of n', `of ${scale}`)}: ${cells.join(' | ')}`);
    }
    if (process.env.MEMORY_LIMITS === '0') continue;
    // The largest scale without a reset, by doubling then bisection.
    const limits = dirs.map((d) => {
      let lo = 1;
      let hi = 2;
      while (hi <= 256 && !measure(d, name, hi).reset) [lo, hi] = [hi, hi * 2];
      if (hi > 256) return `≥ ${lo}`;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (measure(d, name, mid).reset) hi = mid;
        else lo = mid;
      }
      return lo;
    });
    console.log(`${name}: largest n without a reset: ${limits.join(' | ')}`);
  }
}
