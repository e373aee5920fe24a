// Per delivery, Cal.com compiles and renders the template. Compared: calhook buildDelivery and
// renderTemplate against handlebars.js compile+render (+ Cal.com's post-processing for the
// delivery row), and calhook Template.render against a precompiled handlebars template.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as calhook from '../pkg/dist/entries/node.mjs';
import { measure, table } from './lib.mjs';

const require = createRequire(import.meta.url);
const Handlebars = require('handlebars');
const SECRET = 'whsec_benchmark';

// The booking (60 attendees) that tests/fast_render.rs and examples/bench_template.rs read too.
const FIXTURE = new URL('../tests/fixtures/booking.json', import.meta.url);

/** A fresh copy of the booking fixture. */
function booking() {
  return JSON.parse(readFileSync(FIXTURE, 'utf8'));
}

export const templates = {
  'reference example (working form), 60 attendees': {
    source: '{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}',
    payload: booking(),
  },
  'large template, 60 attendees': {
    source: `{
  "event": "{{triggerEvent}}",
  "created": "{{createdAt}}",
  "booking": { "uid": "{{uid}}", "id": "{{bookingId}}", "title": "{{title}}", "start": "{{startTime}}", "end": "{{endTime}}" },
  "organizer": { "name": "{{organizer.name}}", "email": "{{organizer.email}}", "tz": "{{organizer.timeZone}}" },
  "attendees": [
    {{#each attendees}}
    { "i": "{{@index}}", "name": "{{name}}", "email": "{{email}}", "tz": "{{timeZone}}", "locale": "{{language.locale}}"{{#if @first}}, "first": true{{/if}} }{{#unless @last}},{{/unless}}
    {{/each}}
  ],
  "video": "{{#if metadata.videoCallUrl}}{{metadata.videoCallUrl}}{{else}}none{{/if}}",
  "status": "{{status}}"
}`,
    payload: booking(),
  },
};

/**
 * Cal.com's per-delivery work with handlebars.js (tests/oracle/calcom-sender.mjs, without its
 * per-attendee `utcOffset`, which only makes this peer faster): the body is JSON only when the
 * template itself parses as JSON — then `JSON.stringify(JSON.parse(rendered))`, `false` when the
 * rendered text is not JSON — otherwise the rendered text is sent as it is (form-urlencoded).
 */
export function handlebarsDelivery(source, data) {
  const rendered = Handlebars.compile(source)(data).replace(/&quot;/g, '"');
  let body = rendered;
  if (jsonParse(source)) body = JSON.stringify(jsonParse(rendered));
  return { body, signature: createHmac('sha256', SECRET).update(body).digest('hex') };
}

function jsonParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return false;
  }
}

/** Both sides of the delivery row must send the same body, or the comparison means nothing. */
export function assertSameDelivery(calhook, name, input, data) {
  const ours = calhook.buildDelivery(input).body;
  const theirs = handlebarsDelivery(input.template, data).body;
  if (ours !== theirs) throw new Error(`${name}: buildDelivery and the handlebars delivery send different bodies`);
}

export async function run() {
  const createdAt = '2024-01-15T10:00:00.000Z';
  const sections = [];
  const hasDelivery = typeof calhook.buildDelivery === 'function';
  for (const [name, { source, payload }] of Object.entries(templates)) {
    const data = { ...payload, triggerEvent: 'BOOKING_CREATED', createdAt };
    const precompiled = Handlebars.compile(source);
    const compiled = calhook.compileTemplate(source);
    if (compiled.render(data) !== precompiled(data)) throw new Error(`${name}: calhook and handlebars disagree`);
    const rows = [];
    if (hasDelivery) {
      const input = { triggerEvent: 'BOOKING_CREATED', createdAt, payload, template: source, secret: SECRET };
      assertSameDelivery(calhook, name, input, data);
      rows.push({ name: 'calhook buildDelivery', fn: () => calhook.buildDelivery(input) });
      rows.push({ name: 'handlebars.js compile+render + post-processing + HMAC', fn: () => handlebarsDelivery(source, data) });
    }
    rows.push({ name: 'calhook renderTemplate', fn: () => calhook.renderTemplate(source, data) });
    rows.push({ name: 'handlebars.js compile+render', fn: () => Handlebars.compile(source)(data) });
    rows.push({ name: 'calhook Template.render (compiled once)', fn: () => compiled.render(data) });
    rows.push({ name: 'handlebars.js precompiled render', fn: () => precompiled(data) });
    for (const r of rows) r.rates = [await measure(r.fn)];
    sections.push(`### ${name}\n\n${table({ columns: ['operations per second'], rows, baseline: rows[0].name })}`);
  }
  return {
    title: 'Templates (Node)',
    body: `${sections.join('\n\n')}\n\nRatios are to the first row of each table (> 1× = faster than it). handlebars.js compiles on every delivery, as Cal.com does; calhook's rows include passing the data into wasm as JSON.`,
  };
}
