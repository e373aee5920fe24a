// The setting for bundlers that do not emit assets referenced by `new URL(..., import.meta.url)`:
// import the wasm files' URLs (esbuild `--loader:.wasm=file`; bun's default for .wasm) and pass it.
import wasmUrl from 'calhook/calhook_bg.wasm';
import toolsUrl from 'calhook/calhook_tools.wasm';
import ready, * as calhook from 'calhook';
import { exercise } from './vector.js';

ready(wasmUrl).then(() => calhook.readyTools(toolsUrl)).then(
  () => { window.__result = exercise(calhook); },
  (e) => { window.__result = { error: { name: e.name, code: e.code, message: e.message } }; },
);
