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

function resolveFrom(from, file) {
  try {
    return nodeModule.createRequire(from).resolve(`calhook/${file}`);
  } catch {
    return undefined;
  }
}

function candidates(primary, here, file) {
  const main = filePath(process.argv[1]);
  const list = [primary];
  for (const anchor of [here, main, join(process.cwd(), 'index.js')]) if (anchor) list.push(resolveFrom(anchor, file));
  // A copy beside the bundle (this module's file, or the main script when a bundler hid it).
  for (const beside of [here, main]) if (beside) list.push(join(dirname(beside), file));
  return list.filter((p, i) => p && list.indexOf(p) === i);
}

/**
 * The bytes of `file` (calhook_bg.wasm, or calhook_tools.wasm for js/src/tools.js); `primary`
 * is its path beside the entry, `here` the entry's file.
 */
export function readWasm(primary, here, file = 'calhook_bg.wasm') {
  const tried = candidates(primary, here, file);
  for (const path of tried) {
    if (path && existsSync(path)) return readFileSync(path);
  }
  throw wasmLoadFailed(
    `${file} not found (looked at ${tried.join(', ')}). If you bundle calhook for Node, ` +
      `keep node_modules/calhook installed beside the bundle, or copy node_modules/calhook/dist/${file} next to the bundle.`,
  );
}
