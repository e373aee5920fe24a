// Size and cold start of each entry, as users get them (the packed package installed into a
// project): the minified browser bundle of a verify-only app built by esbuild with no
// configuration, and the time from loading calhook to the first `verify` in a fresh Node
// process (ESM and CJS) and in a fresh workerd.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bin, bundleWorker, ensureConsumer, freePort, root, runCommand, writeWorkerdConfig } from '../tests/js/harness.mjs';

const RUNS = 7;
const SECRET = 'whsec_benchmark_secret_0123456789';
const BODY = '{"triggerEvent":"BOOKING_CREATED","payload":{"uid":"b1"}}';

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

const ENTRIES = [
  { name: 'calhook', spec: 'calhook', app: "import ready, { Verifier } from 'calhook';\nawait ready();\n" },
  { name: 'calhook/signature', spec: 'calhook/signature', app: "import { Verifier } from 'calhook/signature';\n" },
];

async function bundleSizes(consumer) {
  const { build } = await import('esbuild');
  const dir = join(consumer, 'bench-bundle');
  mkdirSync(dir, { recursive: true });
  const rows = [];
  for (const e of ENTRIES) {
    const entry = join(dir, `${e.name.replace('/', '-')}.js`);
    writeFileSync(entry, `${e.app}const v = new Verifier(['secret']);\nconsole.log(v.verify(document.body.textContent, 'x'));\n`);
    const out = `${entry}.out.js`;
    // What a user gets: the default browser platform, no plugin, no wasm loader.
    await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', outfile: out, logLevel: 'error' });
    const js = readFileSync(out);
    // The main entry's wasm is a separate asset the bundle fetches; the slim one is inlined.
    // (calhook_tools.wasm, fetched only by readyTools(), is not part of a verify-only app.)
    const wasm = e.name === 'calhook' ? readFileSync(join(consumer, 'node_modules', 'calhook', 'dist', 'calhook_bg.wasm')) : null;
    rows.push({ ...e, js: js.length, jsGz: gz(js), wasm: wasm?.length ?? 0, wasmGz: wasm ? gz(wasm) : 0 });
  }
  return rows;
}

const exec = runCommand;

// Import (or require) to the first verify, timed inside a fresh process; and the whole process.
async function nodeColdStart(consumer, spec, kind) {
  const header = await exec(process.execPath, ['-e', `console.log(require('node:crypto').createHmac('sha256', ${JSON.stringify(SECRET)}).update(${JSON.stringify(BODY)}).digest('hex'))`], { cwd: consumer });
  const load = kind === 'esm' ? `await import(${JSON.stringify(spec)})` : `require(${JSON.stringify(spec)})`;
  const script = `const t0 = performance.now();\nconst m = ${load};\nif (!m.verify(${JSON.stringify(BODY)}, ${JSON.stringify(header.trim())}, ${JSON.stringify(SECRET)})) throw new Error('rejected');\nconsole.log(performance.now() - t0);\n`;
  const file = join(consumer, `bench-cold-${spec.replace('/', '-')}.${kind === 'esm' ? 'mjs' : 'cjs'}`);
  writeFileSync(file, script);
  const inside = [];
  const whole = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    inside.push(Number(await exec(process.execPath, [file], { cwd: consumer })));
    whole.push(performance.now() - start);
  }
  return { inside: median(inside), whole: median(whole) };
}

