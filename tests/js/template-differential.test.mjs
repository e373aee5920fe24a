// Differential tests through the shipped package: generated templates × realistic Cal.com
// payloads, compared with the real handlebars@4.7.10 (renderTemplate, Template.render) and with
// the Cal.com sender oracle (buildDelivery: body, content type, signature, or "sends nothing").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as calhook from '../../pkg/dist/entries/node.mjs';
import { prng } from './harness.mjs';
import { calcomDeliver } from '../oracle/calcom-sender.mjs';

const require = createRequire(import.meta.url);
const Handlebars = require('handlebars');


const NAMES = ['Jane Smith', "D'Angelo", 'Zoë "Z" Brown', 'Ops & <Team>', 'C:\\new\\folder', 'line1\nline2', '山田 😀', 'a=b`c', '', '  '];
const ZONES = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Australia/Adelaide', 'America/Sao_Paulo'];
const NUMBERS = [0, -0, 1, 1.5, 1e21, 1e-7, 12345678901234567000, 0.1 + 0.2, -42, 2 ** 53];

function payload(rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const attendees = Array.from({ length: Math.floor(rand() * 4) }, (_, i) => ({
    name: pick(NAMES),
    email: `guest${i}@example.com`,
    timeZone: pick(ZONES),
    language: { locale: pick(['en', 'de', 'ja']) },
  }));
  const p = {
    type: '30min',
    title: pick(NAMES),
    startTime: `2024-0${1 + Math.floor(rand() * 9)}-15T10:00:00.000Z`,
    endTime: '2024-01-15T10:30:00.000Z',
    organizer: { id: 7, name: pick(NAMES), email: 'host@example.com', timeZone: pick(ZONES), language: { locale: 'en' } },
    attendees,
    uid: `uid-${Math.floor(rand() * 1000)}`,
    bookingId: pick(NUMBERS),
    price: pick(NUMBERS),
    status: 'ACCEPTED',
    metadata: rand() < 0.5 ? { videoCallUrl: 'https://cal.com/video/x?a=1&b=2' } : {},
    responses: { email: { label: 'Email', value: 'x@example.com' }, 10: { label: 'Ten', value: pick(NAMES) }, 2: { label: 'Two', value: pick(NUMBERS) } },
  };
  if (rand() < 0.5) p.description = pick(NAMES);
  if (rand() < 0.5) p.additionalNotes = pick(NAMES);
  return p;
}

const PATHS = ['title', 'uid', 'bookingId', 'price', 'organizer.name', 'organizer.utcOffset', 'attendees.0.email', 'attendees.[1].name',
  'attendees.length', 'responses.email.value', 'responses.10.value', 'responses.[2].value', 'metadata.videoCallUrl', 'triggerEvent',
  'createdAt', 'description', 'missing', 'organizer', 'attendees', 'organizer.language.locale', 'title.length', 'this.uid', '@root.uid'];

function fragment(rand, depth) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const path = pick(PATHS);
  const r = rand();
  if (depth > 2 || r < 0.35) return `{{${path}}}`;
  if (r < 0.45) return `{{{${path}}}}`;
  if (r < 0.5) return `{{& ${path}}}`;
  if (r < 0.58) return `{{#each attendees}}{{@index}}:{{${pick(['name', 'email', 'timeZone', 'utcOffset', '../title', '@root.uid', 'this.name'])}}}{{#unless @last}},{{/unless}}{{/each}}`;
  if (r < 0.64) return `{{#each attendees as |a i|}}[{{i}}={{a.email}}]{{else}}none{{/each}}`;
  if (r < 0.72) return `{{#if ${path}}}${fragment(rand, depth + 1)}{{else if metadata.videoCallUrl}}v{{else}}${fragment(rand, depth + 1)}{{/if}}`;
  if (r < 0.77) return `{{#with organizer}}{{name}}/{{../uid}}{{/with}}`;
  if (r < 0.8) return `{{lookup attendees ${Math.floor(rand() * 3)}}}`;
  if (r < 0.83) return `{{! a comment }}{{~${path}~}}`;
  if (r < 0.86) return `\n  {{#if price}}\n  ${fragment(rand, depth + 1)}\n  {{/if}}\n`;
  if (r < 0.88) return `{{#each responses}}{{@key}}={{value}};{{/each}}`;
  if (r < 0.9) return `{{${path} extra}}`;
  if (r < 0.92) return `{{#*inline "p"}}<{{${path}}}>{{/inline}}{{> p}}{{#> missing}}fallback {{uid}}{{/missing}}`;
  return `{{#if ${path} includeZero=true}}z{{/if}}`;
}

function template(rand) {
  const n = 1 + Math.floor(rand() * 4);
  const parts = Array.from({ length: n }, () => fragment(rand, 0));
  const style = rand();
  if (style < 0.55) {
    // A JSON template: fragments inside JSON strings (the common, and fragile, form).
    return `{${parts.map((p, i) => `"k${i}": "${p.replace(/"/g, "'")}"`).join(', ')}${rand() < 0.2 ? ', "n": 1.50, "1": "idx"' : ''}}`;
  }
  if (style < 0.65) return `{"raw": ${parts[0]} }`;
  return parts.join(rand() < 0.5 ? '&' : '\n');
}

