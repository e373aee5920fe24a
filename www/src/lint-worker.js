// Lints templates off the main thread (a 200-line template can take tens of milliseconds to
// lint), so typing never waits for it. Receives the compiled wasm modules from the page
// (`{ main, tools }`: calhook_bg.wasm and calhook_tools.wasm, which has the linter).
import ready, { lintTemplate, readyTools } from 'calhook';

let booted;
self.onmessage = async ({ data }) => {
  if (data.type === 'init') {
    booted = ready(data.module.main).then(() => readyTools(data.module.tools));
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
