#!/usr/bin/env node
// Builds the playground (www/) into www/dist/: one ES module bundle (esbuild) of www/src/ with
// the package's browser entry (pkg/), one stylesheet, index.html, and the package's full .wasm beside
// them. Static files only; the page makes no request to another origin.
// Usage: node scripts/build-www.mjs [--dev]   (--dev: no minification, inline source maps)
// Also importable: `import { buildWww } from './scripts/build-www.mjs'`.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Build www/ into `outDir` (default www/dist). Resolves to `{ outDir, files }`. */
export async function buildWww({ outDir = join(root, 'www', 'dist'), dev = false, quiet = false, entry: entryOverride } = {}) {
  const pkgDist = join(root, 'pkg', 'dist');
  const entry = entryOverride ?? join(pkgDist, 'entries', 'browser.js');
  if (!existsSync(entry)) throw new Error('pkg/ is not built: run `make build` first');
  const { build } = await import('esbuild');

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const result = await build({
    entryPoints: { app: join(root, 'www', 'src', 'main.js'), 'lint-worker': join(root, 'www', 'src', 'lint-worker.js') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    outdir: outDir,
    minify: !dev,
    sourcemap: dev ? 'inline' : false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    plugins: [
      {
        // `import ... from 'calhook'` is the built package's browser entry.
        name: 'calhook',
        setup(b) {
          b.onResolve({ filter: /^calhook$/ }, () => ({ path: entry }));
        },
      },
    ],
  });
  if (result.errors.length) throw new Error('esbuild failed');

  // The page loads one module with every export (www/src/main.js: `ready({ tools: true })`).
  copyFileSync(join(pkgDist, 'calhook_full.wasm'), join(outDir, 'calhook_full.wasm'));
  copyFileSync(join(root, 'www', 'favicon.svg'), join(outDir, 'favicon.svg'));
  const html = readFileSync(join(root, 'www', 'index.html'), 'utf8');
  writeFileSync(join(outDir, 'index.html'), html);

  const files = ['index.html', 'app.js', 'app.css', 'lint-worker.js', 'calhook_full.wasm', 'favicon.svg'].filter((f) => existsSync(join(outDir, f)));
  if (!quiet) {
    const sizes = files.map((f) => {
      const buf = readFileSync(join(outDir, f));
      return `${f} ${(statSync(join(outDir, f)).size / 1024).toFixed(1)} KiB (${(gzipSync(buf).length / 1024).toFixed(1)} gz)`;
    });
    console.log(`www built into ${outDir}: ${sizes.join(', ')}`);
  }
  return { outDir, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWww({ dev: process.argv.includes('--dev') });
}
