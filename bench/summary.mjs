// The table of issue 11 in one run: each calhook operation against its peer, measured
// interleaved (calhook, peer, calhook, peer, ...) so that both sides see the same machine load,
// with the ratio taken per round. Each cell: the median ratio across rounds and its spread
// (lowest–highest round). Ratio = calhook ops per CPU-second ÷ peer ops per CPU-second, so
// > 1× means calhook is faster. Plus the sizes of the main entry.
import { createHmac, timingSafeEqual, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import * as calhook from '../pkg/dist/entries/node.mjs';
import { cpuTimePerCall } from './lib.mjs';
import { realisticBody, zodSchema } from './event.mjs';
import { templates, handlebarsDelivery, assertSameDelivery } from './template.mjs';

const require = createRequire(import.meta.url);
const Handlebars = require('handlebars');
const SECRET = 'whsec_benchmark_secret_0123456789';
const ROUNDS = 9;

/** Median and spread of calhook ÷ peer, alternating the two each round. */
async function compare(ours, peer, rounds = ROUNDS) {
  await cpuTimePerCall(ours, 100);
  await cpuTimePerCall(peer, 100);
  const ratios = [];
  for (let r = 0; r < rounds; r++) {
    const a = await cpuTimePerCall(ours, 40);
    const b = await cpuTimePerCall(peer, 40);
    ratios.push(b / a);
  }
  ratios.sort((x, y) => x - y);
  return { median: ratios[ratios.length >> 1], low: ratios[0], high: ratios[ratios.length - 1] };
}

const RUNS = Math.max(1, Number(process.env.SUMMARY_RUNS ?? 3));

/** A cell measured in several runs: the median of the runs' medians, each run's median, and the
 * lowest and highest single round of all runs. */
function combine(runs) {
  const medians = runs.map((c) => c.median);
  const sorted = [...medians].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, runs: medians, low: Math.min(...runs.map((c) => c.low)), high: Math.max(...runs.map((c) => c.high)) };
}

const fmt = (c) => `${c.median.toFixed(2)}× (runs ${c.runs.map((m) => m.toFixed(2)).join(', ')}; rounds ${c.low.toFixed(2)}–${c.high.toFixed(2)})`;

function body(size) {
  const filler = randomBytes(size).toString('base64').slice(0, size - 14);
  return `{"payload":"${filler}"}`.padEnd(size, ' ');
}

async function signatureRows() {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const secretBytes = new TextEncoder().encode(SECRET);
  const verifier = new calhook.Verifier(SECRET);
  const at = (size) => {
    const text = body(size);
    const hex = createHmac('sha256', SECRET).update(text).digest('hex');
    return { text, hex, bytes: Buffer.from(hex, 'hex') };
  };
  const b256 = at(256);
  const rows = [];
  rows.push(['`Verifier.verify` 256 B vs node:crypto', '≥ 1.2×', [await compare(
    () => verifier.verify(b256.text, b256.hex),
    () => timingSafeEqual(createHmac('sha256', SECRET).update(b256.text).digest(), b256.bytes),
  )]]);
  const web = [];
  for (const size of [256, 2048, 4096]) {
    const b = at(size);
    web.push([size, await compare(
      () => calhook.verify(b.text, b.hex, SECRET),
      () => crypto.subtle.verify('HMAC', key, b.bytes, new TextEncoder().encode(b.text)),
    )]);
  }
  rows.push(['verify vs WebCrypto, ≤ 4 KiB', '≥ 5×', web.map(([, c]) => c), web.map(([s]) => `${s} B`)]);
  const noble = [];
  for (const size of [256, 2048, 16384, 262144]) {
    const b = at(size);
    noble.push([size, await compare(
      () => calhook.verify(b.text, b.hex, SECRET),
      () => bytesToHex(hmac(sha256, secretBytes, new TextEncoder().encode(b.text))) === b.hex,
    )]);
  }
  rows.push(['verify vs @noble/hashes', '≥ 2.5×', noble.map(([, c]) => c), noble.map(([s]) => `${s} B`)]);
  return rows;
}

async function templateRows() {
  const createdAt = '2024-01-15T10:00:00.000Z';
  const delivery = [];
  const render = [];
  const names = [];
  for (const [name, { source, payload }] of Object.entries(templates)) {
    const data = { ...payload, triggerEvent: 'BOOKING_CREATED', createdAt };
    const input = { triggerEvent: 'BOOKING_CREATED', createdAt, payload, template: source, secret: SECRET };
    const compiled = calhook.compileTemplate(source);
    const precompiled = Handlebars.compile(source);
    if (compiled.render(data) !== precompiled(data)) throw new Error(`${name}: calhook and handlebars disagree`);
    names.push(name.replace(/ \(.*\)/, ''));
    assertSameDelivery(calhook, name, input, data);
    delivery.push(await compare(() => calhook.buildDelivery(input), () => handlebarsDelivery(source, data)));
    render.push(await compare(() => compiled.render(data), () => precompiled(data)));
  }
  return [
    ['`buildDelivery` vs handlebars.js compile+render (+ Cal.com post-processing + HMAC)', '≥ 5×', delivery, names],
    ['`Template.render` vs precompiled handlebars.js', '≥ 1×', render, names],
  ];
}

