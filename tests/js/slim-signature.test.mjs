// `calhook/signature`, the slim entry, as users get it (npm pack + install): the signature
// vectors in every runtime (Node ESM and CJS, Deno, workerd, edge-light in workerd, Chromium
// with a zero-config esbuild bundle), identical results everywhere, and a differential test
// against node:crypto (the HMAC oracle) and the main entry (the semantics oracle).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RUNTIMES, ensureConsumer, failures, loadVectors, prng, runCommand, runtimeMatrix, typecheck } from './harness.mjs';
import { slimSuites } from '../runtime/slim-vectors.mjs';

const results = {};
let consumer;
let caseCount;
let slim;
let slimCjs;
let main;

before(async () => {
  consumer = ensureConsumer();
  caseCount = slimSuites(loadVectors()).reduce((n, s) => n + s.cases.length, 0);
  const pkgDir = join(consumer, 'node_modules', 'calhook');
  const req = createRequire(join(consumer, 'package.json'));
  // The ESM file the `node` + `import` condition selects (import() here would resolve from
  // this repository, not from the consumer project).
  slim = await import(pathToFileURL(join(pkgDir, 'dist', 'slim', 'entries', 'node.mjs')).href);
  slimCjs = req('calhook/signature');
  main = await import(pathToFileURL(join(pkgDir, 'dist', 'entries', 'node.mjs')).href);
});

function accept(runtime, list) {
  assert.ok(caseCount > 100, 'the signature vectors are loaded');
  assert.equal(list.length, caseCount, `${runtime} ran every case`);
  assert.deepEqual(failures(list), [], `${runtime}: every vector passes`);
  results[runtime] = list;
}

const TITLES = {
  'node-esm': 'slim: Node ESM (import calhook/signature)',
  'node-cjs': 'slim: Node CommonJS (require calhook/signature)',
  deno: 'slim: Deno (deno condition, inlined wasm, no permissions)',
  workerd: 'slim: Cloudflare workerd (.wasm module import)',
  'edge-light': 'slim: edge-light entry in a workerd isolate (?module import)',
  chromium: 'slim: Chromium, esbuild bundle with no configuration (inlined wasm, sync instantiation)',
};

runtimeMatrix({
  test,
  title: (runtime) => TITLES[runtime],
  consumer: () => consumer,
  esm: 'run-slim-esm.mjs',
  cjs: 'run-slim-cjs.cjs',
  worker: 'worker-slim.mjs',
  async chromium(dir) {
    const { build } = await import('esbuild');
    const web = join(dir, 'web-slim');
    // Exactly what a user runs: no plugin, no loader for .wasm, the default browser platform.
    // (A main-thread synchronous compile is allowed at this size: no console error for it.)
    await build({ entryPoints: [join(web, 'main.js')], bundle: true, format: 'esm', minify: true, outfile: join(web, 'bundle.js'), logLevel: 'warning' });
    return web;
  },
  checkPage({ requests }) {
    assert.deepEqual(requests.filter((p) => p.endsWith('.wasm')), [], 'no .wasm fetched: it is inlined');
  },
  accept,
});

test('slim: esbuild --platform=node bundles (ESM and CJS) run alone, from an empty directory', async () => {
  const { build } = await import('esbuild');
  const src = join(consumer, 'slim-node-bundle.mjs');
  writeFileSync(src, "import { sign, check } from 'calhook/signature';\nconst h = sign('{}', 's');\nconsole.log(JSON.stringify([h, check('{}', h, ['x', 's']).code, check('{}', h, 'x').code]));\n");
  const lonely = mkdtempSync(join(tmpdir(), 'calhook-slim-'));
  try {
    for (const format of ['esm', 'cjs']) {
      const out = join(lonely, `bundle.${format === 'esm' ? 'mjs' : 'cjs'}`);
      await build({ entryPoints: [src], bundle: true, platform: 'node', format, outfile: out, logLevel: 'warning' });
      const [h, ok, bad] = JSON.parse(await runCommand(process.execPath, [out], { cwd: lonely }));
      assert.equal(h, createHmac('sha256', 's').update('{}').digest('hex'), format);
      assert.deepEqual([ok, bad], ['OK', 'MISMATCH'], format);
    }
  } finally {
    rmSync(lonely, { recursive: true, force: true });
  }
});

