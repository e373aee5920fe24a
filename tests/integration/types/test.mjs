// The package's declarations and module shape, checked by real tools: @arethetypeswrong/cli on the
// tarball, tsc strict under node16, nodenext and bundler resolution, and vitest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from '../lib.mjs';
import { writeBlocks } from './readme.mjs';

const bin = (name) => resolve('node_modules', '.bin', name);

test('attw: no problem in any resolution mode (node10, node16 CJS/ESM, bundler)', () => {
  // The .wasm files are assets for bundlers' file loaders, not modules.
  const { stdout } = spawnSync(bin('attw'), [resolve('../../.tmp/calhook.tgz'), '--format', 'json', '--exclude-entrypoints', './calhook_bg.wasm', './calhook_tools.wasm', './calhook_full.wasm', './calhook_signature.wasm'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const json = JSON.parse(stdout);
  const problems = Object.values(json.analysis.problems ?? json.problems ?? {}).flat();
  // node10 (TypeScript's `moduleResolution: node`) cannot see `exports` subpaths at all: the dev
  // tools' subpaths (calhook/testing, /express, /hono, /next) have no root-level stand-ins.
  const node10Subpath = (p) => p.kind === 'NoResolution' && p.resolutionKind === 'node10' && !['.', './signature'].includes(p.entrypoint);
  assert.deepEqual(problems.filter((p) => !node10Subpath(p)), [], JSON.stringify(problems, null, 2));
  const entrypoints = Object.keys(json.analysis.entrypoints);
  for (const e of ['.', './signature']) assert.ok(entrypoints.includes(e), `analysed ${entrypoints.join(', ')}`);
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
  assert.ok(blocks.filter((b) => !b.kind.fragment).length >= 8, `found ${blocks.length} README code blocks`);
  rmSync('readme-out', { recursive: true, force: true });
  await run(bin('tsc'), ['-p', 'tsconfig.readme.json']);
  const deno = blocks.filter((b) => b.kind.deno && !b.kind.fragment);
  if (deno.length) {
    await run(bin('deno'), ['check', '--quiet', ...deno.map((b) => b.file)], { env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  }
  const emitted = new Set(readdirSync('readme-out'));
  for (const { block, kind, file } of blocks) {
    const where = `${block.source}:${block.line}`;
    // Deno blocks start a server on 0.0.0.0:8000 (Deno.serve's default): type-checked only; the
    // servers project runs the same code on 127.0.0.1. Bundler-only blocks run in the bundlers project.
    if (kind.fragment) {
      t.diagnostic(`${where}: a dev-tools usage fragment (free variables from the reader's app): not checked here`);
      continue;
    }
    if (kind.listens) {
      t.diagnostic(`${where}: type-checked; starts a server on a fixed port, not run here`);
      continue;
    }
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
