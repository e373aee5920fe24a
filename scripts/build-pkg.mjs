#!/usr/bin/env node
// Builds the npm package `calhook` into pkg/: release wasm, wasm-bindgen glue, wasm-opt,
// the JS layer and one entry per runtime, TypeScript declarations and package.json.
// Usage: node scripts/build-pkg.mjs [--dev]   (--dev skips wasm-opt for faster iteration)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSlim } from './build-slim.mjs';
import { TOOL_EXPORTS, checkHotExports, splitExports, withoutExports } from './wasm-split.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const dist = join(pkg, 'dist');
const dev = process.argv.includes('--dev');

function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
}

function cargoTargetDir() {
  if (process.env.CARGO_TARGET_DIR) return process.env.CARGO_TARGET_DIR;
  const meta = JSON.parse(
    execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: root, encoding: 'utf8' }),
  );
  return meta.target_directory;
}

// 1. Release wasm. LLVM's inline threshold at 200 (opt-level 3 uses 250) makes the wasm 14 KiB
// smaller (5 KiB gzipped) at no measured speed (bench/ab.mjs: verify, parseEvent, render and
// buildDelivery within ±3 %); 150 saved 16 KiB gzipped but cost buildDelivery 5-8 %, 100 cost
// verify 25 % (sha2's round helpers stop being inlined). See BENCHMARKS.md, "Size".
const INLINE_THRESHOLD = '-C llvm-args=-inline-threshold=200';
function buildWasm(targetDir, features) {
  run('cargo', ['build', '--release', '--lib', '--target', 'wasm32-unknown-unknown', ...features], {
    env: { ...process.env, CARGO_TARGET_DIR: targetDir, RUSTFLAGS: `${process.env.RUSTFLAGS ?? ''} ${INLINE_THRESHOLD}`.trim() },
  });
  return join(targetDir, 'wasm32-unknown-unknown', 'release', 'calhook.wasm');
}
// Every export: the tools module and the full module are cut from it, and its glue is the glue.
const wasmIn = buildWasm(cargoTargetDir(), []);
// The hot core is linked on its own, without the `tools` feature's exports: the linker then
// drops the code and the data (messages, tables) only the tools reach, where removing the
// exports after linking lets wasm-opt drop their code but never their data (8 KiB gzipped).
// Its own target directory: a cdylib built with other features would overwrite the first.
const hotIn = buildWasm(join(cargoTargetDir(), 'hot-core'), ['--no-default-features', '--features', 'full']);

// 2. Bindings (web target: ESM glue with initSync for synchronous runtimes).
const gen = join(root, 'target', 'wasm-bindgen');
rmSync(gen, { recursive: true, force: true });
run('wasm-bindgen', ['--target', 'web', '--out-dir', gen, '--out-name', 'calhook', '--no-typescript', wasmIn]);
const genHot = join(gen, 'hot');
run('wasm-bindgen', ['--target', 'web', '--out-dir', genHot, '--out-name', 'calhook', '--no-typescript', hotIn]);

