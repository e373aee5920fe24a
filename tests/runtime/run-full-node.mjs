// The browser entry's full-module mode, run in Node from the installed package (bytes passed
// in, as a browser app may): prints the report of full-report.mjs as JSON. With `wrong-file`,
// passes calhook_bg.wasm instead, which has no tool exports, and prints what happens.
import { readFileSync } from 'node:fs';
import * as calhook from './node_modules/calhook/dist/entries/browser.js';
import * as hotGlue from './node_modules/calhook/dist/wasm.js';
import * as toolsGlue from './node_modules/calhook/dist/wasm-tools.js';
import * as instance from './node_modules/calhook/dist/instance.js';
import * as tools from './node_modules/calhook/dist/tools.js';
import { fullModuleReport } from './full-report.mjs';

const dist = new URL('./node_modules/calhook/dist/', import.meta.url);
const file = (name) => readFileSync(new URL(name, dist));

if (process.argv[2] === 'wrong-file') {
  const out = {};
  try {
    await calhook.ready({ tools: true, wasm: file('calhook_bg.wasm') });
    out.ready = 'resolved';
  } catch (e) {
    out.ready = e.code;
    out.message = e.message;
  }
  out.verify = calhook.verify('{}', calhook.sign('{}', 's'), 's');
  try {
    calhook.lintTemplate('{{x}}');
    out.lint = 'no error';
  } catch (e) {
    out.lint = e.code;
  }
  await calhook.readyTools(file('calhook_tools.wasm'));
  out.lintAfterReadyTools = calhook.lintTemplate('{"n": {{n}}}').map((d) => d.code);
  console.log(JSON.stringify(out));
} else {
  const report = await fullModuleReport({ calhook, hotGlue, toolsGlue, instance, tools }, () => calhook.ready({ tools: true, wasm: file('calhook_full.wasm') }));
  console.log(JSON.stringify(report));
}
