// The same conformance vectors (tests/vectors/*.json), run unchanged through the installed
// package in Node ESM, Node CJS, Deno, a real workerd server and headless Chromium (a Vite
// build). Every case must pass in every runtime and every runtime must give identical results.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNTIMES, artifacts, ensureConsumer, failures, loadVectors, runtimeMatrix } from './harness.mjs';

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

const TITLES = {
  'node-esm': 'Node ESM (import)',
  'node-cjs': 'Node CommonJS (require)',
  deno: 'Deno (npm package, deno condition, no permissions)',
  workerd: 'Cloudflare workerd (real server on 127.0.0.1)',
  'edge-light': 'edge-light entry (Vercel Edge / Next.js) in a workerd isolate',
  chromium: 'Chromium (Vite build, browser condition)',
};

runtimeMatrix({
  test,
  title: (runtime) => TITLES[runtime],
  consumer: () => consumer,
  esm: 'run-esm.mjs',
  cjs: 'run-cjs.cjs',
  worker: 'worker.mjs',
  async chromium(dir) {
    const vite = await import('vite');
    const outDir = join(dir, 'web-dist');
    await vite.build({
      root: join(dir, 'web'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, target: 'es2022' },
    });
    return outDir;
  },
  accept,
});

test('every runtime gives identical results', () => {
  const runtimes = Object.keys(results);
  assert.deepEqual(runtimes.sort(), [...RUNTIMES].sort());
  // Written first, so a difference can be inspected.
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'vector-results.json'), JSON.stringify(results, null, 1));
  const reference = results['node-esm'];
  for (const r of runtimes) {
    const differing = results[r].filter((c, i) => JSON.stringify(c) !== JSON.stringify(reference[i])).map((c) => `${c.suite} / ${c.name}`);
    assert.deepEqual(differing.slice(0, 20), [], `${r} matches node-esm`);
  }
});

