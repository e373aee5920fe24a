// The setting for any bundler: serve node_modules/calhook/dist/calhook_bg.wasm and
// calhook_tools.wasm yourself (here copies beside the page) and pass their URLs.
import ready, * as calhook from 'calhook';
import { exercise } from './vector.js';

ready(new URL('calhook_bg.wasm', document.baseURI)).then(() => calhook.readyTools(new URL('calhook_tools.wasm', document.baseURI))).then(
  () => { window.__result = exercise(calhook); },
  (e) => { window.__result = { error: { name: e.name, code: e.code, message: e.message } }; },
);
