// Bundles of calhook made by real bundlers. Browser bundles (esbuild, Vite, webpack 5, Rollup,
// bun build) are served on 127.0.0.1 and run in headless Chromium; node-platform bundles
// (esbuild, bun build; ESM and CJS) run in Node, from the project and from elsewhere.
// Each must sign and verify a known vector (signature from node:crypto) and refuse a forgery.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { oracleSign, run } from '../lib.mjs';
import { lintTemplate } from 'calhook';
import { LINT_SOURCE } from './src/vector.js';

const BODY = '{"triggerEvent":"PING","createdAt":"2026-01-01T00:00:00.000Z","payload":{}}';
const EXPECTED = {
  signature: oracleSign(BODY, 'bundle-secret'),
  verified: true,
  forged: 'MISMATCH',
  missingBody: 'MISSING_BODY',
  template: '1-x',
  // What the installed package's Node entry says; every bundle must load the tools module to match.
  lint: lintTemplate(LINT_SOURCE).map((d) => d.code),
};
assert.ok(EXPECTED.lint.length > 0, 'the lint vector has findings');
const out = resolve('out');
const bin = (name) => resolve('node_modules', '.bin', name);
const wasm = resolve('node_modules', 'calhook', 'dist', 'calhook_bg.wasm');
const toolsWasm = resolve('node_modules', 'calhook', 'dist', 'calhook_tools.wasm');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server;
let base;
let browser;

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

