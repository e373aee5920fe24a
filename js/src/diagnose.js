// diagnose(): the likely causes of a failed signature check (main entry only; its wasm code is
// in the tools module, js/src/tools.js).
import { api } from './error.js';
import { bodyInput, headerInput } from './body.js';
import { isMissing, missingBodyCheck, secretList } from './signature.js';
import { runTools } from './tools.js';
import * as tools from './wasm-tools.js';

const encoder = /* @__PURE__ */ new TextEncoder();

/** The likely causes of a failed check, each found by testing it: `[{ code, message }]`. */
export const diagnose = /* @__PURE__ */ api('diagnose', (body, header, secret) => {
  if (isMissing(body)) {
    secretList(secret);
    const { code, message } = missingBodyCheck(header);
    return [{ code, message }];
  }
  const b = bodyInput(body);
  const h = headerInput(header);
  const [s] = secretList(secret);
  const bytes = typeof b === 'string' ? encoder.encode(b) : b;
  return JSON.parse(runTools('diagnose', () => tools.diagnose_bytes(bytes, h, s)));
});