function oracleDelivery(input) {
  try {
    const d = calcomDeliver(structuredClone(input));
    return { body: d.body, contentType: d.contentType, signature: d.headers.find(([k]) => k === 'X-Cal-Signature-256')[1] };
  } catch (e) {
    return { throws: true, message: String(e.message).split('\n')[0] };
  }
}

function calhookDelivery(input) {
  try {
    const d = calhook.buildDelivery(input);
    return { body: d.body, contentType: d.contentType, signature: d.headers['X-Cal-Signature-256'] };
  } catch (e) {
    if (!(e instanceof calhook.CalhookError)) return { crashed: String(e) };
    return { throws: true, code: e.code };
  }
}

test('buildDelivery matches the Cal.com sender on 1,500 generated template × payload cases', () => {
  const rand = prng(424242);
  const failures = [];
  let sent = 0;
  for (let i = 0; i < 1500; i++) {
    const input = {
      triggerEvent: rand() < 0.85 ? 'BOOKING_CREATED' : 'FORM_SUBMITTED',
      createdAt: '2024-01-15T09:00:00.000Z',
      payload: payload(rand),
      template: rand() < 0.08 ? undefined : template(rand),
      secret: rand() < 0.7 ? 'whsec_differential' : undefined,
    };
    const want = oracleDelivery(input);
    const got = calhookDelivery(input);
    if (want.throws) {
      if (!got.throws) failures.push({ i, input, want, got });
    } else {
      sent++;
      if (JSON.stringify(got) !== JSON.stringify(want)) failures.push({ i, input, want, got });
    }
  }
  assert.deepEqual(failures.slice(0, 3), []);
  assert.ok(sent > 1000, `most cases are deliveries (${sent})`);
});

test('renderTemplate and Template.render match handlebars on 1,500 generated cases', () => {
  const rand = prng(777);
  const failures = [];
  for (let i = 0; i < 1500; i++) {
    const data = { ...payload(rand), triggerEvent: 'BOOKING_CREATED', createdAt: '2024-01-15T09:00:00.000Z' };
    const src = template(rand);
    let want;
    try {
      want = { out: Handlebars.compile(src)(structuredClone(data)) };
    } catch {
      want = { throws: true };
    }
    for (const [how, run] of [
      ['renderTemplate', () => calhook.renderTemplate(src, data)],
      ['Template.render', () => calhook.compileTemplate(src).render(data)],
    ]) {
      let got;
      try {
        got = { out: run() };
      } catch (e) {
        got = e instanceof calhook.CalhookError ? { throws: true } : { crashed: String(e) };
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) failures.push({ i, how, src, want, got });
    }
  }
  assert.deepEqual(failures.slice(0, 3), []);
});

// Numbers at the float limits, differential against handlebars: random JSON number literals
// (huge and tiny exponents that overflow to ±Infinity or underflow to ±0, subnormals, long
// mantissas, the max/min doubles and their neighbours), parsed by JSON.parse as a receiver's
// body would be, rendered in every context by both engines.
test('numbers at the float limits render as handlebars renders them', () => {
  const rand = prng(0x1e400);
  const digits = (n) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  // An integer part JSON accepts: no leading zero.
  const integer = (n) => `${1 + Math.floor(rand() * 9)}${digits(n - 1)}`;
  const literal = () => {
    const sign = rand() < 0.5 ? '-' : '';
    switch (Math.floor(rand() * 6)) {
      case 0: return `${sign}${1 + Math.floor(rand() * 9)}e${300 + Math.floor(rand() * 120)}`;
      case 1: return `${sign}${1 + Math.floor(rand() * 9)}.${digits(1 + Math.floor(rand() * 20))}e-${300 + Math.floor(rand() * 130)}`;
      case 2: return `${sign}1.797693134862315${Math.floor(rand() * 10)}e308`;
      case 3: return `${sign}${integer(1 + Math.floor(rand() * 60))}.${digits(1 + Math.floor(rand() * 40))}`;
      case 4: return `${sign}${integer(1 + Math.floor(rand() * 3))}E${rand() < 0.5 ? '+' : '-'}${Math.floor(rand() * 30)}`;
      default: return `${sign}${rand() < 0.5 ? '0' : '0.0'}e${Math.floor(rand() * 400)}`;
    }
  };
  const template = '{{n}}|{{{n}}}|{{l}}|{{#each l}}[{{@index}}:{{this}}]{{/each}}|{{#if n}}t{{else}}f{{/if}}|{{lookup l 1}}|{{#with (lookup . "n")}}{{this}}{{/with}}|{{#each o}}{{@key}}={{this}}{{/each}}';
  const compiled = calhook.compileTemplate(template);
  let infinities = 0;
  for (let i = 0; i < 400; i++) {
    const a = literal();
    const b = literal();
    const data = JSON.parse(`{"n": ${a}, "l": [${a}, ${b}], "o": {"x": ${b}}}`);
    if (!Number.isFinite(data.n)) infinities++;
    const expected = Handlebars.compile(template)(structuredClone(data));
    assert.equal(calhook.renderTemplate(template, data), expected, `${a} / ${b}`);
    assert.equal(compiled.render(data), expected, `${a} / ${b} (compiled)`);
  }
  assert.ok(infinities > 30, `only ${infinities} overflowing literals`);
  compiled.free();
});
