// How the package behaves at its edges with the tools around it: a request without a body,
// one CalhookError identity across the ESM and CJS builds, CJS declarations without a default
// export, a compiled WebAssembly.Module from another realm (Next.js's edge sandbox), and the split
// into the main wasm and the tools wasm, and what a verify-only browser bundle keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import * as esm from '../../pkg/dist/entries/node.mjs';

const require = createRequire(import.meta.url);
const pkgDir = new URL('../../pkg/', import.meta.url);
const sig = (secret, body) => createHmac('sha256', secret).update(body).digest('hex');

test('a request without a body is a failed check (MISSING_BODY), never a throw', () => {
  const header = sig('s', '');
  for (const body of [undefined, null]) {
    assert.equal(esm.verify(body, header, 's'), false);
    const result = esm.check(body, header, ['s', 't']);
    assert.equal(result.ok, false);
    assert.equal(result.code, 'MISSING_BODY');
    assert.match(result.message, /express\.raw/);
    const v = new esm.Verifier('s');
    assert.equal(v.verify(body, header), false);
    assert.equal(v.check(body, undefined).code, 'MISSING_BODY');
    v.free();
    assert.deepEqual(esm.diagnose(body, header, 's').map((c) => c.code), ['MISSING_BODY']);
    assert.throws(() => esm.verifyEvent(body, header, 's'), (e) => e instanceof esm.CalhookError && e.code === 'MISSING_BODY');
    // Configuration errors stay loud: a missing secret or a wrong header type still throws.
    assert.throws(() => esm.verify(body, header, undefined), (e) => e.code === 'NO_RECEIVER_SECRET');
    assert.throws(() => esm.check(body, 42, 's'), (e) => e.code === 'INVALID_ARGUMENT');
  }
  assert.equal(esm.errorResponse(new esm.CalhookError('MISSING_BODY', 'x')).status, 401);
  // An empty body is a body: it verifies against its own signature.
  assert.equal(esm.verify('', header, 's'), true);
});

test('one CalhookError identity across import and require in one process', () => {
  const cjs = require('../../pkg/dist/node.cjs');
  assert.notEqual(cjs.CalhookError, esm.CalhookError, 'two builds are loaded (the dual-package case)');
  let fromCjs;
  let fromEsm;
  try { cjs.verify('{}', 'x', ''); } catch (e) { fromCjs = e; }
  try { esm.verify('{}', 'x', ''); } catch (e) { fromEsm = e; }
  assert.ok(fromCjs instanceof esm.CalhookError && fromCjs instanceof cjs.CalhookError);
  assert.ok(fromEsm instanceof esm.CalhookError && fromEsm instanceof cjs.CalhookError);
  assert.ok(fromEsm instanceof Error);
  for (const other of [new Error('x'), { code: 'NO_RECEIVER_SECRET' }, null, undefined, 'CalhookError', Object.create(esm.CalhookError.prototype)]) {
    assert.equal(other instanceof esm.CalhookError, false, `${String(other)} is not a CalhookError`);
  }
  // The brand is invisible: not enumerable, not serialized.
  assert.deepEqual(Object.keys(fromEsm).sort(), ['code', 'name']);
  assert.equal(JSON.stringify(fromEsm), JSON.stringify({ name: 'CalhookError', code: 'NO_RECEIVER_SECRET' }));
  // Subclasses keep ordinary instanceof semantics.
  class Sub extends esm.CalhookError {}
  assert.equal(new Sub('X', 'x') instanceof Sub, true);
  assert.equal(fromEsm instanceof Sub, false);
  assert.equal(new Sub('X', 'x') instanceof cjs.CalhookError, true);
});

test('the CommonJS declarations match the CommonJS build: no default export', () => {
  const cts = readFileSync(new URL('index.d.cts', pkgDir), 'utf8');
  const dts = readFileSync(new URL('index.d.ts', pkgDir), 'utf8');
  assert.doesNotMatch(cts, /^export default/m);
  assert.match(dts, /^export default ready;$/m);
  assert.equal(require('../../pkg/dist/node.cjs').default, undefined);
  assert.equal(typeof require('../../pkg/dist/node.cjs').ready, 'function');
});

