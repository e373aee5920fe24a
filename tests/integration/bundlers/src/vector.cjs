// vector.js for the CommonJS program (same vector, same checks).
const BODY = '{"triggerEvent":"PING","createdAt":"2026-01-01T00:00:00.000Z","payload":{}}';
const SECRET = 'bundle-secret';
const LINT_SOURCE = '{"n": {{n}}}';
exports.exercise = (calhook) => {
  const signature = calhook.sign(BODY, SECRET);
  return {
    signature,
    verified: calhook.verify(BODY, signature, SECRET),
    forged: calhook.check(BODY, '0'.repeat(64), SECRET).code,
    missingBody: calhook.check(undefined, signature, SECRET).code,
    template: calhook.renderTemplate('{{a}}-{{b.c}}', { a: 1, b: { c: 'x' } }),
    lint: calhook.lintTemplate(LINT_SOURCE).map((d) => d.code),
  };
};