test('slim: every runtime gives identical results, equal to the main entry', async () => {
  const runtimes = Object.keys(results).sort();
  assert.deepEqual(runtimes, [...RUNTIMES].sort());
  const reference = JSON.stringify(results['node-esm']);
  for (const r of runtimes) assert.equal(JSON.stringify(results[r]), reference, `${r} matches node-esm`);
  // The main entry on the same cases gives the same results.
  const { runVectors } = await import(pathToFileURL(join(consumer, 'vectors.mjs')).href);
  assert.equal(JSON.stringify(runVectors(main, slimSuites(loadVectors()))), reference, 'main entry agrees');
});

test('slim: the inlined base64 is the shipped .wasm, and the API is exactly the signature API', async () => {
  const dist = join(consumer, 'node_modules', 'calhook', 'dist', 'slim');
  const { default: inline } = await import(pathToFileURL(join(dist, 'wasm-inline.js')).href);
  assert.deepEqual(Buffer.from(inline, 'base64'), readFileSync(join(dist, 'calhook_signature.wasm')));
  assert.deepEqual(Object.keys(slimCjs).sort(), ['CalhookError', 'Verifier', 'check', 'ready', 'sign', 'verify']);
  assert.deepEqual(Object.keys(slim).sort(), ['CalhookError', 'Verifier', 'check', 'default', 'ready', 'sign', 'verify']);
  await slim.ready();
});

test('slim: tsc (strict, nodenext) accepts tests/types/slim against signature.d.ts and signature.d.cts', async () => {
  await typecheck(consumer, 'slim', 'types-slim');
});

// ---- differential: node:crypto for the HMAC, the main entry for every result and error

const WHITESPACE = [' ', '\t', '\n', '\r', '\u000b', '\u000c', '\u0085', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u200b'];

function randomString(rand, n, alphabet = ['a', 'Z', '0', '{', '"', '\\', 'é', '中', '🎉', '\u2028', '\ud800', '\udfff', ' ']) {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: e?.name, code: e?.code, message: e?.message };
  }
}

// Bodies around SHA-256 block edges, the 64 KiB IO window of the slim wasm, and the 1 KiB
// native-hash threshold of the Node entries.
const LENGTHS = [0, 1, 55, 56, 63, 64, 65, 255, 256, 1023, 1024, 1025, 65535, 65536, 65537, 131072, 200001];

test('slim differential: sign equals node:crypto HMAC-SHA256 for every body type and length', () => {
  const rand = prng(13);
  let n = 0;
  for (const len of LENGTHS) {
    const bytes = new Uint8Array(randomBytes(len));
    // Keys are well-formed UTF-16: a lone surrogate in a secret is refused (checked below).
    const keyAlphabet = ['a', 'Z', '0', '{', '"', '\\', 'é', '中', '🎉', '\u2028', ' '];
    for (const key of ['s', randomString(rand, 40, keyAlphabet), 'k'.repeat(64), 'k'.repeat(65), randomString(rand, 300, keyAlphabet), 'x'.repeat(70000)]) {
      const expected = createHmac('sha256', key).update(bytes).digest('hex');
      for (const api of [slim, slimCjs]) {
        assert.equal(api.sign(bytes, key), expected, `bytes ${len}, key ${key.length}`);
        assert.equal(api.sign(bytes.buffer, key), expected);
        assert.equal(api.sign(new DataView(bytes.buffer), key), expected);
        n += 3;
      }
    }
    const text = randomString(rand, Math.min(len, 70000));
    assert.equal(slim.sign(text, 'secret'), createHmac('sha256', 'secret').update(text, 'utf8').digest('hex'));
    assert.equal(slim.sign(text, 'secret'), main.sign(text, 'secret'), 'lone surrogates encode as the main entry does');
  }
  assert.ok(n > 500);
  for (const key of ['\ud800', 'a\udfff', `${'k'.repeat(70)}\ud83d`]) {
    for (const api of [slim, slimCjs, main]) {
      assert.equal(outcome(() => api.sign('{}', key)).code, 'INVALID_ARGUMENT', 'a lone-surrogate secret is refused');
    }
  }
});

