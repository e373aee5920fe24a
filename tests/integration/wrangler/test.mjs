// A Worker as wrangler deploys it: `wrangler deploy --dry-run --outdir` (wrangler needs Node >= 22,
// taken from the npm package `node` installed here), then the exact output served by workerd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BODY, SECRET, assertReceiver, freePort, oracleSign, run, startServer } from '../lib.mjs';

const node22 = resolve('node_modules/node/bin/node');
const out = resolve('out');

test('wrangler deploy --dry-run bundle, served by workerd: signed 200, unsigned 401, diagnose() from the tools module', async () => {
  rmSync(out, { recursive: true, force: true });
  const version = await run(node22, ['--version']);
  assert.match(version, /^v22\./);
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1', WRANGLER_LOG_PATH: resolve('out', 'logs') };
  await run(node22, ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', out], { env });
  const files = readdirSync(out).filter((f) => /\.(m?js|wasm)$/.test(f));
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 3, `wrangler emitted every wasm module (main, tools and calhook/signature): ${files.join(', ')}`);
  const main = files.find((f) => f === 'index.js');
  assert.ok(main, `wrangler emitted index.js: ${files.join(', ')}`);
  const modules = files.map((f) => (f.endsWith('.wasm') ? `(name = "${f}", wasm = embed "${f}")` : `(name = "${f}", esModule = embed "${f}")`));
  // The entry module must come first.
  modules.sort((a, b) => (a.includes('"index.js"') ? -1 : b.includes('"index.js"') ? 1 : 0));
  const port = await freePort();
  writeFileSync(
    resolve('out', 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ ${modules.join(', ')} ],
  bindings = [ (name = "CAL_WEBHOOK_SECRET", text = "${SECRET}") ],
  compatibilityDate = "2025-09-01",
);
`,
  );
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(resolve('node_modules/.bin/workerd'), ['serve', 'out/config.capnp'], { url: `${base}/` });
  try {
    await assertReceiver(`${base}/`, { expect: 'worker ok' });
    await assertReceiver(`${base}/events`, { expect: 'worker event BOOKING_CREATED' });
    await assertReceiver(`${base}/slim`, { expect: 'worker slim ok' });
    await assertReceiver(`${base}/diagnose`, { expect: 'worker diagnose ok' });
    const diagnosed = await fetch(`${base}/diagnose`, { method: 'POST', body: BODY, headers: { 'x-cal-signature-256': oracleSign(BODY, 'wrong') } });
    assert.equal(await diagnosed.text(), 'SECRET_OR_BODY_DIFFERS', 'diagnose() from the tools module');
    const empty = await fetch(`${base}/`, { method: 'POST' });
    assert.equal(empty.status, 401);
  } finally {
    server.stop();
  }
});
