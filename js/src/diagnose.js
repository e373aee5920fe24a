// diagnose(): the likely causes of a failed signature check (main entry only: it needs the
// JSON module of the full wasm).
import * as wasm from './wasm.js';
import { rethrow } from './error.js';
import { bodyInput, headerInput } from './body.js';
import { isMissing, missingBodyCheck, secretList } from './signature.js';

const encoder = new TextEncoder();

/** The likely causes of a failed check, each found by testing it: `[{ code, message }]`. */
export function diagnose(body, header, secret) {
  if (isMissing(body)) {
    secretList(secret);
    const { code, message } = missingBodyCheck(header);
    return [{ code, message }];
  }
  const b = bodyInput(body);
  const h = headerInput(header);
  const [s] = secretList(secret);
  try {
    return JSON.parse(wasm.diagnose_bytes(typeof b === 'string' ? encoder.encode(b) : b, h, s));
  } catch (e) {
    rethrow(e);
  }
}
