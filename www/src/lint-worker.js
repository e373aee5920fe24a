// Lints templates off the main thread (a 200-line template can take tens of milliseconds to
// lint), so typing never waits for it. Receives the compiled wasm module from the page
// (calhook_full.wasm: core and tools, the linter included, in one instance).
import ready, { lintTemplate } from 'calhook';

let booted;
self.onmessage = async ({ data }) => {
  if (data.type === 'init') {
    booted = ready({ tools: true, wasm: data.module });
    return;
  }
  let list = null;
  let error = null;
  try {
    await booted;
    list = lintTemplate(data.source, data.options);
  } catch (e) {
    error = { code: e?.code ?? 'ERROR', message: String(e?.message ?? e), span: e?.span };
  }
  self.postMessage({ id: data.id, list, error });
};
