// Chromium: a Vite build of an app that uses the tools and asks for the full module up front
// (`ready({ tools: true })`: calhook_full.wasm, one instance for core and tools). The package's
// own modules are imported by path for the instance checks (the same modules the entry uses).
import * as calhook from 'calhook';
import * as hotGlue from '../node_modules/calhook/dist/wasm.js';
import * as toolsGlue from '../node_modules/calhook/dist/wasm-tools.js';
import * as instance from '../node_modules/calhook/dist/instance.js';
import * as tools from '../node_modules/calhook/dist/tools.js';
import suites from '../vectors-data.mjs';
import { runVectors } from '../vectors.mjs';
import { fullModuleReport } from '../full-report.mjs';

const wasmFetched = () => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.wasm'));

const report = await fullModuleReport({ calhook, hotGlue, toolsGlue, instance, tools }, async () => {
  // Concurrent and repeated calls share the one load; readyTools() then has nothing to fetch.
  await Promise.all([calhook.ready({ tools: true }), calhook.readyTools(), calhook.ready()]);
  await calhook.readyTools();
  await calhook.ready({ tools: true });
});
report.vectors = runVectors(calhook, suites);
report.wasmFetched = wasmFetched();
window.__results = report;
document.getElementById('status').textContent = 'done';
