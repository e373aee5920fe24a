// One call of every function of the main entry, core and tools, with results as plain JSON: the
// Chromium page of the full module (web-full/, `ready({ tools: true })`, one instance) and Node
// (two instances) must give identical results (tests/js/full-module.test.mjs).
const secret = 'whsec_every_call';
const createdAt = '2024-05-01T10:00:00.000Z';

function outcome(fn) {
  try {
    return { ok: fn() };
  } catch (e) {
    return { error: e?.code ?? String(e) };
  }
}

export function everyCall(calhook) {
  const body = JSON.stringify(calhook.samplePayload('BOOKING_CREATED'));
  const header = calhook.sign(body, secret);
  const template = '{"event": "{{triggerEvent}}", "title": "{{title}}", "who": "{{attendees.0.email}}"}';
  const event = calhook.parseEvent(body);
  const verifier = new calhook.Verifier(['old', secret]);
  const compiled = calhook.compileTemplate('{{#each a}}[{{this}}]{{/each}}');
  const lint = calhook.lintTemplate('{"n": {{n}}, "x": "{{payload.uid}}"}', { trigger: 'BOOKING_CREATED' });
  const out = {
    sign: header,
    verify: [calhook.verify(body, header, secret), calhook.verify(body, header, 'wrong')],
    check: calhook.check(body, header, ['x', secret]),
    verifier: [verifier.verify(body, header), verifier.check(body, calhook.sign(body, 'y')).code],
    diagnose: calhook.diagnose(body.replace(/,/g, ', '), header, secret).map((c) => c.code),
    template: [compiled.render({ a: [1, 2] }), compiled.variables],
    renderTemplate: calhook.renderTemplate('{{#if a}}{{b}}{{/if}}', { a: 1, b: 'ok' }),
    buildDelivery: calhook.buildDelivery({ triggerEvent: 'BOOKING_CREATED', createdAt, payload: event.payload, template, secret }),
    renderPayloadTemplate: outcome(() => calhook.renderPayloadTemplate({ triggerEvent: 'BOOKING_CREATED', createdAt, payload: event.payload, template })),
    syntaxError: outcome(() => calhook.compileTemplate('{{#if}}')),
    lintTemplate: lint.map((d) => [d.code, d.span]),
    applyFixes: calhook.applyFixes('{"n": {{n}}}', calhook.lintTemplate('{"n": {{n}}}')),
    formatDiagnostic: lint.length ? calhook.formatDiagnostic('{"n": {{n}}, "x": "{{payload.uid}}"}', lint[0], { file: 't.hbs' }) : null,
    parseEvent: [event.triggerEvent, event.known, event.shape, event.payload.uid],
    safeParseEvent: calhook.safeParseEvent('{').ok,
    verifyEvent: calhook.verifyEvent(body, header, secret).triggerEvent,
    eventKey: calhook.eventKey(event),
    triggers: calhook.TRIGGERS.length,
    describeTrigger: calhook.describeTrigger('BOOKING_CREATED'),
    eventJsonSchema: Object.keys(calhook.eventJsonSchema('BOOKING_CANCELLED')).sort(),
    templateVariables: calhook.templateVariables('BOOKING_CREATED', { dialect: 'reference' }).slice(0, 5),
    validateWebhookCreate: calhook.validateWebhookCreate({ subscriberUrl: 'http://127.0.0.1/hook', eventTriggers: ['BOOKING_CREATED'] }).issues.map((i) => i.code),
    validateWebhookUpdate: calhook.validateWebhookUpdate({ active: false }).ok,
    webhookRequest: calhook.webhookRequest({ op: 'list', apiKey: 'cal_test_x' }).url,
    parseWebhookResponse: outcome(() => calhook.parseWebhookResponse('{"status":"success","data":{"id":1}}')),
    retry: [calhook.RETRY_SCHEDULE_MS.length, calhook.nextRetryAt(1, Date.parse(createdAt))],
    memory: calhook.wasmMemoryBytes() > 0,
  };
  verifier.free();
  compiled.free();
  return JSON.parse(JSON.stringify(out));
}
