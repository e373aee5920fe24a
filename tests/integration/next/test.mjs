// A Next.js 16 App Router app, zero configuration (no next.config): Node, edge and strict
// TypeScript routes, built with Turbopack (the default) and with webpack, served by next start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { lintTemplate } from 'calhook';
import { SECRET, BODY, assertReceiver, freePort, oracleSign, run, startServer } from '../lib.mjs';

const next = 'node_modules/.bin/next';
// The tools module's answer in this Node process; both routes must load that module to match.
const LINT = lintTemplate('{"n": {{n}}}').map((d) => d.code).join(',');
const env = { ...process.env, CAL_WEBHOOK_SECRET: SECRET, NEXT_TELEMETRY_DISABLED: '1' };

for (const bundler of ['turbopack', 'webpack']) {
  test(`next build (${bundler}) + next start: node, edge (main and calhook/signature) and event routes`, async () => {
    rmSync('.next', { recursive: true, force: true });
    await run(next, ['build', bundler === 'webpack' ? '--webpack' : '--turbopack'], { env });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await startServer(next, ['start', '-H', '127.0.0.1', '-p', String(port)], { url: `${base}/`, env });
    try {
      const page = await (await fetch(`${base}/`)).text();
      assert.ok(page.includes(oracleSign('{"a":1}', 'secret')), 'the server component rendered sign()');
      await assertReceiver(`${base}/api/node`, { expect: `node ok ${oracleSign(BODY)} lint ${LINT}` });
      await assertReceiver(`${base}/api/edge`, { expect: `edge ok ${oracleSign(BODY)} lint ${LINT}` });
      await assertReceiver(`${base}/api/edge-slim`, { expect: `edge slim ok ${oracleSign(BODY)}` });
      const text = await assertReceiver(`${base}/api/events`, { expect: '"uid":"bk_123"' });
      assert.match(JSON.parse(text).key, /^[0-9a-f]{64}$/);
      const empty = await fetch(`${base}/api/node`, { method: 'POST' });
      assert.equal(empty.status, 401, 'a POST without a body is refused, not a 500');
    } finally {
      server.stop();
    }
  });
}
