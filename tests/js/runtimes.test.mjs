// The same conformance vectors (tests/vectors/*.json), run unchanged through the installed
// package in Node ESM, Node CJS, Deno, a real workerd server and headless Chromium (a Vite
// build). Every case must pass in every runtime and every runtime must give identical results.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, bin, ensureConsumer, failures, loadVectors, runCommand, startWorkerd } from './harness.mjs';
import { startServer } from '../../scripts/serve.mjs';

const results = {};
let consumer;
let caseCount;

before(() => {
  consumer = ensureConsumer();
  caseCount = loadVectors().reduce((n, s) => n + s.cases.length, 0);
});

function accept(runtime, list) {
  assert.equal(list.length, caseCount, `${runtime} ran every case`);
  assert.deepEqual(failures(list), [], `${runtime}: every vector passes`);
  results[runtime] = list;
}

test('Node ESM (import)', async () => {
  accept('node-esm', JSON.parse(await runCommand(process.execPath, ['run-esm.mjs'], { cwd: consumer })));
});

test('Node CommonJS (require)', async () => {
  accept('node-cjs', JSON.parse(await runCommand(process.execPath, ['run-cjs.cjs'], { cwd: consumer })));
});

test('Deno (npm package, deno condition, no permissions)', async () => {
  assert.ok(existsSync(bin.deno), 'deno is installed (npm devDependency `deno`)');
  const out = await runCommand(bin.deno, ['run', '--quiet', 'run-esm.mjs'], {
    cwd: consumer,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  });
  accept('deno', JSON.parse(out));
});

async function runInWorkerd(runtime, conditions) {
  assert.ok(existsSync(bin.workerd), 'workerd is installed (npm devDependency `workerd`)');
  const server = await startWorkerd(consumer, 'worker.mjs', `worker.${runtime}`, conditions);
  try {
    const res = await fetch(`${server.url}vectors`);
    assert.equal(res.status, 200, server.stderr());
    accept(runtime, await res.json());
  } finally {
    server.stop();
  }
}

test('Cloudflare workerd (real server on 127.0.0.1)', async () => {
  await runInWorkerd('workerd', ['workerd', 'worker', 'browser']);
});

test('edge-light entry (Vercel Edge / Next.js) in a workerd isolate', async () => {
  await runInWorkerd('edge-light', ['edge-light']);
});

test('Chromium (Vite build, browser condition)', async () => {
  assert.ok(existsSync(bin.chromium), `chromium at ${bin.chromium} (Debian package \`chromium\`; make test installs it)`);
  const vite = await import('vite');
  const outDir = join(consumer, 'web-dist');
  await vite.build({
    root: join(consumer, 'web'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  const server = await startServer(outDir);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: bin.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForFunction(() => window.__results || document.getElementById('status')?.textContent !== 'running', null, {
      timeout: 60000,
    });
    const list = await page.evaluate(() => window.__results);
    assert.deepEqual(errors, [], 'no console errors');
    accept('chromium', list);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('every runtime gives identical results', () => {
  const runtimes = Object.keys(results);
  assert.deepEqual(runtimes.sort(), ['chromium', 'deno', 'edge-light', 'node-cjs', 'node-esm', 'workerd']);
  // Written first, so a difference can be inspected.
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'vector-results.json'), JSON.stringify(results, null, 1));
  const reference = results['node-esm'];
  for (const r of runtimes) {
    const differing = results[r].filter((c, i) => JSON.stringify(c) !== JSON.stringify(reference[i])).map((c) => `${c.suite} / ${c.name}`);
    assert.deepEqual(differing.slice(0, 20), [], `${r} matches node-esm`);
  }
});

