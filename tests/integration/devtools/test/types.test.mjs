// The subpaths' TypeScript declarations (ESM .d.ts and CommonJS .d.cts) compile, strict, against
// typed usage files resolved through the installed package's `exports`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { project } from './helpers.mjs';

test('tsc --noEmit accepts types/usage.mts and types/usage.cts', async () => {
  const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await new Promise((resolve) => {
    execFile(process.execPath, [tsc, '-p', join(project, 'types', 'tsconfig.json')], { cwd: project }, (error, stdout, stderr) => resolve({ error, out: stdout + stderr }));
  });
  assert.equal(result.error, null, `tsc reported errors:\n${result.out}`);
});
