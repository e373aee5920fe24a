// The public API of the package, shared by every runtime entry.
import { inputView } from './input.js';
import { setInputView } from './signature.js';

export { CalhookError } from './error.js';
export { memoryBytes as wasmMemoryBytes } from './instance.js';
export { sign, verify, check, Verifier } from './signature.js';
export { diagnose } from './diagnose.js';
export { compileTemplate, renderTemplate, buildDelivery, renderPayloadTemplate, lintTemplate, applyFixes, formatDiagnostic, Template } from './template.js';
export {
  parseEvent,
  safeParseEvent,
  verifyEvent,
  handleRequest,
  errorResponse,
  eventKey,
  TRIGGERS,
  RETRY_SCHEDULE_MS,
  describeTrigger,
  samplePayload,
  eventJsonSchema,
  templateVariables,
  validateWebhookCreate,
  validateWebhookUpdate,
  webhookRequest,
  parseWebhookResponse,
  nextRetryAt,
} from './event.js';

// Verifier.verify writes body and header straight into the main wasm's input buffer (the slim
// `calhook/signature` entry has no such buffer and keeps wasm-bindgen-style copies).
setInputView(inputView);
