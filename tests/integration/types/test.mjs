// The package's declarations and module shape, checked by real tools: @arethetypeswrong/cli on the
// tarball, tsc strict under node16, nodenext and bundler resolution, and vitest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from '../lib.mjs';
import { writeBlocks } from './readme.mjs';

const bin = (name) => resolve('node_modules', '.bin', name);

test('attw: no problem in any resolution mode (node10, node16 CJS/ESM, bundler)', async () => {
  // calhook_bg.wasm is an asset for bundlers' file loaders, not a module with declarations.
  const out = await run(bin('attw'), [resolve('../../.tmp/calhook.tgz'), '--format', 'json', '--exclude-entrypoints', './calhook_bg.wasm']).catch((e) => e.message);
  const json = JSON.parse(out.slice(out.indexOf('{')));
  assert.deepEqual(json.analysis.problems ?? [], [], JSON.stringify(json.analysis.problems, null, 2));
  const entrypoints = Object.keys(json.analysis.entrypoints);
  assert.ok(entrypoints.includes('.'), `analysed ${entrypoints.join(', ')}`);
});

for (const resolution of ['node16', 'nodenext', 'bundler']) {
  test(`tsc strict, moduleResolution ${resolution}: real-world inputs type-check, wrong ones do not`, async () => {
    await run(bin('tsc'), ['-p', `tsconfig.${resolution}.json`]);
  });
}

test('vitest run', async () => {
  const out = await run(bin('vitest'), ['run', '--reporter=verbose']);
  assert.match(out, /2 passed/);
});

test('every JS/TS block of the READMEs type-checks under strict and runs where it can', async (t) => {
  const blocks = writeBlocks();
  assert.ok(blocks.length >= 8, `found ${blocks.length} README code blocks`);
  rmSync('readme-out', { recursive: true, force: true });
  await run(bin('tsc'), ['-p', 'tsconfig.readme.json']);
  const deno = blocks.filter((b) => b.kind.deno);
  if (deno.length) {
    await run(bin('deno'), ['check', '--quiet', ...deno.map((b) => b.file)], { env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  }
  const emitted = new Set(readdirSync('readme-out'));
  for (const { block, kind, file } of blocks) {
    const where = `${block.source}:${block.line}`;
    // Deno blocks start a server on 0.0.0.0:8000 (Deno.serve's default): type-checked only; the
    // servers project runs the same code on 127.0.0.1. Bundler-only blocks run in the bundlers project.
    if (kind.deno || kind.bundlerOnly) {
      t.diagnostic(`${where}: type-checked (${kind.deno ? 'deno check' : 'tsc'}), run elsewhere`);
      continue;
    }
    const out = file.slice('readme/'.length).replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs');
    assert.ok(emitted.has(out), `${where} compiled to ${out}`);
    const stdout = await run(process.execPath, ['--import', './readme-setup.mjs', 'readme-run.mjs', join('readme-out', out)]);
    const report = JSON.parse(stdout.trim().split('\n').pop());
    if (report.handler) {
      assert.equal(report.signed, 200, `${where}: a signed request is accepted`);
      assert.equal(report.unsigned, 401, `${where}: an unsigned request is refused`);
    }
    t.diagnostic(`${where}: type-checked and ran${report.handler ? ' (handler: signed 200, unsigned 401)' : ''}`);
  }
});