async function eventRows() {
  const text = realisticBody();
  const kib = `${(text.length / 1024).toFixed(1)} KiB BOOKING_CREATED`;
  return [
    [`\`parseEvent\` vs \`JSON.parse\` + zod 4 (${kib})`, '≥ 1×', [await compare(() => calhook.parseEvent(text), () => zodSchema.parse(JSON.parse(text)))]],
    ['`parseEvent` vs bare `JSON.parse`', '≥ 0.7×', [await compare(() => calhook.parseEvent(text), () => JSON.parse(text))]],
  ];
}

// The browser entry as a bundler ships it: the JS minified into one file with every export kept
// (the whole entry: the aim's "whole browser bundle"), plus the main wasm; beside it a verify-only
// app, where the bundler drops what the app does not import (bench/startup.mjs measures the same
// app from the packed package). An app that calls lintTemplate & co. also fetches the tools wasm,
// or loads the full one in its place (`ready({ tools: true })`).
function sizes() {
  const wasm = readFileSync(new URL('../pkg/dist/calhook_bg.wasm', import.meta.url));
  const wasmGz = gzipSync(wasm, { level: 9 }).length;
  const toolsGz = gzipSync(readFileSync(new URL('../pkg/dist/calhook_tools.wasm', import.meta.url)), { level: 9 }).length;
  const fullGz = gzipSync(readFileSync(new URL('../pkg/dist/calhook_full.wasm', import.meta.url)), { level: 9 }).length;
  const esbuild = new URL('../node_modules/.bin/esbuild', import.meta.url).pathname;
  const entry = new URL('../pkg/dist/entries/browser.js', import.meta.url).pathname;
  const js = execFileSync(esbuild, [entry, '--bundle', '--minify', '--format=esm', '--platform=browser', '--log-level=error'], { maxBuffer: 1 << 26 });
  const jsGz = gzipSync(js, { level: 9 }).length;
  const dir = mkdtempSync(join(tmpdir(), 'calhook-summary-'));
  const app = join(dir, 'app.mjs');
  writeFileSync(app, `import { Verifier } from ${JSON.stringify(entry)};\nconsole.log(new Verifier(['secret']).verify(document.body.textContent, 'x'));\n`);
  const appJs = execFileSync(esbuild, [app, '--bundle', '--minify', '--format=esm', '--platform=browser', '--log-level=error'], { maxBuffer: 1 << 26 });
  rmSync(dir, { recursive: true, force: true });
  const appGz = gzipSync(appJs, { level: 9 }).length;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const text =
    `main entry wasm ${kib(wasm.length)} raw, **${kib(wasmGz)} gzipped**; whole browser bundle (esbuild --bundle --minify of the browser entry, every export kept, ` +
    `${kib(jsGz)} gzipped JS + the main wasm) **${kib(wasmGz + jsGz)} gzipped**; a verify-only app's bundle (${kib(appGz)} gzipped JS + the main wasm) ${kib(wasmGz + appGz)} gzipped; an app that uses the tools (lintTemplate, diagnose, ...) also fetches calhook_tools.wasm, ${kib(toolsGz)} gzipped, ` +
    `or loads calhook_full.wasm alone with \`ready({ tools: true })\`, ${kib(fullGz)} gzipped`;
  return { wasm, wasmGz, jsGz, toolsGz, text, kib };
}

/** Every row once: [name, aim, cells, labels]. */
async function allRows() {
  return [...(await signatureRows()), ...(await templateRows()), ...(await eventRows())];
}

export async function run() {
  // The whole table is measured RUNS times over (not each cell RUNS times in a row), so a burst
  // of load on the shared machine hits one run of many rows rather than every run of one row.
  const passes = [];
  for (let i = 0; i < RUNS; i++) passes.push(await allRows());
  const rows = passes[0].map(([name, aim, , labels], r) => [name, aim, passes[0][r][2].map((_, c) => combine(passes.map((p) => p[r][2][c]))), labels]);
  const lines = rows.map(([name, aim, cells, labels]) => {
    const values = cells.map((c, i) => (labels ? `${labels[i]}: ${fmt(c)}` : fmt(c))).join('; ');
    const worst = Math.min(...cells.map((c) => c.median));
    const target = Number(aim.replace(/[^0-9.]/g, ''));
    return `| ${name} | ${values} | ${aim} | ${worst >= target ? 'met' : 'not met'} |`;
  });
  const s = sizes();
  const sizeMet = s.wasmGz <= 150 * 1024 && s.wasmGz + s.jsGz <= 170 * 1024;
  lines.push(`| size | ${s.text} | ≤ 150 KiB wasm, ≤ 170 KiB bundle | ${sizeMet ? 'met' : 'not met'} |`);
  return {
    title: 'Summary: calhook ÷ peer (> 1× = calhook faster)',
    body: `| operation | calhook ÷ peer: median of ${RUNS} runs (each run's median; lowest–highest of all ${RUNS * ROUNDS} rounds) | aim | |\n|---|---|---|---|\n${lines.join('\n')}\n\nThe table is measured ${RUNS} times over (\`SUMMARY_RUNS\`), one row after another; a cell is the median of the runs' medians, and "met" needs every cell's median at the aim. Each round times calhook and then its peer for 40 ms each in CPU time (\`process.cpuUsage\`, so time the process spends descheduled on a shared machine does not count), and takes the ratio of the two; each run has ${ROUNDS} rounds per cell; rows with several inputs give one cell per input.`,
  };
}
