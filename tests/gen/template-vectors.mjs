#!/usr/bin/env node
// Generates tests/vectors/template.json: expected values come from the real handlebars@4.7.10
// and the Cal.com sender oracle (tests/oracle/calcom-sender.mjs), never from calhook.
// Re-run after changing the case list: `node tests/gen/template-vectors.mjs`.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { calcomDeliver } from '../oracle/calcom-sender.mjs';

const require = createRequire(import.meta.url);
const Handlebars = require('handlebars');

const booking = {
  type: '30min',
  title: 'Intro call: Zoë & "Ops" <team>',
  description: "Let's talk about Q3 — it's urgent\nsecond line",
  startTime: '2024-01-15T10:00:00.000Z',
  endTime: '2024-01-15T10:30:00.000Z',
  organizer: { id: 123, name: 'Jane Smith', email: 'jane@company.com', timeZone: 'America/New_York', language: { locale: 'en' } },
  attendees: [
    { name: "D'Angelo O\"Brien", email: 'dangelo@example.com', timeZone: 'Europe/London', language: { locale: 'en' } },
    { name: '山田 太郎 😀', email: 'taro@example.jp', timeZone: 'Asia/Tokyo', language: { locale: 'ja' } },
  ],
  location: 'https://cal.com/video/abc123',
  uid: 'booking-uid-123',
  bookingId: 42,
  eventTypeId: 7,
  price: 12.5,
  currency: 'usd',
  length: 30,
  metadata: { videoCallUrl: 'https://cal.com/video/abc123' },
  responses: { email: { label: 'Email', value: 'dangelo@example.com' }, notes: { label: 'Notes', value: 'C:\\new\\folder' } },
  status: 'ACCEPTED',
};

const renders = [
  ['plain path', '{{title}}', booking],
  ['triple stash', '{{{title}}}', booking],
  ['ampersand form', '{{& description}}', booking],
  ['nested path', '{{organizer.name}} <{{organizer.email}}>', booking],
  ['numeric segment before dot', '{{attendees.0.email}}', booking],
  ['bracket segment', '{{attendees.[1].name}}', booking],
  ['each with index and first/last', '{{#each attendees}}{{@index}}:{{name}}{{#if @first}}(first){{/if}}{{#if @last}}(last){{/if}};{{/each}}', booking],
  ['each over object with @key', '{{#each organizer}}{{@key}}={{this}},{{/each}}', booking],
  ['each else', '{{#each missing}}x{{else}}none{{/each}}', booking],
  ['if else if chain', '{{#if nope}}a{{else if status}}b{{else}}c{{/if}}', booking],
  ['unless', '{{#unless cancellationReason}}not cancelled{{/unless}}', booking],
  ['with and ../', '{{#with organizer}}{{name}} hosts {{../title}}{{/with}}', booking],
  ['block params', '{{#each attendees as |a i|}}{{i}}={{a.email}} {{/each}}', booking],
  ['lookup helper', '{{lookup attendees 1}}/{{#with (lookup attendees 0)}}{{name}}{{/with}}', booking],
  ['@root', '{{#each attendees}}{{@root.uid}}{{/each}}', booking],
  ['numbers as JS prints them', '{{a}} {{b}} {{c}} {{d}} {{e}}', { a: 1.0, b: 1e21, c: 0.0000001, d: -0, e: 12345678901234567890 }],
  ['arrays joined, objects', '{{arr}} | {{obj}} | {{nested}}', { arr: [1, 'a', null, true], obj: { a: 1 }, nested: [[1, 2], [3, [4]]] }],
  ['escaping table', '{{s}}', { s: `& < > " ' \` = / \\` }],
  ['comments and standalone lines', 'a\n{{! note }}\nb\n  {{#if yes}}\n  y\n  {{/if}}\nc', { yes: true }],
  ['whitespace control', '[ {{~x~}} ]  {{~#if x}} y {{~/if~}} !', { x: 'X' }],
  ['escaped mustache', '\\{{x}} {{x}} \\\\{{x}}', { x: 'X' }],
  ['own properties only', '[{{constructor}}][{{__proto__}}][{{title.length}}][{{toString}}]', booking],
  // (An index inside a surrogate pair yields a lone surrogate: a documented difference.)
  ['string index in UTF-16 units', '{{s.length}} {{s.[2]}}', { s: '😀é' }],
  ['includeZero', '{{#if n}}a{{/if}}{{#if n includeZero=true}}b{{/if}}', { n: 0 }],
  ['missing helper with params', '{{foo bar}}', {}],
  ['#if requires one argument', '{{#if}}x{{/if}}', {}],
  ['section on true keeps context', '{{#t}}{{title}}{{/t}}', { t: true, title: 'T' }],
  ['inverse section', '{{^empty}}none{{/empty}}', { empty: [] }],
  ['raw block', '{{{{raw}}}}{{x}}{{{{/raw}}}}', { raw: true, x: 1 }],
  ['log renders nothing', 'a{{log "hi"}}b', {}],
];

