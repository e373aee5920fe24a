// The public API of `calhook/signature`: the main entry's signature functions, same semantics,
// on the slim wasm (see ./wasm.js).
export { CalhookError } from './error.js';
export { sign, verify, check, Verifier } from './signature.js';
export { ready } from './ready-sync.js';
