// Shared by the dev-tools integration tests: run the installed `calhook` command, start and
// stop servers on 127.0.0.1, verify signatures with node:crypto (the oracle).
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const project = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = join(project, 'node_modules', '.bin', 'calhook');

/** Run a command; resolves `{ code, stdout, stderr }`. `npx: true` runs it as `npx calhook`. */
export function calhook(args, { input, env = {}, npx = false } = {}) {
  const [cmd, argv] = npx ? ['npx', ['--no-install', 'calhook', ...args]] : [bin, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: project, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', CAL_WEBHOOK_SECRET: '', ...env } });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), stdoutBytes: Buffer.concat(out) }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Start a long-running `calhook` command; `waitFor(regex)` on its stderr. */
export function spawnCalhook(args) {
  const child = spawn(bin, args, { cwd: project, env: { ...process.env, NO_COLOR: '1', CAL_WEBHOOK_SECRET: '' } });
  let stdout = '';
  let stderr = '';
  const waiters = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = w.stream() .match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.on('data', (d) => ((stdout += d), check()));
  child.stderr.on('data', (d) => ((stderr += d), check()));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const wait = (stream, re, ms = 15000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; stdout: ${stdout}\nstderr: ${stderr}`)), ms);
      waiters.push({ stream, re, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      check();
    });
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    waitStderr: (re, ms) => wait(() => stderr, re, ms),
    waitStdout: (re, ms) => wait(() => stdout, re, ms),
  };
}

/** A plain node:http receiver recording every request: `{ url, close, requests }`. */
export async function recorder(respond = (req, res) => res.end('received')) {
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method, path: req.url, headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) });
      respond(req, res);
    });
  });
  return { ...(await listen(server)), requests };
}

/** Listen on 127.0.0.1 (a free port); `{ url, port, close }`. */
export function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => {
          server.close(r);
          server.closeAllConnections?.();
        }),
      });
    });
  });
}

/** The oracle: lowercase hex HMAC-SHA256 of the exact bytes. */
export function hmac(body, secret) {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Constant-time check of a header against the oracle's digest. */
export function signatureValid(body, header, secret) {
  const want = Buffer.from(hmac(body, secret), 'hex');
  const got = Buffer.from(String(header ?? ''), 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}
