// Node ESM: the inlined wasm, instantiated on import; long bodies hashed by node:crypto.
import '../inline.js';
import '../native-node.js';

export * from '../index.js';
export { ready as default } from '../ready-sync.js';
