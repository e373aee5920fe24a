// The package's declarations and module shape, checked by real tools: @arethetypeswrong/cli on the
// tarball, tsc strict under node16, nodenext and bundler resolution, and vitest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { run } from '../lib.mjs';

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