before(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  server = createServer((req, res) => {
    const path = join(out, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith(out) || !existsSync(path)) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

function page(dir, script) {
  writeFileSync(join(out, dir, 'index.html'), `<!doctype html><meta charset="utf-8"><script type="module" src="./${script}"></script>`);
}

async function inChromium(path) {
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  try {
    await tab.goto(`${base}/${path}`);
    await tab.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
    return await tab.evaluate(() => window.__result);
  } catch (e) {
    throw new Error(`${path}: ${e.message}; page errors: ${errors.join('; ')}`);
  } finally {
    await tab.close();
  }
}

// --- Browser bundles, zero configuration ------------------------------------------------------

test('Vite 8 (vite build, no config): both wasm files are emitted and load', async () => {
  await run(bin('vite'), ['build', '--outDir', join(out, 'vite'), '--base', '/vite/', '--logLevel', 'warn']);
  assert.deepEqual(await inChromium('vite/index.html'), EXPECTED);
});

test('webpack 5 (defaults: mode, entry, output only): both wasm files are emitted and load', async () => {
  const { default: webpack } = await import('webpack');
  const stats = await new Promise((res, rej) =>
    webpack({ mode: 'production', entry: './src/zero.js', output: { path: join(out, 'webpack'), filename: 'app.js' } }, (e, s) => (e ? rej(e) : res(s))),
  );
  assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
  page('webpack', 'app.js');
  assert.deepEqual(await inChromium('webpack/index.html'), EXPECTED);
});

// esbuild, Rollup and bun build leave `new URL('../calhook_bg.wasm', import.meta.url)` as is and
// emit no .wasm: zero-config, ready() rejects with a CalhookError naming the fix.
for (const [tool, build] of [
  ['esbuild', (dir) => run(bin('esbuild'), ['src/zero.js', '--bundle', '--format=esm', `--outfile=${join(dir, 'zero.js')}`, '--log-level=warning'])],
  ['Rollup', (dir) => run(bin('rollup'), ['src/zero.js', '-p', '@rollup/plugin-node-resolve', '--format', 'es', '-o', join(dir, 'zero.js'), '--silent'])],
  ['bun build', (dir) => run(bin('bun'), ['build', 'src/zero.js', '--target=browser', `--outfile=${join(dir, 'zero.js')}`])],
]) {
  test(`${tool}, zero config: a missing wasm is a CalhookError WASM_LOAD_FAILED that names the fix`, async () => {
    const dir = join(out, `${tool.replace(' ', '-')}-zero`);
    await build(dir);
    page(dir.slice(out.length + 1), 'zero.js');
    const { error } = await inChromium(`${dir.slice(out.length + 1)}/index.html`);
    assert.equal(error?.code, 'WASM_LOAD_FAILED', JSON.stringify(error));
    assert.equal(error.name, 'CalhookError');
    assert.equal(error.calhookError, true);
    assert.match(error.message, /ready\('\/calhook_bg\.wasm'\)/);
  });
}

// --- calhook/signature: zero configuration in every bundler ---------------------------------------

const { template: _template, lint: _lint, ...SLIM_EXPECTED } = EXPECTED;
for (const [tool, build] of [
  ['esbuild', (dir) => run(bin('esbuild'), ['src/slim.js', '--bundle', '--minify', '--format=esm', `--outfile=${join(dir, 'slim.js')}`, '--log-level=warning'])],
  ['Rollup', (dir) => run(bin('rollup'), ['src/slim.js', '-p', '@rollup/plugin-node-resolve', '--format', 'es', '-o', join(dir, 'slim.js'), '--silent'])],
  ['bun build', (dir) => run(bin('bun'), ['build', 'src/slim.js', '--target=browser', '--minify', `--outfile=${join(dir, 'slim.js')}`])],
  ['webpack 5', async (dir) => {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise((res, rej) =>
      webpack({ mode: 'production', entry: './src/slim.js', output: { path: dir, filename: 'slim.js' } }, (e, s) => (e ? rej(e) : res(s))),
    );
    assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
  }],
]) {
  test(`calhook/signature with ${tool}, zero config: signs and verifies in Chromium, one file`, async () => {
    const name = `slim-${tool.replace(/\W+/g, '-')}`;
    const dir = join(out, name);
    await build(dir);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.wasm')), [], 'no separate asset');
    page(name, 'slim.js');
    assert.deepEqual(await inChromium(`${name}/index.html`), SLIM_EXPECTED);
  });
}

// --- Browser bundles, the documented setting ----------------------------------------------------

test('esbuild with --loader:.wasm=file and ready(wasmUrl): loads', async () => {
  const dir = join(out, 'esbuild-file');
  await run(bin('esbuild'), ['src/explicit.js', '--bundle', '--format=esm', '--loader:.wasm=file', `--outdir=${dir}`, '--log-level=warning']);
  page('esbuild-file', 'explicit.js');
  assert.deepEqual(await inChromium('esbuild-file/index.html'), EXPECTED);
});

test('bun build (its default file loader for .wasm) and ready(wasmUrl): loads', async () => {
  const dir = join(out, 'bun-file');
  await run(bin('bun'), ['build', 'src/explicit.js', '--target=browser', `--outdir=${dir}`]);
  page('bun-file', 'explicit.js');
  assert.deepEqual(await inChromium('bun-file/index.html'), EXPECTED);
});

test('Rollup with calhook_bg.wasm copied beside the page and ready(url): loads', async () => {
  const dir = join(out, 'rollup-copied');
  await run(bin('rollup'), ['src/copied.js', '-p', '@rollup/plugin-node-resolve', '--format', 'es', '-o', join(dir, 'copied.js'), '--silent']);
  copyFileSync(wasm, join(dir, 'calhook_bg.wasm'));
  copyFileSync(toolsWasm, join(dir, 'calhook_tools.wasm'));
  page('rollup-copied', 'copied.js');
  assert.deepEqual(await inChromium('rollup-copied/index.html'), EXPECTED);
});

// --- Node-platform bundles, zero configuration --------------------------------------------------

const nodeBundles = [
  ['esbuild --platform=node --format=esm', 'esbuild.mjs', (f) => run(bin('esbuild'), ['src/node-main.js', '--bundle', '--platform=node', '--format=esm', `--outfile=${f}`, '--log-level=error'])],
  ['esbuild --platform=node --format=cjs (ESM source)', 'esbuild-from-esm.cjs', (f) => run(bin('esbuild'), ['src/node-main.js', '--bundle', '--platform=node', '--format=cjs', `--outfile=${f}`, '--log-level=error'])],
  ['esbuild --platform=node --format=cjs (CJS source)', 'esbuild-from-cjs.cjs', (f) => run(bin('esbuild'), ['src/node-main.cjs', '--bundle', '--platform=node', '--format=cjs', `--outfile=${f}`, '--log-level=error'])],
  ['bun build --target=node', 'bun.mjs', (f) => run(bin('bun'), ['build', 'src/node-main.js', '--target=node', `--outfile=${f}`])],
  // bun inlines the CommonJS `__dirname` of each bundled module as its build-time path, so this
  // bundle finds the installed package's wasm by absolute path while that install exists.
  ['bun build --target=node --format=cjs', 'bun.cjs', (f) => run(bin('bun'), ['build', 'src/node-main.cjs', '--target=node', '--format=cjs', `--outfile=${f}`]), { buildPaths: true }],
];

for (const [name, file, build, { buildPaths = false } = {}] of nodeBundles) {
  test(`${name}: runs in Node from the project and from another directory`, async () => {
    const bundle = join(out, 'node', file);
    await build(bundle);
    assert.deepEqual(JSON.parse(await run(process.execPath, [bundle])), EXPECTED, 'run from the project');
    const elsewhere = mkdtempSync(join(tmpdir(), 'calhook-cwd-'));
    try {
      assert.deepEqual(JSON.parse(await run(process.execPath, [bundle], { cwd: elsewhere })), EXPECTED, 'run from another cwd');
      // Deployed alone (no node_modules): the wasm copied beside the bundle is found...
      const alone = join(elsewhere, file);
      cpSync(bundle, alone);
      if (buildPaths) {
        assert.ok(readFileSync(alone, 'utf8').includes(resolve('node_modules', 'calhook', 'dist')), 'bun inlined the build-time __dirname');
      } else {
        await assert.rejects(run(process.execPath, [alone], { cwd: elsewhere }), /WASM_LOAD_FAILED[\s\S]*calhook_bg\.wasm not found|calhook_bg\.wasm not found[\s\S]*WASM_LOAD_FAILED/);
      }
      copyFileSync(wasm, join(elsewhere, 'calhook_bg.wasm'));
      if (!buildPaths) {
        // ...the tools module is read on first use (lintTemplate), and must be copied too.
        await assert.rejects(run(process.execPath, [alone], { cwd: elsewhere }), /WASM_LOAD_FAILED[\s\S]*calhook_tools\.wasm not found|calhook_tools\.wasm not found[\s\S]*WASM_LOAD_FAILED/);
      }
      copyFileSync(toolsWasm, join(elsewhere, 'calhook_tools.wasm'));
      assert.deepEqual(JSON.parse(await run(process.execPath, [alone], { cwd: elsewhere })), EXPECTED, 'both wasm files beside the bundle');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
}
