// Real servers receiving signed, unsigned, forged and body-less POSTs on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SECRET, assertReceiver, freePort, run, startServer } from '../lib.mjs';

const deno = resolve('node_modules/.bin/deno');
const bun = resolve('node_modules/.bin/bun');
// Deno needs only these permissions: the network for the server, the two variables it reads.
const denoRun = ['run', '--quiet', '--allow-net=127.0.0.1', '--allow-env=PORT,CAL_WEBHOOK_SECRET'];

const servers = [
  ['Express 5', process.execPath, ['express.mjs'], 'express ok BOOKING_CREATED'],
  ['Hono (@hono/node-server)', process.execPath, ['hono.mjs'], 'hono ok BOOKING_CREATED'],
  ['Bun.serve', bun, ['bun-server.mjs'], 'bun ok BOOKING_CREATED'],
  ['Deno, npm:calhook', deno, [...denoRun, 'deno-npm.mjs'], 'deno ok'],
  ['Deno, bare specifier from package.json/node_modules', deno, [...denoRun, 'deno-bare.mjs'], 'deno ok'],
];

for (const [name, cmd, args, expect] of servers) {
  test(`${name}: signed 200, unsigned/forged/body-less 401`, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/webhooks/cal`;
    const env = { ...process.env, PORT: String(port), CAL_WEBHOOK_SECRET: SECRET, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const server = await startServer(cmd, args, { url, env });
    try {
      await assertReceiver(url, { expect });
      const empty = await fetch(url, { method: 'POST' });
      assert.equal(empty.status, 401, `a POST without a body: ${await empty.text()}`);
    } finally {
      server.stop();
    }
  });
}

// A Deno project without package.json whose deno.json maps `calhook` into node_modules: Deno
// then treats node_modules as absent ("nodeModulesDir": "none") and does not prepare the wasm
// source import. The setting the README documents, "nodeModulesDir": "manual", makes it work.
test('Deno, deno.json import map into node_modules: needs "nodeModulesDir": "manual"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'calhook-deno-'));
  try {
    cpSync('node_modules/calhook', join(dir, 'node_modules', 'calhook'), { recursive: true });
    cpSync('deno-import-map.mjs', join(dir, 'main.mjs'));
    const imports = { calhook: './node_modules/calhook/dist/entries/deno.js' };
    writeFileSync(join(dir, 'deno.json'), JSON.stringify({ imports }));
    const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    // Without the setting, loading fails before the server starts.
    await assert.rejects(run(deno, [...denoRun, 'main.mjs'], { cwd: dir, env: { ...env, PORT: '1' } }), /Loading unprepared module/);
    writeFileSync(join(dir, 'deno.json'), JSON.stringify({ imports, nodeModulesDir: 'manual' }));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/webhooks/cal`;
    const server = await startServer(deno, [...denoRun, 'main.mjs'], { url, cwd: dir, env: { ...env, PORT: String(port), CAL_WEBHOOK_SECRET: SECRET } });
    try {
      await assertReceiver(url, { expect: 'deno ok' });
    } finally {
      server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