const cases = [];
for (const [name, template, data] of renders) {
  let expect;
  try {
    expect = { value: Handlebars.compile(template)(structuredClone(data)) };
  } catch (e) {
    // A parse error throws a plain Error; a render error a Handlebars.Exception or TypeError.
    expect = { throws: /^Parse error|^Lexical error/.test(e.message) ? 'TEMPLATE_SYNTAX' : 'TEMPLATE_RENDER' };
  }
  cases.push({ name: `render: ${name}`, fn: 'renderTemplate', args: [template, data], expect });
  if ('value' in expect) cases.push({ name: `compiled render: ${name}`, fn: 'compileTemplate#render', ctor: [template], args: [data], expect });
}

const syntaxErrors = [
  // The span is the token handlebars' parser rejects: `attendees[0]` lexes as INVALID.
  ['reference index form', '{"attendee": "{{payload.attendees[0].email}}"}', { line: 1, column: 25 }],
  ['triple close after JSON brace', '{"a": {{x}}}', { line: 1, column: 10 }],
  ['unclosed block', 'a\n{{#if x}}\nb', { line: 3 }],
  ['mismatched close', '{{#if x}}{{/each}}', { line: 1 }],
  ['numeric last segment', '{{arr.0}}', { line: 1 }],
  ['unclosed mustache on line 2', 'ok\n  {{title', { line: 2 }],
];
for (const [name, template, where] of syntaxErrors) {
  let threw = false;
  try {
    Handlebars.compile(template)({});
  } catch {
    threw = true;
  }
  if (!threw) throw new Error(`oracle accepted ${name}`);
  cases.push({ name: `syntax error: ${name}`, fn: 'compileTemplate', args: [template], expect: { throws: 'TEMPLATE_SYNTAX' } });
  cases.push({
    name: `syntax error span: ${name}`,
    fn: 'spanOf',
    args: [template],
    expect: { value: where, partial: true },
  });
}

cases.push({ name: 'variables in first-use order', fn: 'compileTemplate#variables', ctor: ['{{title}} {{organizer.name}} {{title}} {{#each attendees}}{{email}}{{/each}}'], args: [], expect: { value: ['title', 'organizer.name', 'attendees', 'email'] } });
cases.push({ name: 'reference dialect renders payload.attendees[0].email', fn: 'renderTemplate', args: ['{{payload.attendees[0].email}}', { payload: booking }, { dialect: 'reference' }], expect: { value: 'dangelo@example.com' } });

// Deliveries: the Cal.com sender oracle decides body, content type and signature.
const createdAt = '2024-01-15T10:00:00.000Z';
const templates = [
  ['no template', undefined],
  ['empty template', ''],
  ['docs example (reference forms break the real sender)', '{"event": "{{triggerEvent}}", "booking_id": "{{payload.uid}}", "attendee": "{{payload.attendees[0].email}}"}'],
  ['working flat JSON template', '{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}", "n": 1.50, "0": "index key first"}'],
  ['quote in data makes the body false', '{"title": "{{title}}"}'],
  ['newline in data makes the body false', '{"d": "{{description}}"}'],
  ['backslashes in data read as JSON escapes', '{"notes": "{{responses.notes.value}}"}'],
  ['apostrophe arrives as an entity', '{"who": "{{attendees.0.email}}", "org": "{{organizer.name}}", "t": "{{type}}"}'],
  ['unquoted mustache is form-urlencoded', 'id={{uid}}&n={{bookingId}}'],
  ['JSON-looking but unquoted number', '{"n": {{bookingId}} }'],
  ['template parsing to 0 is form-urlencoded', '0'],
  ['template true is JSON', 'true'],
];
for (const [name, template] of templates) {
  for (const secret of [undefined, 'whsec_vectors']) {
    const input = { triggerEvent: 'BOOKING_CREATED', createdAt, payload: structuredClone(booking), template, secret, version: '2021-10-20' };
    let expect;
    try {
      const d = calcomDeliver(structuredClone(input));
      const signature = d.headers.find(([name]) => name === 'X-Cal-Signature-256')[1];
      expect = { value: { body: d.body, contentType: d.contentType, signature } };
    } catch (e) {
      expect = { throws: /Parse error|Lexical error/.test(e.message) ? 'TEMPLATE_SYNTAX' : 'EMPTY_BODY' };
    }
    cases.push({ name: `delivery: ${name}${secret ? ' (signed)' : ''}`, fn: 'deliverySummary', args: [input], expect });
  }
}

writeFileSync(new URL('../vectors/template.json', import.meta.url), JSON.stringify({ suite: 'template', cases }, null, 1) + '\n');
console.log(`wrote ${cases.length} template vectors`);