rmSync(pkg, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// The glue's fallback `new URL(..., import.meta.url)` is never used (each entry passes the
// module explicitly) and must not reach workerd, which has no import.meta.url to fetch from.
let glue = readFileSync(join(gen, 'calhook.js'), 'utf8');
const fallback = /new URL\('calhook_bg\.wasm', import\.meta\.url\)/g;
if (!fallback.test(glue)) throw new Error('wasm-bindgen glue changed: default wasm URL not found');
glue = glue.replace(
  fallback,
  '(() => { throw new Error("calhook: pass the .wasm module explicitly (use the package entry points)"); })()',
);
// A compiled module may come from another realm (Next.js's edge sandbox hands one over), where
// `instanceof WebAssembly.Module` is false and initSync would try to compile it as bytes.
const moduleCheck = '!(module instanceof WebAssembly.Module)';
if (!glue.includes(moduleCheck)) throw new Error('wasm-bindgen glue changed: initSync module check not found');
glue = glue.replace(
  moduleCheck,
  "!(module instanceof WebAssembly.Module || Object.prototype.toString.call(module) === '[object WebAssembly.Module]')",
);
checkHotGlue(glue, readFileSync(join(genHot, 'calhook.js'), 'utf8'));
glue = patchReset(glue);
// The classes' `Symbol.dispose` aliases of `free`: the JS layer frees them itself and never hands
// them out, and as top-level statements they made every bundle keep both classes (WasmTemplate in
// a verify-only app).
const disposeLine = /^if \(Symbol\.dispose\) (\w+)\.prototype\[Symbol\.dispose\] = \1\.prototype\.free;\n/gm;
if ((glue.match(disposeLine) ?? []).length !== 2) throw new Error('wasm-bindgen glue changed: Symbol.dispose aliases not found twice');
glue = glue.replace(disposeLine, '');
// The tools module (scripts/wasm-split.mjs) gets its own copy of the glue: its own instance,
// memory and reset, loaded on first use by js/src/tools.js. Each copy keeps only the wrappers
// of its module's exports (bundlers keep a glue module whole).
const isTool = (name) => TOOL_EXPORTS.includes(name);
writeFileSync(join(dist, 'wasm.js'), glueFor(glue, (name) => !isTool(name)));
writeFileSync(join(dist, 'wasm-tools.js'), glueFor(glue, isTool));

// The hot core runs on the full build's glue (wasm.js; the full module, loaded into that same
// glue by `ready({ tools: true })`, needs its imports): the hot build's own glue must be part of
// it, every import and every wrapper word for word, or the build fails.
function checkHotGlue(full, hot) {
  const blocks = (text) => {
    const map = new Map();
    const imports = /function __wbg_get_imports\(\) \{\n([\s\S]*?)\n\}\n/.exec(text)?.[1] ?? '';
    for (const m of imports.matchAll(/^ {8}(\w+): [\s\S]*?\n {8}\}(?:, arguments\); \})?,$/gm)) map.set(`import ${m[1]}`, m[0]);
    for (const m of text.matchAll(/^(?:\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)?export (?:function|class) (\w+)[^\n]*\{\n[\s\S]*?^\}\n/gm)) map.set(`export ${m[1]}`, m[0]);
    return map;
  };
  const f = blocks(full);
  const h = blocks(hot);
  if (![...h.keys()].some((k) => k.startsWith('import ')) || !h.has('export WasmTemplate')) throw new Error('wasm-bindgen glue changed: hot glue blocks not found');
  const differ = [...h].filter(([k, text]) => f.get(k) !== text).map(([k]) => k);
  if (differ.length) throw new Error(`the hot core's glue differs from the full glue at ${differ.join(', ')}`);
}

// The glue without the exported wrappers (`export function x` / `export class X`, with its doc
// comment and its `Symbol.dispose` line) for which `keep(name)` is false. wasm-bindgen ends each
// top-level block with a `}` in column 0; every tool export must be found, or the build fails.
function glueFor(text, keep) {
  const found = [];
  const out = text.replace(
    /^(?:\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)?export (function|class) (\w+)[^\n]*\{\n[\s\S]*?^\}\n(?:if \(Symbol\.dispose\) \2\.prototype\[Symbol\.dispose\] = \2\.prototype\.free;\n)?/gm,
    (block, kind, name) => {
      found.push(name);
      return keep(name) ? block : '';
    },
  );
  const missing = TOOL_EXPORTS.filter((name) => !found.includes(name));
  if (missing.length || !found.includes('WasmTemplate')) throw new Error(`wasm-bindgen glue changed: wrappers not found (${missing.join(', ') || 'WasmTemplate'})`);
  return out;
}

