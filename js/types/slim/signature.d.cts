// `calhook/signature` for `require`: the signature functions of `calhook`, same types and
// semantics, on a wasm of a few kilobytes, instantiated on require.
export { CalhookError, sign, verify, check, Verifier, ready } from './index.cjs';
export type { Body, BodyInput, Secrets, SecretInput, HeaderInput, CheckCode, CheckResult } from './index.cjs';
