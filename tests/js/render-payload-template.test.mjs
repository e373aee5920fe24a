// renderPayloadTemplate: the text Cal.com renders before JSON.parse, against the sender oracle
// (handlebars 4.7.10 + Cal.com's data layout and `&quot;` replacement), and consistent with
// the body buildDelivery sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as calhook from '../../pkg/dist/entries/node.mjs';
import { calcomRender, jsonParse } from '../oracle/calcom-sender.mjs';

const TEMPLATES = [
  '{"title": "{{title}}", "uid": "{{uid}}", "first": "{{attendees.0.email}}"}',
  '{"title": "{{{title}}}"}',
  '{"event": "{{triggerEvent}}", "at": "{{createdAt}}", "p": "{{payload.title}}", "form": "{{payload.formId}}"}',
  'event={{triggerEvent}}&title={{title}}&who={{#each attendees}}{{name}}({{utcOffset}}){{/each}}',
  '{"notes": "{{description}}", "quoted": "{{organizer.name}} &quot;x&quot;"}',
];

function cases() {
  const out = [];
  for (const { name } of calhook.TRIGGERS) {
    const sample = calhook.samplePayload(name);
    for (const template of TEMPLATES) {
      out.push({ triggerEvent: name, createdAt: sample.createdAt, payload: sample.payload, template });
    }
  }
  const booking = calhook.samplePayload('BOOKING_CREATED');
  out.push({ triggerEvent: 'BOOKING_CREATED', createdAt: booking.createdAt, payload: { ...booking.payload, title: 'Say "hi"' }, template: '{"title": "{{{title}}}"}' });
  return out;
}

test('renderPayloadTemplate equals the sender oracle for every trigger', () => {
  let n = 0;
  for (const input of cases()) {
    const expected = calcomRender({ ...input, payload: structuredClone(input.payload) });
    assert.equal(calhook.renderPayloadTemplate(input), expected, `${input.triggerEvent}: ${input.template}`);
    n++;
  }
  assert.ok(n > 100, `${n} cases`);
});

test('buildDelivery sends the rendered text: parsed and re-serialized for JSON templates, as is for forms', () => {
  for (const input of cases()) {
    const rendered = calhook.renderPayloadTemplate(input);
    const delivery = calhook.buildDelivery(input);
    const expected = delivery.contentType === 'application/json' ? JSON.stringify(jsonParse(rendered)) : rendered;
    assert.equal(delivery.body, expected, `${input.triggerEvent}: ${input.template}`);
  }
});

test('renderPayloadTemplate: no template, the reference dialect, and errors as buildDelivery', () => {
  const { createdAt, payload } = calhook.samplePayload('BOOKING_CREATED');
  const base = { triggerEvent: 'BOOKING_CREATED', createdAt, payload };
  assert.equal(calhook.renderPayloadTemplate(base), undefined);
  assert.equal(calhook.renderPayloadTemplate({ ...base, template: '' }), undefined);
  assert.equal(calhook.renderPayloadTemplate({ ...base, template: '{{payload.uid}}|{{uid}}', dialect: 'reference' }), `${payload.uid}|`);
  assert.equal(calhook.renderPayloadTemplate({ ...base, template: '{{payload.uid}}|{{uid}}' }), `|${payload.uid}`);
  for (const template of ['{{#if}}', '{{payload.attendees[0].email}}', '{{> missing}}']) {
    let expected;
    try {
      calhook.buildDelivery({ ...base, template });
    } catch (e) {
      expected = e;
    }
    assert.ok(expected, `buildDelivery throws for ${template}`);
    assert.throws(() => calhook.renderPayloadTemplate({ ...base, template }), (e) => e instanceof calhook.CalhookError && e.code === expected.code && e.message === expected.message);
  }
  assert.throws(() => calhook.renderPayloadTemplate(null), (e) => e.code === 'INVALID_ARGUMENT' && /renderPayloadTemplate takes an object/.test(e.message));
  assert.throws(() => calhook.renderPayloadTemplate({ ...base, triggerEvent: '' }), (e) => e.code === 'INVALID_ARGUMENT');
});
