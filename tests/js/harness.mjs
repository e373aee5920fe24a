// Shared set-up for the Node tests: installs the built package (pkg/) into a throwaway consumer
// project exactly as a user would (npm pack + npm install of the tarball), and writes the
// conformance vectors and the runner beside it so every runtime runs the same files.
import assert from 'node:assert/strict';
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

/**
 * Run a command to completion. Resolves to its stdout (`{ combined: true }` in `opts`: stdout and
 * stderr interleaved, as a terminal shows them); rejects on a non-zero exit with stderr (or the
 * last 6,000 characters of the combined output) in the message.
 */
export function runCommand(cmd, args, { combined = false, ...opts } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    let err = '';
    // Decode as a stream: a multi-byte character may straddle two chunks.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (combined ? (out += d) : (err += d)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve(out);
      const detail = combined ? `${args.join(' ')} exited ${code}:\n${out.slice(-6000)}` : `exited ${code}: ${err}`;
      reject(new Error(`${cmd} ${detail}`));
    });
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
 * the .wasm kept as a module import. Resolves to the bundle's file name (in `consumerDir`).
 */
export async function bundleWorker(consumerDir, entry, name, conditions, logLevel = 'warning') {
  const { build } = await import('esbuild');
  const bundle = `${name}.bundle.js`;
  await build({
    entryPoints: [join(consumerDir, entry)],
    bundle: true,
    format: 'esm',
    conditions,
    outfile: join(consumerDir, bundle),
    logLevel,
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
  return bundle;
}

/** Write a workerd config serving `bundle` (with every .wasm module) on 127.0.0.1:`port`. */
export function writeWorkerdConfig(consumerDir, name, bundle, port) {
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
    (name = "calhook_tools.wasm", wasm = embed "node_modules/calhook/dist/calhook_tools.wasm"),
    (name = "calhook_signature.wasm", wasm = embed "node_modules/calhook/dist/slim/calhook_signature.wasm"),
  ],
  compatibilityDate = "2025-06-01",
);
`,
  );
  return config;
}

/**
 * Bundle `entry` (see bundleWorker) and serve it with a real workerd on 127.0.0.1.
 * Resolves to `{ url, stderr(), stop() }` once the server answers.
 */
export async function startWorkerd(consumerDir, entry, name, conditions) {
  const bundle = await bundleWorker(consumerDir, entry, name, conditions);
  const port = await freePort();
  const config = writeWorkerdConfig(consumerDir, name, bundle, port);
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

/** Launch Debian's headless Chromium through playwright-core (the flags the brief fixes). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: bin.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/**
 * Open `url` in `browser`, wait for the page's runner to finish (`window.__results`, or a
 * `#status` that is no longer "running"), and resolve to `{ results, errors, requests }`: the
 * runner's results, the console errors and page errors, and the paths the page requested.
 */
export async function runPage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(url);
  await page.waitForFunction(() => window.__results || document.getElementById('status')?.textContent !== 'running', null, {
    timeout: 60000,
  });
  const results = await page.evaluate(() => window.__results);
  await page.close();
  return { results, errors, requests };
}

/** The runtimes of the conformance matrix, in the order their tests run. */
export const RUNTIMES = ['node-esm', 'node-cjs', 'deno', 'workerd', 'edge-light', 'chromium'];

const DENO_ENV = { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };

/**
 * Register one node:test test per runtime of RUNTIMES, each running one runner over the
 * conformance vectors in the installed package and handing the result list to
 * `accept(runtime, list)`:
 *  - `esm` / `cjs`: runner scripts in the consumer project (Node runs both; Deno runs `esm`
 *    with no permissions);
 *  - `worker`: a worker module served by a real workerd (conditions workerd/worker/browser) and
 *    by the edge-light entry in a workerd isolate, answering `GET /vectors`;
 *  - `chromium(consumer)`: builds the page and resolves to the directory to serve; the page's
 *    console must stay free of errors, and `checkPage(page)` may assert more on runPage's result.
 * `title(runtime)` names each test; `consumer()` gives the consumer project (set up in `before`).
 */
export function runtimeMatrix({ test, title, consumer, esm, cjs, worker, chromium, checkPage = () => {}, accept }) {
  const inWorkerd = async (runtime, conditions) => {
    assert.ok(existsSync(bin.workerd), 'workerd is installed (npm devDependency `workerd`)');
    const name = `${worker.replace(/\.m?js$/, '')}.${runtime}`;
    const server = await startWorkerd(consumer(), worker, name, conditions);
    try {
      const res = await fetch(`${server.url}vectors`);
      assert.equal(res.status, 200, server.stderr());
      accept(runtime, await res.json());
    } finally {
      server.stop();
    }
  };
  const steps = {
    'node-esm': async () => accept('node-esm', JSON.parse(await runCommand(process.execPath, [esm], { cwd: consumer() }))),
    'node-cjs': async () => accept('node-cjs', JSON.parse(await runCommand(process.execPath, [cjs], { cwd: consumer() }))),
    deno: async () => {
      assert.ok(existsSync(bin.deno), 'deno is installed (npm devDependency `deno`)');
      accept('deno', JSON.parse(await runCommand(bin.deno, ['run', '--quiet', esm], { cwd: consumer(), env: DENO_ENV })));
    },
    workerd: () => inWorkerd('workerd', ['workerd', 'worker', 'browser']),
    'edge-light': () => inWorkerd('edge-light', ['edge-light']),
    chromium: async () => {
      assert.ok(existsSync(bin.chromium), `chromium at ${bin.chromium} (Debian package \`chromium\`; make test installs it)`);
      const { startServer } = await import('../../scripts/serve.mjs');
      const server = await startServer(await chromium(consumer()));
      const browser = await launchChromium();
      try {
        const page = await runPage(browser, server.url);
        assert.deepEqual(page.errors, [], 'no console errors');
        checkPage(page);
        accept('chromium', page.results);
      } finally {
        await browser.close();
        await server.close();
      }
    },
  };
  for (const runtime of RUNTIMES) test(title(runtime), steps[runtime]);
}

/**
 * Type-check a usage folder against the installed package with strict tsc: `tests/types/<from>`
 * is copied to `<consumer>/<to>` (an ESM package, so `import` types resolve) and `tsc -p` runs
 * on its tsconfig.json. Rejects with tsc's report.
 */
export async function typecheck(consumerDir, from, to) {
  const dir = join(consumerDir, to);
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'tests', 'types', from), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await runCommand(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir });
  } catch (e) {
    throw new Error(`tsc reported errors:\n${e.message}`);
  }
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
