// Node: read calhook_bg.wasm. Installed as a package, the file sits beside the entry (`primary`).
// Bundled (esbuild or `bun build --target=node`, webpack in Next.js), the entry's location is the
// bundle's, so the installed package is then resolved through Node's own resolution from the
// bundle and from the working directory, and last a copy beside the bundle is accepted.
// Paths are plain strings: webpack replaces `URL`, and fs rejects its URL objects.
import { existsSync, readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wasmLoadFailed } from './error.js';

const FILE = 'calhook_bg.wasm';

/** A file path from a file path or `file:` URL string; undefined for anything else. */
export function filePath(location) {
  if (typeof location !== 'string' || location === '') return undefined;
  if (location.startsWith('file:')) {
    try {
      return fileURLToPath(location);
    } catch {
      return undefined;
    }
  }
  return location.startsWith('/') || /^[A-Za-z]:[\\/]/.test(location) ? location : undefined;
}

function resolveFrom(from) {
  try {
    return nodeModule.createRequire(from).resolve(`calhook/${FILE}`);
  } catch {
    return undefined;
  }
}

function candidates(primary, here) {
  const main = filePath(process.argv[1]);
  const list = [primary];
  for (const anchor of [here, main, join(process.cwd(), 'index.js')]) if (anchor) list.push(resolveFrom(anchor));
  // A copy beside the bundle (this module's file, or the main script when a bundler hid it).
  for (const file of [here, main]) if (file) list.push(join(dirname(file), FILE));
  return list.filter((p, i) => p && list.indexOf(p) === i);
}

/** The bytes of calhook_bg.wasm; `primary` is its path beside the entry, `here` the entry's file. */
export function readWasm(primary, here) {
  const tried = candidates(primary, here);
  for (const path of tried) {
    if (path && existsSync(path)) return readFileSync(path);
  }
  throw wasmLoadFailed(
    `calhook_bg.wasm not found (looked at ${tried.join(', ')}). If you bundle calhook for Node, ` +
      'keep node_modules/calhook installed beside the bundle, or copy node_modules/calhook/dist/calhook_bg.wasm next to the bundle.',
  );
}
