// Shared set-up for the Node tests: installs the built package (pkg/) into a throwaway consumer
// project exactly as a user would (npm pack + npm install of the tarball), and writes the
// conformance vectors and the runner beside it so every runtime runs the same files.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const tmp = join(root, 'tests', '.tmp');
export const consumer = join(tmp, 'consumer');
export const artifacts = join(root, 'tests', 'artifacts');

/** All vector suites from tests/vectors/*.json. */
export function loadVectors() {
  const dir = join(root, 'tests', 'vectors');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

/**
 * The consumer project with calhook installed from a packed tarball. Rebuilt when pkg/ is newer
 * than the last install, so every test file can call it.
 */
export function ensureConsumer() {
  const pkgJson = join(root, 'pkg', 'package.json');
  if (!existsSync(pkgJson)) throw new Error('pkg/ is not built: run `make build`');
  const stamp = join(consumer, '.installed');
  const built = statSync(join(root, 'pkg', 'dist', 'calhook_bg.wasm')).mtimeMs;
  if (!existsSync(stamp) || Number(readFileSync(stamp, 'utf8')) !== built) {
    rmSync(consumer, { recursive: true, force: true });
    mkdirSync(consumer, { recursive: true });
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmp], {
      cwd: join(root, 'pkg'),
      encoding: 'utf8',
    }).trim().split('\n').pop();
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', join(tmp, tarball)], { cwd: consumer });
    writeFileSync(stamp, String(built));
  }
  // Runner and vectors are refreshed every time (cheap), so edits to them are always tested.
  cpSync(join(root, 'tests', 'runtime'), consumer, { recursive: true });
  writeFileSync(join(consumer, 'vectors-data.mjs'), `export default ${JSON.stringify(loadVectors())};\n`);
  return consumer;
}

/** Run a command, resolve to its stdout; reject with stderr on a non-zero exit. */
export function runCommand(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    let err = '';
    // Decode as a stream: a multi-byte character may straddle two chunks.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Poll `url` until it answers or `timeoutMs` passes. */
export async function waitForHttp(url, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      return await fetch(url);
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer from ${url}: ${last}`);
}

/** Where a runtime's results are kept for the cross-runtime comparison. */
export function saveResults(runtime, results) {
  mkdirSync(join(tmp, 'results'), { recursive: true });
  writeFileSync(join(tmp, 'results', `${runtime}.json`), JSON.stringify(results));
}

/** Assert-friendly summary: the failing cases, for a readable assertion message. */
export function failures(results) {
  return results.filter((r) => !r.pass).map((r) => `${r.suite} / ${r.name}: got ${JSON.stringify(r.got).slice(0, 300)}`);
}

/** The local binaries the tests use (devDependencies, Debian's chromium). */
export const bin = {
  deno: join(root, 'node_modules', '.bin', 'deno'),
  workerd: join(root, 'node_modules', '.bin', 'workerd'),
  esbuild: join(root, 'node_modules', '.bin', 'esbuild'),
  chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
};

export { dirname };

/**
 * Bundle `entry` (in the consumer project) as wrangler does — the runtime's export conditions,
 * the .wasm kept as a module import — and serve it with a real workerd on 127.0.0.1.
 * Resolves to `{ url, stderr(), stop() }` once the server answers.
 */
export async function startWorkerd(consumerDir, entry, name, conditions) {
  const { build } = await import('esbuild');
  const bundle = `${name}.bundle.js`;
  await build({
    entryPoints: [join(consumerDir, entry)],
    bundle: true,
    format: 'esm',
    conditions,
    outfile: join(consumerDir, bundle),
    logLevel: 'warning',
    plugins: [
      {
        name: 'wasm-module',
        setup(b) {
          // Each .wasm (main or calhook/signature) becomes the module of the same file name.
          b.onResolve({ filter: /\.wasm(\?module)?$/ }, (a) => ({
            path: a.path.replace(/\?module$/, '').split('/').pop(),
            external: true,
          }));
        },
      },
    ],
  });
  const port = await freePort();
  const config = `${name}.capnp`;
  writeFileSync(
    join(consumerDir, config),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "${bundle}"),
    (name = "calhook_bg.wasm", wasm = embed "node_modules/calhook/dist/calhook_bg.wasm"),
    (name = "calhook_signature.wasm", wasm = embed "node_modules/calhook/dist/slim/calhook_signature.wasm"),
  ],
  compatibilityDate = "2025-06-01",
);
`,
  );
  const server = spawn(bin.workerd, ['serve', config], { cwd: consumerDir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url);
  } catch (e) {
    server.kill('SIGTERM');
    throw new Error(`workerd did not start: ${e.message}\n${stderr}`);
  }
  return { url, stderr: () => stderr, stop: () => server.kill('SIGTERM') };
}

/** A deterministic PRNG (mulberry32), so a failing generated case reproduces. */
export function prng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