// A reset path for js/src/instance.js. A trap or a stack overflow while wasm is on the stack
// leaves the instance's shadow stack pointer and allocator in an unknown state, and memory
// grown for one huge call never shrinks: both are cured by a fresh instance of the already
// compiled module. The glue caches its instance and `initSync` returns early once initialised,
// so it gets `__calhook_reset()`. Objects freed by the garbage collector must free their
// pointer only in the instance that allocated it: finalizers carry the instance generation.
// Every pattern is checked, so a wasm-bindgen upgrade that changes the glue fails the build.
function patchReset(text) {
  const replaceChecked = (from, to, what, expected) => {
    const count = (text.match(from) ?? []).length;
    if (count === 0 || (expected !== undefined && count !== expected)) {
      throw new Error(`wasm-bindgen glue changed: ${what} found ${count} times`);
    }
    text = text.replace(from, to);
    return count;
  };
  const classes = replaceChecked(
    /new FinalizationRegistry\(ptr => wasm\.(__wbg_\w+_free)\(ptr, 1\)\)/g,
    // Pure, so that a bundler drops the registry (and the glue a tools copy keeps) with its class.
    '/* @__PURE__ */ new FinalizationRegistry(held => held.generation === __calhook_generation && wasm.$1(held.ptr, 1))',
    'finalization registries',
  );
  replaceChecked(
    /(\w+Finalization)\.register\(this, this\.__wbg_ptr, this\);/g,
    '$1.register(this, { ptr: this.__wbg_ptr, generation: __calhook_generation }, this);',
    'finalizer registrations',
    classes,
  );
  // __calhook_adopt does what __wbg_finalize_init does but the start call: it must know every
  // cache that function clears.
  const finalize = /function __wbg_finalize_init\(instance, module\) \{\n([\s\S]*?)\n\}/.exec(text)?.[1];
  const expected = ['wasmInstance = instance;', 'wasm = instance.exports;', 'wasmModule = module;', 'cachedDataViewMemory0 = null;', 'cachedUint8ArrayMemory0 = null;', 'wasm.__wbindgen_start();', 'return wasm;'];
  if (finalize === undefined || finalize.split('\n').map((l) => l.trim()).join('|') !== expected.join('|')) {
    throw new Error('wasm-bindgen glue changed: __wbg_finalize_init is not the one __calhook_adopt mirrors');
  }
  for (const needed of ['let wasmModule, wasmInstance, wasm;', 'function __wbg_finalize_init(instance, module) {', 'function __wbg_get_imports() {']) {
    if (!text.includes(needed)) throw new Error(`wasm-bindgen glue changed: \`${needed}\` not found`);
  }
  // The generation counter comes first: finalizers and constructors read it.
  return `// Patched by scripts/build-pkg.mjs: instance reset (see js/src/instance.js).
let __calhook_generation = 0;
${text}
// ---- added by scripts/build-pkg.mjs (instance reset, see js/src/instance.js)

/** Replace the instance by a fresh one of the same compiled module; returns the new generation. */
function __calhook_reset() {
    if (wasmModule === undefined) throw new Error('calhook: the wasm module is not initialised');
    const instance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
    __calhook_generation++;
    __wbg_finalize_init(instance, wasmModule);
    return __calhook_generation;
}

/**
 * Serve this glue from another glue's instance, with no instance of its own: the full module
 * (calhook_full.wasm, every export) behind both glues, js/src/tools.js in shared mode. No start
 * function runs (the owner's glue ran it); returns the new generation.
 */
function __calhook_adopt(instance, module) {
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
    cachedDataViewMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    __calhook_generation++;
    return __calhook_generation;
}

/** The current instance and its module (for another glue's __calhook_adopt). */
function __calhook_current() {
    return { instance: wasmInstance, module: wasmModule };
}

/** Which instance is current: objects made in an earlier one hold dangling pointers. */
function __calhook_current_generation() {
    return __calhook_generation;
}

/** The current instance's memory size in bytes (0 before initialisation). */
function __calhook_memory_bytes() {
    return wasm === undefined ? 0 : wasm.memory.buffer.byteLength;
}

export { __calhook_reset, __calhook_current_generation, __calhook_memory_bytes, __calhook_adopt, __calhook_current };
`;
}

// 3. Split and optimize: the hot core and the tools module, each without the other's exports,
// and the full module (every export) for browser apps that use the tools: `ready({ tools: true })`
// fetches that one file instead of both (js/src/entries/browser.js).
const wasmOut = join(dist, 'calhook_bg.wasm');
const toolsOut = join(dist, 'calhook_tools.wasm');
const fullOut = join(dist, 'calhook_full.wasm');
const bindgenWasm = readFileSync(join(gen, 'calhook_bg.wasm'));
const hotWasm = readFileSync(join(genHot, 'calhook_bg.wasm'));
const split = splitExports(bindgenWasm);
checkHotExports(bindgenWasm, hotWasm);
for (const [out, source, drop] of [[wasmOut, hotWasm, []], [toolsOut, bindgenWasm, split.tools], [fullOut, bindgenWasm, []]]) {
  const input = `${out}.in`;
  writeFileSync(input, withoutExports(source, drop));
  if (dev) {
    cpSync(input, out);
  } else {
    const wasmOpt = join(root, 'node_modules', 'binaryen', 'bin', 'wasm-opt');
    if (!existsSync(wasmOpt)) throw new Error('wasm-opt missing: run `npm ci` (binaryen is a devDependency)');
    run(wasmOpt, [
      // Two rounds of -O3: the second finds what the first's inlining exposed (1.0 KiB gzipped
      // of the main wasm; a third gains 0.1 KiB). bench/size.mjs has the measurements.
      '-O3',
      '-O3',
      // Lets wasm-opt fold `ptr + constant` into load/store offsets (0.9 KiB gzipped of the main
      // wasm). It assumes the program never touches addresses below 1024: rustc's wasm32 layout
      // puts the 1 MiB stack first, growing down from 0x100000, and the data above it, so only
      // a stack within 1 KiB of overflowing reaches there; in that case a folded access traps
      // (the instance is then replaced) where the unfolded one would have wrapped around.
      '--low-memory-unused',
      '--strip-debug',
      '--strip-producers',
      '--enable-bulk-memory',
      '--enable-nontrapping-float-to-int',
      '--enable-sign-ext',
      '--enable-mutable-globals',
      '--enable-reference-types',
      '--enable-multivalue',
      input,
      '-o',
      out,
    ]);
  }
  rmSync(input);
}

