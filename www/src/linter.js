// Template linting, in a worker when possible: only the newest request waits while one runs, so
// results never queue up behind fast typing. Falls back to linting on the main thread (after a
// short pause in typing) where workers or the shared module are unavailable.

export function createLinter(api, module, onResult) {
  let worker = null;
  if (module && typeof Worker === 'function') {
    try {
      worker = new Worker(new URL('./lint-worker.js', import.meta.url), { type: 'module' });
      worker.postMessage({ type: 'init', module });
    } catch {
      worker = null;
    }
  }
  let seq = 0;
  let inflight = null;
  let queued = null;
  let timer = 0;

  const finish = (req, list, error) => onResult({ key: req.key, list: list ?? [], error });

  if (worker) {
    worker.onmessage = ({ data }) => {
      const req = inflight;
      inflight = null;
      if (req && data.id === req.id) finish(req, data.list, data.error);
      if (queued) pump();
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      worker = null;
      const req = inflight ?? queued;
      inflight = null;
      queued = null;
      if (req) request(req.key, req.source, req.options);
    };
  }

  function pump() {
    inflight = { ...queued, id: ++seq };
    queued = null;
    worker.postMessage({ id: inflight.id, source: inflight.source, options: inflight.options });
  }

  function request(key, source, options) {
    if (worker) {
      queued = { key, source, options };
      if (!inflight) pump();
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => {
      let list = [];
      let error = null;
      try {
        list = api.lintTemplate(source, options);
      } catch (e) {
        error = { code: e?.code, message: e?.message, span: e?.span };
      }
      finish({ key }, list, error);
    }, 120);
  }

  return { request, usesWorker: () => Boolean(worker) };
}
