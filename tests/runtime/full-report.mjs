// What the full module (calhook_full.wasm behind `ready({ tools: true })`) does, from inside the
// package: one instance serving core and tools, every function working, and a real trap or a
// memory reset in either kind of call replacing that one instance with both glues following.
// Run by the Chromium page web-full/ and in Node by tests/js/full-module.test.mjs, which assert
// on the report. `m` holds the package's own modules (the same module instances the entry uses).
import { everyCall } from './every-call.mjs';

// A real trap: a method of a template object whose pointer is far past the end of memory, so
// wasm's first load from it is out of bounds (`WebAssembly.RuntimeError`).
function trap(m, runner) {
  const fake = Object.create(m.hotGlue.WasmTemplate.prototype);
  fake.__wbg_ptr = 0x7ffffff0;
  try {
    runner(() => fake.variables());
    return 'no error';
  } catch (e) {
    return e?.code ?? `${e?.name}: ${e?.message}`;
  }
}

const sameInstance = (m) => m.toolsGlue.__calhook_current().instance === m.hotGlue.__calhook_current().instance;
const generations = (m) => [m.instance.generation(), m.tools.toolsGeneration()];

/** Load with `load()` (which calls `ready({ tools: true })`), then exercise everything. */
export async function fullModuleReport(m, load) {
  const r = {};
  await load();
  r.sameInstance = sameInstance(m);
  r.calls = everyCall(m.calhook);

  const g0 = generations(m);
  r.trapCore = trap(m, (fn) => m.instance.run(fn));
  r.trapTools = trap(m, (fn) => m.tools.runTools('lintTemplate', fn));
  r.generationsAfterTraps = [g0, generations(m)];
  r.sameInstanceAfterTraps = sameInstance(m);
  r.callsAfterTraps = everyCall(m.calhook);

  // A tool call that grows memory past the threshold: the one instance is replaced.
  const g1 = m.instance.generation();
  const causes = m.calhook.diagnose('x'.repeat(80 * 1024 * 1024), 'f'.repeat(64), 'secret').map((c) => c.code);
  r.bigDiagnose = causes.includes('BODY_TOO_LARGE_TO_DIAGNOSE');
  r.resetByToolCall = m.instance.generation() > g1;
  r.memoryAfterReset = m.calhook.wasmMemoryBytes();
  r.memoryResetBytes = m.instance.MEMORY_RESET_BYTES;
  r.sameInstanceAfterReset = sameInstance(m);
  r.callsAfterReset = everyCall(m.calhook);
  return r;
}
