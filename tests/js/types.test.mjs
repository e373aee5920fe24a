// The package's TypeScript declarations compile against a typed usage file (strict tsc),
// resolved through package.json `exports` of the installed package, as users get them.
import { test } from 'node:test';
import { ensureConsumer, typecheck } from './harness.mjs';

test('tsc --noEmit accepts tests/types/usage.ts against the installed package', async () => {
  await typecheck(ensureConsumer(), '', 'types');
});
