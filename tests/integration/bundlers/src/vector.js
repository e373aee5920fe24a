// The known vector every bundle checks; the expected signature is computed by the test with
// node:crypto and injected into the page / compared with the output, never by calhook.
export const BODY = '{"triggerEvent":"PING","createdAt":"2026-01-01T00:00:00.000Z","payload":{}}';
export const SECRET = 'bundle-secret';
// A template the linter flags: its codes come from calhook's tools module (calhook_tools.wasm).
export const LINT_SOURCE = '{"n": {{n}}}';

/** Run calhook once it is ready: sign, verify, a refused forgery, a render and a lint. */
export function exercise(calhook) {
  const signature = calhook.sign(BODY, SECRET);
  return {
    signature,
    verified: calhook.verify(BODY, signature, SECRET),
    forged: calhook.check(BODY, '0'.repeat(64), SECRET).code,
    missingBody: calhook.check(undefined, signature, SECRET).code,
    template: calhook.renderTemplate('{{a}}-{{b.c}}', { a: 1, b: { c: 'x' } }),
    lint: calhook.lintTemplate(LINT_SOURCE).map((d) => d.code),
  };
}
