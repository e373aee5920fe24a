// `ready()` for runtimes that instantiate synchronously on import: already resolved, so code
// written for browsers (`await ready()`) runs unchanged everywhere.
const done = Promise.resolve();

/** Resolves at once: this runtime instantiated calhook on import. */
export function ready() {
  return done;
}