// A fresh workerd serving a worker that verifies on its first request: spawn to the first
// verified response (workerd's own clocks stand still during a request, so it is timed from
// outside). `spec` null: the same worker without calhook, for workerd's own start-up.
async function workerdColdStart(consumer, spec) {
  const name = spec ? spec.replace('/', '-') : 'empty';
  const header = (await exec(process.execPath, ['-e', `console.log(require('node:crypto').createHmac('sha256', ${JSON.stringify(SECRET)}).update(${JSON.stringify(BODY)}).digest('hex'))`])).trim();
  const src = join(consumer, `bench-worker-${name}.mjs`);
  const verify = spec
    ? `import { verify } from ${JSON.stringify(spec)};\nconst ok = () => verify(${JSON.stringify(BODY)}, ${JSON.stringify(header)}, ${JSON.stringify(SECRET)});`
    : 'const ok = () => true;';
  writeFileSync(src, `${verify}\nexport default { fetch() { const good = ok(); return new Response(good ? 'ok' : 'bad', { status: good ? 200 : 401 }); } };\n`);
  const bundle = await bundleWorker(consumer, `bench-worker-${name}.mjs`, `bench-worker-${name}`, ['workerd', 'worker', 'browser'], 'error');
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort();
    const config = writeWorkerdConfig(consumer, `bench-worker-${name}`, bundle, port);
    const start = performance.now();
    const server = spawn(bin.workerd, ['serve', config], { cwd: consumer, stdio: 'ignore' });
    try {
      for (;;) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/`);
          if (res.status !== 200) throw new Error(`worker answered ${res.status}`);
          await res.text();
          break;
        } catch (e) {
          if (e.message.startsWith('worker answered')) throw e;
          if (performance.now() - start > 30000) throw new Error('workerd did not start');
          await new Promise((r) => setTimeout(r, 2));
        }
      }
      times.push(performance.now() - start);
    } finally {
      server.kill('SIGTERM');
    }
  }
  return median(times);
}

export async function run() {
  const consumer = ensureConsumer();
  process.stderr.write('  bundle sizes\n');
  const sizes = await bundleSizes(consumer);
  const cold = {};
  for (const e of ENTRIES) {
    process.stderr.write(`  cold start ${e.name}\n`);
    cold[e.name] = {
      esm: await nodeColdStart(consumer, e.spec, 'esm'),
      cjs: await nodeColdStart(consumer, e.spec, 'cjs'),
      workerd: await workerdColdStart(consumer, e.spec),
    };
  }
  const workerdEmpty = await workerdColdStart(consumer, null);
  const sizeRows = sizes.map((s) => {
    const wasm = s.wasm ? `${kib(s.wasm)} (${kib(s.wasmGz)} gzipped), fetched at run time` : 'inlined in the bundle';
    return `| \`${s.name}\` | ${kib(s.js)} | ${kib(s.jsGz)} | ${wasm} | **${kib(s.jsGz + s.wasmGz)}** |`;
  });
  const row = (label, pick) => `| ${label} | ${ENTRIES.map((e) => pick(cold[e.name])).join(' | ')} |`;
  const body = [
    '### Browser bundle of a verify-only app (esbuild --bundle --minify, no configuration)',
    '',
    '| entry | bundle | bundle gzipped | wasm | total gzipped, wasm included |',
    '|---|---:|---:|---|---:|',
    ...sizeRows,
    '',
    `### Cold start: loading calhook to the first \`verify\` (median of ${RUNS} fresh processes)`,
    '',
    `| runtime | ${ENTRIES.map((e) => `\`${e.name}\``).join(' | ')} |`,
    `|---|${ENTRIES.map(() => '---:').join('|')}|`,
    row('Node ESM: `await import()` → first verify', (c) => ms(c.esm.inside)),
    row('Node CJS: `require()` → first verify', (c) => ms(c.cjs.inside)),
    row('Node ESM: whole process (spawn → exit)', (c) => ms(c.esm.whole)),
    row('Node CJS: whole process (spawn → exit)', (c) => ms(c.cjs.whole)),
    row('workerd: spawn → first verified response', (c) => ms(c.workerd)),
    '',
    `workerd's own start-up, the same worker without calhook: ${ms(workerdEmpty)}. The main entry compiles and instantiates ${kib(sizes[0].wasm)} of wasm on load (its tools module, ${kib(readFileSync(join(root, 'pkg', 'dist', 'calhook_tools.wasm')).length)}, is read and instantiated on first use in Node; workerd compiles it with the worker); \`calhook/signature\` decodes and instantiates ${kib(readFileSync(join(root, 'pkg', 'dist', 'slim', 'calhook_signature.wasm')).length)} synchronously (inlined base64 in Node, a \`.wasm\` module in workerd).`,
  ].join('\n');
  return { title: 'Size and cold start', body };
}
