// Node CommonJS (bundled to dist/signature.cjs by esbuild): the inlined wasm, instantiated on
// require; long bodies hashed by node:crypto.
import '../inline.js';
import '../native-node.js';

export * from '../index.js';
