// The setting for any bundler: serve node_modules/calhook/dist/calhook_bg.wasm yourself (here a
// copy beside the page) and pass its URL.
import ready, * as calhook from 'calhook';
import { exercise } from './vector.js';

ready(new URL('calhook_bg.wasm', document.baseURI)).then(
  () => { window.__result = exercise(calhook); },
  (e) => { window.__result = { error: { name: e.name, code: e.code, message: e.message } }; },
);
