// Browsers, bundlers, Deno and any other runtime: the inlined wasm, instantiated on import.
import '../inline.js';

export * from '../index.js';
export { ready as default } from '../ready-sync.js';
