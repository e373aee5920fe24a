// The package's TypeScript declarations compile against a typed usage file (strict tsc),
// resolved through package.json `exports` of the installed package, as users get them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureConsumer, root, runCommand } from './harness.mjs';

test('tsc --noEmit accepts tests/types/usage.ts against the installed package', async () => {
  const consumer = ensureConsumer();
  const dir = join(consumer, 'types');
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'tests', 'types'), dir, { recursive: true });
  // The consumer is an ESM package, so `import ... from 'calhook'` resolves the `import` types.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await runCommand(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir });
  } catch (e) {
    assert.fail(`tsc reported errors:\n${e.message}`);
  }
});