test('initSync accepts a compiled WebAssembly.Module from another realm', async () => {
  const bytes = readFileSync(new URL('dist/calhook_bg.wasm', pkgDir));
  const context = vm.createContext({ bytes });
  const foreign = vm.runInContext('new WebAssembly.Module(bytes)', context);
  assert.equal(foreign instanceof WebAssembly.Module, false, 'the module is from another realm');
  // A fresh copy of the glue (its own wasm instance), as an edge bundle has.
  const glue = await import(new URL('dist/wasm.js?cross-realm', pkgDir).href);
  glue.initSync({ module: foreign });
  assert.equal(glue.sign_str('{}', 's'), sig('s', '{}'));
});

test('the main wasm has no tool exports; the tools wasm has exactly those, and the JS calls each through the tools glue', async () => {
  const { TOOL_EXPORTS } = await import('../../scripts/wasm-split.mjs');
  const exportsOf = (file) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(new URL(`dist/${file}`, pkgDir)))).map((e) => e.name);
  const main = exportsOf('calhook_bg.wasm');
  const tools = exportsOf('calhook_tools.wasm');
  assert.deepEqual(main.filter((n) => TOOL_EXPORTS.includes(n)), []);
  assert.ok(main.includes('verify_str') && main.includes('wasmtemplate_render') && main.includes('parse_event_input'));
  assert.deepEqual(tools.filter((n) => n !== 'memory' && !n.startsWith('__')).sort(), [...TOOL_EXPORTS].sort());
  // Every `wasm.x` the JS layer calls is in the main wasm, every `tools.x` in the tools wasm.
  for (const file of ['event.js', 'template.js', 'diagnose.js', 'signature.js', 'projection.js']) {
    const source = readFileSync(new URL(`dist/${file}`, pkgDir), 'utf8');
    for (const [, glue, name] of source.matchAll(/\b(wasm|tools)\.([a-z_]+)\(/g)) {
      assert.ok((glue === 'wasm' ? main : tools).includes(name), `${file}: ${glue}.${name} is exported by ${glue === 'wasm' ? 'calhook_bg' : 'calhook_tools'}.wasm`);
    }
  }
  // The tools load on first use in Node (this process has not called one yet in this test file).
  assert.ok(esm.lintTemplate('{"n": {{n}}}').length > 0);
  assert.equal(await esm.readyTools(), undefined);
});

// The browser entry as esbuild bundles it with no configuration (bench/startup.mjs measures
// that bundle): an app that only verifies gets the verifier's glue, not the wrappers and JS of
// templates, events or tools. Every module-level statement of the JS layer and the glue must
// be free of side effects (or marked `@__PURE__`) for that, and a namespace of the glue must
// never be passed around whole.
test('a verify-only browser bundle keeps the verifier and leaves out templates, events and tools', async () => {
  const { build } = await import('esbuild');
  const entry = new URL('dist/entries/browser.js', pkgDir).pathname;
  const app = `import ready, { Verifier } from ${JSON.stringify(entry)};\nawait ready();\nconsole.log(new Verifier(['s']).verify(document.body.textContent, 'x'));\n`;
  const result = await build({
    stdin: { contents: app, resolveDir: new URL('.', import.meta.url).pathname },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'error',
  });
  const js = result.outputFiles[0].text;
  // Wasm export names survive minification (they are property names of the instance's exports).
  for (const kept of ['wasmverifier_new', 'wasmverifier_verify_str', '__wbindgen_malloc']) assert.ok(js.includes(kept), `${kept} is in the bundle`);
  for (const dropped of ['wasmtemplate_new', 'build_delivery', 'parse_event_input', 'event_key', 'format_diagnostic', 'sample_payload', 'renderPayloadTemplate', 'TEMPLATE_SYNTAX', 'BOOKING_CREATED']) {
    assert.ok(!js.includes(dropped), `${dropped} is not in a verify-only bundle`);
  }
});