// 4. The JS layer and entries.
cpSync(join(root, 'js', 'src'), dist, { recursive: true });
const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
run(esbuild, [
  join(dist, 'entries', 'node-cjs.mjs'),
  '--bundle',
  '--format=cjs',
  '--platform=node',
  '--target=node18',
  '--log-level=warning',
  `--outfile=${join(dist, 'node.cjs')}`,
]);
rmSync(join(dist, 'entries', 'node-cjs.mjs'));

// 4b. The slim entry `calhook/signature` (its own small wasm; see scripts/build-slim.mjs).
const slim = buildSlim({
  root,
  pkg,
  dist,
  cargoTarget: cargoTargetDir(),
  wasmOpt: dev ? null : join(root, 'node_modules', 'binaryen', 'bin', 'wasm-opt'),
  esbuild,
});

// 4c. Dev tools: CommonJS builds of the subpaths `calhook/testing`, `/express`, `/hono`,
// `/next`. They import the package by its own name, so each runtime's condition picks the
// entry (and CJS gets dist/node.cjs, one instance per module system).
const SUBPATHS = { testing: 'testing.js', express: 'adapters/express.js', hono: 'adapters/hono.js', next: 'adapters/next.js' };
for (const [name, file] of Object.entries(SUBPATHS)) {
  run(esbuild, [
    join(dist, file),
    '--bundle',
    '--format=cjs',
    '--platform=node',
    '--target=node18',
    '--external:calhook',
    '--log-level=warning',
    `--outfile=${join(dist, 'cjs', `${name}.cjs`)}`,
  ]);
}

// 5. Types: one declaration file per domain, concatenated.
const typeDir = join(root, 'js', 'types');
const types = readdirSync(typeDir)
  .filter((f) => f.endsWith('.d.ts'))
  .sort()
  .map((f) => `// ---- ${f}\n${readFileSync(join(typeDir, f), 'utf8')}`)
  .join('\n');
writeFileSync(join(pkg, 'index.d.ts'), types);
// The CommonJS build has no default export (`require('calhook').default` is undefined).
const defaultExport = /^export default ready;\n/m;
if (!defaultExport.test(types)) throw new Error('js/types: `export default ready;` not found');
writeFileSync(join(pkg, 'index.d.cts'), types.replace(defaultExport, ''));
// `calhook/calhook_bg.wasm` for bundlers' file loaders: its default export is the URL.
cpSync(join(typeDir, 'assets', 'wasm-url.d.ts'), join(pkg, 'wasm-url.d.ts'));
// Subpath declarations (js/types/subpaths/), importing the main types from the package root.
const subTypes = join(root, 'js', 'types', 'subpaths');
mkdirSync(join(dist, 'types'), { recursive: true });
for (const name of Object.keys(SUBPATHS)) {
  const parts = name === 'testing' ? ['testing.d.ts'] : ['adapter.d.ts', `${name}.d.ts`];
  const text = parts.map((f) => readFileSync(join(subTypes, f), 'utf8')).join('\n').replaceAll("from './index.js'", "from '../../index.js'");
  writeFileSync(join(dist, 'types', `${name}.d.ts`), text);
  writeFileSync(join(dist, 'types', `${name}.d.cts`), text.replaceAll("from '../../index.js'", "from '../../index.cjs'"));
}

// 6. package.json, README, licence.
const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))[1];
const manifest = JSON.parse(readFileSync(join(root, 'js', 'package.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
// The npm README (js/README.md) is for users of the package; README.md is for developers.
cpSync(join(root, 'js', 'README.md'), join(pkg, 'README.md'));

// 7. Report the sizes.
const sizes = (file) => {
  const bytes = readFileSync(file);
  return `${(bytes.length / 1024).toFixed(1)} KiB raw, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KiB gzipped`;
};
const note = dev ? ' (dev: not optimized)' : '';
console.log(`calhook ${version}: wasm ${sizes(wasmOut)}${note}; tools wasm (loaded on first use) ${sizes(toolsOut)}${note}; full wasm (ready({ tools: true })) ${sizes(fullOut)}${note}`);
console.log(`calhook/signature: wasm ${(slim.raw / 1024).toFixed(1)} KiB raw, ${(slim.gzip / 1024).toFixed(1)} KiB gzipped`);
