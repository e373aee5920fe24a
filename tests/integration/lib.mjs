// Shared by the integration projects' tests: free ports, servers started and stopped by the
// test (127.0.0.1 only), commands with captured output, and the signature oracle (node:crypto).
// Ports and commands are the test harness's own (tests/js/harness.mjs).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { freePort, runCommand } from '../js/harness.mjs';

export const SECRET = 'whsec_integration_secret';
/** A realistic body; its signature comes from node:crypto, never from calhook. */
export const BODY = JSON.stringify({
  triggerEvent: 'BOOKING_CREATED',
  createdAt: '2026-01-01T10:00:00.000Z',
  payload: {
    uid: 'bk_123',
    title: 'Intro call',
    startTime: '2026-01-02T10:00:00Z',
    endTime: '2026-01-02T10:30:00Z',
    organizer: { name: 'Olga', email: 'olga@example.com', timeZone: 'Europe/Berlin' },
    attendees: [{ name: 'Ari', email: 'ari@example.com', timeZone: 'UTC' }],
  },
});

export function oracleSign(body, secret = SECRET) {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export { freePort };

/** Run a command to completion; resolves to its output (stdout and stderr), rejects with it on failure. */
export function run(cmd, args, opts = {}) {
  return runCommand(cmd, args, { ...opts, combined: true });
}

/**
 * Start a server process and wait until `url` answers (any status). Returns { url, stop, output }.
 * The process group is killed on stop, so tools that fork (next start, wrangler) go too.
 */
export async function startServer(cmd, args, { url, timeoutMs = 60_000, ...opts }) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...opts });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let exited = null;
  child.on('exit', (code) => (exited = code ?? 'signal'));
  const stop = () => {
    if (exited === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`${cmd} exited ${exited} before serving:\n${out.slice(-6000)}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return { url, stop, output: () => out };
    } catch {
      if (Date.now() > deadline) {
        stop();
        throw new Error(`${cmd} did not serve ${url} within ${timeoutMs} ms:\n${out.slice(-6000)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * The behaviour every receiver must show: a signed POST is accepted (200, and the body the
 * handler returns includes `expect`), an unsigned or wrongly signed one is refused (401).
 */
export async function assertReceiver(url, { expect = '', body = BODY } = {}) {
  const signed = await fetch(url, { method: 'POST', body, headers: { 'x-cal-signature-256': oracleSign(body) } });
  const text = await signed.text();
  assert.equal(signed.status, 200, `signed POST to ${url}: ${text}`);
  assert.ok(text.includes(expect), `signed POST to ${url} answered ${JSON.stringify(text)}, expected ${JSON.stringify(expect)}`);
  const unsigned = await fetch(url, { method: 'POST', body });
  assert.equal(unsigned.status, 401, `unsigned POST to ${url}: ${await unsigned.text()}`);
  const forged = await fetch(url, { method: 'POST', body, headers: { 'x-cal-signature-256': oracleSign(body, 'wrong') } });
  assert.equal(forged.status, 401, `forged POST to ${url}: ${await forged.text()}`);
  return text;
}
