// `calhook/signature`: the signature functions of `calhook`, with the same types and semantics,
// on a wasm of a few kilobytes. Instantiated on import in every runtime: `ready()` is only
// there so code written for the main entry runs unchanged.
export { CalhookError, sign, verify, check, Verifier, ready } from './index.js';
export type { Body, BodyInput, Secrets, SecretInput, HeaderInput, CheckCode, CheckResult } from './index.js';
export { ready as default } from './index.js';