test('slim differential: verify/check/Verifier agree with the main entry on hostile headers and secrets', () => {
  const rand = prng(29);
  const secretsPool = [['s3cret'], ['old', 's3cret'], 's3cret', ['a', 'b', 'c', 's3cret'], ['x'.repeat(66000), 's3cret']];
  const bad = [[], '', [''], ['ok', ''], null, undefined, 42, ['ok', 1], {}];
  let compared = 0;
  for (let round = 0; round < 16; round++) {
    const len = LENGTHS[Math.floor(rand() * LENGTHS.length)];
    const body = rand() < 0.5 ? randomString(rand, Math.min(len, 5000)) : new Uint8Array(randomBytes(len));
    const good = main.sign(body, 's3cret');
    const ws = () => WHITESPACE[Math.floor(rand() * WHITESPACE.length)];
    const headers = [
      good,
      good.toUpperCase(),
      `sha256=${good}`,
      `SHA256=${good}`,
      `${ws()}${good}${ws()}`,
      `${ws().repeat(2000)}${good}${ws().repeat(700)}`,
      `${' '.repeat(1200)}sha256=${good}`,
      good.slice(1),
      `${good}0`,
      good.replace(/^./, 'g'),
      'no-secret-provided',
      ' NO-SECRET-PROVIDED ',
      '',
      '   ',
      '\u3000'.repeat(3000),
      undefined,
      null,
      [good],
      [good, good],
      randomString(rand, 64),
      'x'.repeat(100000),
      main.sign(body, 'old'),
    ];
    for (const header of headers) {
      for (const secrets of secretsPool) {
        const fns = [
          (api) => api.verify(body, header, secrets),
          (api) => api.check(body, header, secrets),
          (api) => new api.Verifier(secrets).check(body, header),
          (api) => new api.Verifier(secrets).verify(body, header),
        ];
        for (const fn of fns) {
          const expected = outcome(() => fn(main));
          assert.deepEqual(outcome(() => fn(slim)), expected, `header ${JSON.stringify(header)?.slice(0, 80)}`);
          assert.deepEqual(outcome(() => fn(slimCjs)), expected);
          compared += 2;
        }
      }
    }
    for (const secrets of bad) {
      for (const fn of [(api) => api.verify(body, good, secrets), (api) => api.check(body, good, secrets), (api) => new api.Verifier(secrets)]) {
        const expected = outcome(() => fn(main));
        const got = outcome(() => fn(slim));
        assert.equal(got.code, expected.code, `secret ${JSON.stringify(secrets)}`);
        assert.equal(got.message, expected.message);
        compared++;
      }
    }
  }
  assert.ok(compared > 5000, `${compared} comparisons`);
});

test('slim: errors are CalhookError with the main entry codes, for wrong arguments too', () => {
  for (const [fn, code] of [
    [() => slim.verify('{}', 'x', ''), 'NO_RECEIVER_SECRET'],
    [() => slim.check('{}', 'x', []), 'NO_RECEIVER_SECRET'],
    [() => new slim.Verifier(undefined), 'NO_RECEIVER_SECRET'],
    [() => slim.verify({ a: 1 }, 'x', 's'), 'INVALID_ARGUMENT'],
    [() => slim.verify('{}', 42, 's'), 'INVALID_ARGUMENT'],
    [() => slim.sign('{}', 42), 'INVALID_ARGUMENT'],
  ]) {
    const got = outcome(fn);
    assert.equal(got.error, 'CalhookError');
    assert.equal(got.code, code);
  }
  assert.equal(slim.sign('{}', ''), 'no-secret-provided');
  assert.equal(slim.sign('{}', undefined), 'no-secret-provided');
  assert.equal(slim.check('{}', 'zz', 's').message, main.check('{}', 'zz', 's').message);
});
