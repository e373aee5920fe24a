// calhook/next in a real Next.js 16 app: `next build` (Turbopack) bundles the route and the
// package (its self-referencing subpath and the Node entry), `next start` serves it on
// 127.0.0.1, and `calhook trigger` is sent to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CalhookError, errorResponse, samplePayload } from 'calhook';
import { calhook, project } from './helpers.mjs';

const next = join(project, 'node_modules', '.bin', 'next');
const app = join(project, 'next-app');
const SECRET = 'next-app-secret';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CAL_WEBHOOK_SECRET: SECRET, NO_COLOR: '1' };

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

test('next build + next start: calhook trigger reaches the calhook/next route', { timeout: 15 * 60_000 }, async () => {
  await new Promise((resolve, reject) => {
    execFile(next, ['build', app], { cwd: project, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => (error ? reject(new Error(`next build failed:\n${stdout}\n${stderr}`)) : resolve()));
  });
  const port = await freePort();
  const server = spawn(next, ['start', app, '-H', '127.0.0.1', '-p', String(port)], { cwd: project, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`next start did not get ready:\n${log}`)), 60_000);
      const check = () => /Ready in|started server/i.test(log) && (clearTimeout(timer), resolve());
      server.stdout.on('data', check);
      server.stderr.on('data', check);
      server.on('exit', (code) => reject(new Error(`next start exited ${code}:\n${log}`)));
    });
    const url = `http://127.0.0.1:${port}/api/cal/node`;
    const ok = await calhook(['trigger', 'BOOKING_CREATED', '--url', url, '--secret', SECRET]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr + log);
    assert.deepEqual(JSON.parse(ok.stdout.split('\n')[1]), { runtime: 'nodejs', trigger: 'BOOKING_CREATED', uid: samplePayload('BOOKING_CREATED').payload.uid, known: true });
    const bad = await calhook(['trigger', 'BOOKING_CREATED', '--url', url, '--secret', 'wrong']);
    assert.equal(bad.code, 1);
    const want = errorResponse(new CalhookError('MISMATCH', 'x'));
    assert.ok(bad.stdout.includes(`→ ${want.status} `), bad.stdout);
    assert.deepEqual(JSON.parse(bad.stdout.split('\n')[1]), await want.json());
  } finally {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
});
