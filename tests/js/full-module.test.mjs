// The full module (calhook_full.wasm, every export) that a browser app using the tools loads
// with `ready({ tools: true })` instead of calhook_bg.wasm + calhook_tools.wasm: one file
// fetched, one instance serving every function, traps and memory resets handled for both kinds
// of call. Run from the installed package in Chromium (a Vite build) and in Node (the browser
// entry with the bytes passed in); every result must equal the package's Node entry (two instances).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bin, ensureConsumer, failures, launchChromium, loadVectors, runCommand, runPage } from './harness.mjs';
import { everyCall } from '../runtime/every-call.mjs';

let consumer;
let node; // the Node entry (two instances)
let expected; // everyCall on the Node entry
let caseCount;

before(async () => {
  consumer = ensureConsumer();
  caseCount = loadVectors().reduce((n, s) => n + s.cases.length, 0);
  node = await import(pathToFileURL(join(consumer, 'node_modules', 'calhook', 'dist', 'entries', 'node.mjs')).href);
  expected = everyCall(node);
});

function checkReport(r) {
  assert.equal(r.sameInstance, true, 'the tools glue serves the core instance');
  assert.deepEqual(r.calls, expected, 'every function gives what the Node entry gives');
  assert.equal(r.trapCore, 'INTERNAL', 'a trap in a core call is INTERNAL');
  assert.equal(r.trapTools, 'INTERNAL', 'a trap in a tool call is INTERNAL');
  const [[core0, tools0], [core1, tools1]] = r.generationsAfterTraps;
  assert.equal(core1, core0 + 2, 'each trap replaced the one instance');
  assert.equal(tools1, tools0 + 2, 'and the tools glue followed each time');
  assert.equal(r.sameInstanceAfterTraps, true);
  assert.deepEqual(r.callsAfterTraps, expected, 'every function works after the traps');
  assert.equal(r.bigDiagnose, true);
  assert.equal(r.resetByToolCall, true, 'memory grown by a tool call is given back');
  assert.ok(r.memoryAfterReset < r.memoryResetBytes, `one instance's memory, counted once: ${r.memoryAfterReset}`);
  assert.equal(r.sameInstanceAfterReset, true);
  assert.deepEqual(r.callsAfterReset, expected, 'every function works after the reset');
}

test('full module in Node (browser entry, bytes given): one instance, every function, traps and resets', async () => {
  checkReport(JSON.parse(await runCommand(process.execPath, ['run-full-node.mjs'], { cwd: consumer })));
});

test('Node keeps its two instances: ready({ tools: true }) loads the tools module, ready() and ready(url) resolve as before', async () => {
  const dist = join(consumer, 'node_modules', 'calhook', 'dist');
  const hotGlue = await import(pathToFileURL(join(dist, 'wasm.js')).href);
  const toolsGlue = await import(pathToFileURL(join(dist, 'wasm-tools.js')).href);
  assert.equal(await node.ready(), undefined);
  assert.equal(await node.ready('/ignored.wasm'), undefined);
  assert.equal(await node.ready({ tools: true }), undefined);
  assert.ok(node.lintTemplate('{"n": {{n}}}').length > 0);
  assert.notEqual(toolsGlue.__calhook_current().instance, hotGlue.__calhook_current().instance, 'the tools have an instance of their own');
});

test('ready({ tools: true }) with a module that has no tools: WASM_LOAD_FAILED naming the file to use; the core works, readyTools() still can', async () => {
  const out = JSON.parse(await runCommand(process.execPath, ['run-full-node.mjs', 'wrong-file'], { cwd: consumer }));
  assert.equal(out.ready, 'WASM_LOAD_FAILED');
  assert.match(out.message, /calhook_full\.wasm/);
  assert.equal(out.verify, true);
  assert.equal(out.lint, 'NOT_READY');
  assert.ok(out.lintAfterReadyTools.length > 0);
});

test('full module in Chromium (Vite build, default URL): only calhook_full.wasm fetched; vectors, every function, traps and resets', async () => {
  assert.ok(existsSync(bin.chromium), `chromium at ${bin.chromium} (Debian package \`chromium\`; make test installs it)`);
  const vite = await import('vite');
  const outDir = join(consumer, 'web-full-dist');
  await vite.build({ root: join(consumer, 'web-full'), logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022' } });
  const { startServer } = await import('../../scripts/serve.mjs');
  const server = await startServer(outDir);
  const browser = await launchChromium();
  try {
    const page = await runPage(browser, server.url);
    assert.deepEqual(page.errors, [], 'no console errors');
    const wasm = page.requests.filter((p) => p.endsWith('.wasm'));
    assert.equal(wasm.length, 1, `one wasm request: ${wasm.join(', ')}`);
    assert.match(wasm[0], /calhook_full[^/]*\.wasm$/);
    assert.deepEqual(page.results.wasmFetched, wasm, 'the page saw the same single fetch');
    assert.equal(page.results.vectors.length, caseCount, 'every vector ran');
    assert.deepEqual(failures(page.results.vectors), [], 'every vector passes');
    checkReport(page.results);
  } finally {
    await browser.close();
    await server.close();
  }
});
