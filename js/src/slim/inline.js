// Instantiates the slim wasm from the base64 copy inlined at build time (./wasm-inline.js):
// synchronous, no file to locate, so every bundler and runtime takes it with zero config.
import wasmBase64 from './wasm-inline.js';
import { initSync } from './wasm.js';
import { markReady } from './ready.js';

function decode(base64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

initSync({ module: decode(wasmBase64) });
markReady();
