// Zero configuration: `await ready()` finds calhook_bg.wasm where the bundler put it, and
// `await readyTools()` calhook_tools.wasm (the linter's module).
import ready, * as calhook from 'calhook';
import { exercise } from './vector.js';

ready().then(() => calhook.readyTools()).then(
  () => { window.__result = exercise(calhook); },
  (e) => { window.__result = { error: { name: e.name, code: e.code, calhookError: e instanceof calhook.CalhookError, message: e.message } }; },
);
