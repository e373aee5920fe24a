// calhook/signature: the wasm is inlined, so every bundler takes it with no configuration.
import * as calhook from 'calhook/signature';
import { BODY, SECRET } from './vector.js';

try {
  const signature = calhook.sign(BODY, SECRET);
  window.__result = {
    signature,
    verified: calhook.verify(BODY, signature, SECRET),
    forged: calhook.check(BODY, '0'.repeat(64), SECRET).code,
    missingBody: calhook.check(undefined, signature, SECRET).code,
  };
} catch (e) {
  window.__result = { error: { name: e.name, code: e.code, message: e.message } };
}
