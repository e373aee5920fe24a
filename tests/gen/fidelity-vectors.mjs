#!/usr/bin/env node
// Generates tests/vectors/fidelity.json: numbers at and beyond the float limits (including
// the ±Infinity that JSON.parse makes of 1e400) and the block-less `{{*inline}}` decorator,
// rendered in every context. Expected values come from the real handlebars@4.7.10 and the
// Cal.com sender oracle (tests/oracle/calcom-sender.mjs), never from calhook.
// The data crosses as JSON text parsed by the runtime's own JSON.parse (adapters `renderJson`,
// `deliveryJson` in tests/runtime/vectors.mjs), exactly as a receiver's data would.
// Re-run after changing the case list: `node tests/gen/fidelity-vectors.mjs`.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { calcomDeliver } from '../oracle/calcom-sender.mjs';

const require = createRequire(import.meta.url);
const Handlebars = require('handlebars');

/** Number literals as they appear in JSON bodies: limits, subnormals, overflow, long mantissas. */
export const NUMBERS = [
  '1e400', '-1e400', '1e309', '-1e309', '1e308', '1.7976931348623157e308', '-1.7976931348623157e308',
  '1.7976931348623158e308', '1.7976931348623159e308', '179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792',
  '2.2250738585072014e-308', '2.2250738585072011e-308', '2.225073858507201e-308', '4.9406564584124654e-324', '5e-324', '-5e-324',
  '2.4703282292062328e-324', '2.4703282292062327e-324', '2e-324', '1e-400', '-1e-400', '-0', '-0.0', '0e10', '-0e-10',
  '1e21', '1e+21', '999999999999999999999', '1e20', '100000000000000000000.5', '1E-7', '0.000001', '1.5e-7', '123.456e-10',
  '9007199254740993', '9007199254740992', '-9007199254740993', '18446744073709551616', '0.1', '0.30000000000000004',
  '1.0000000000000002', '3.14159265358979323846264338327950288419716939937510582097494459',
  '0.000000000000000000000000000000000000000000000001234567890123456789', '1.23456789012345678901234567890e-5', '12e-1', '1.50',
];

/** One template reading the number in every context a receiver's template can. */
const CONTEXTS = [
  '{{n}}', '{{{n}}}', '{{l}}', '{{#each l}}[{{@index}}:{{this}}]{{/each}}', '{{#if n}}t{{else}}f{{/if}}',
  '{{#unless n}}u{{/unless}}', '{{lookup l 0}}', '{{#with (lookup . "n")}}w{{this}}{{/with}}',
  '{{#each o}}{{@key}}={{this}};{{/each}}', '{{#if (lookup o "a")}}s{{/if}}', '{{#each l}}{{#if this}}T{{/if}}{{/each}}',
  '{{o.a}}', '{{#with o}}{{a}}{{/with}}', '{{#each m}}{{this}}/{{/each}}',
].join('|');

const cases = [];
const hbs = (template, data) => {
  try {
    return { value: Handlebars.compile(template)(data) };
  } catch (e) {
    if (/^Parse error|^Lexical error/.test(e.message)) return { throws: 'TEMPLATE_SYNTAX' };
    if (/Missing decorator/.test(e.message)) return { throws: 'TEMPLATE_UNSUPPORTED' };
    return { throws: 'TEMPLATE_RENDER' };
  }
};

for (const n of NUMBERS) {
  const dataText = `{"n": ${n}, "l": [${n}, 1, ${n}], "o": {"a": ${n}}, "m": [[${n}], {"x": ${n}}]}`;
  const expect = hbs(CONTEXTS, JSON.parse(dataText));
  cases.push({ name: `number ${n.length > 40 ? `${n.slice(0, 40)}… (${n.length} digits)` : n}: every context`, fn: 'renderJson', args: [CONTEXTS, dataText], expect });
  cases.push({ name: `number ${n.slice(0, 40)}: compiled template`, fn: 'compiledRenderJson', args: [CONTEXTS, dataText], expect });
}

// Deliveries: the sender's post-processing (JSON.parse/JSON.stringify of the rendered text;
// JSON.stringify of the default body turns ±Infinity into null).
const booking = (n) => `{"title": "T", "startTime": "2024-01-15T10:00:00.000Z", "endTime": "2024-01-15T10:30:00.000Z", "organizer": {"name": "J", "email": "j@example.com", "timeZone": "UTC"}, "attendees": [], "uid": "u", "price": ${n}, "l": [${n}]}`;
const deliveryTemplates = [
  ['default body', undefined],
  ['quoted mustache', '{"price": "{{price}}", "l": "{{l}}"}'],
  ['unquoted mustache (form-urlencoded)', '{"price": {{price}} }'],
  ['JSON number in a JSON template', '{"price": {{price}}, "x": 1}'],
];
for (const n of ['1e400', '-1e400', '1.7976931348623157e308', '5e-324', '-0', '1e21', '123456789012345678901234567890', '1e-400']) {
  for (const [name, template] of deliveryTemplates) {
    const input = { triggerEvent: 'BOOKING_CREATED', createdAt: '2024-01-15T10:00:00.000Z', template, secret: 'whsec_fidelity' };
    let expect;
    try {
      const d = calcomDeliver({ ...structuredClone(input), payload: JSON.parse(booking(n)) });
      expect = { value: { body: d.body, contentType: d.contentType, signature: d.headers.find(([h]) => h === 'X-Cal-Signature-256')[1] } };
    } catch {
      expect = { throws: 'TEMPLATE_RENDER' };
    }
    cases.push({ name: `delivery of ${n}: ${name}`, fn: 'deliveryJson', args: [input, booking(n)], expect });
  }
}

// `{{*inline}}` without a block: the inline decorator runs with no program, so `partials[name]`
// becomes undefined; it is not standalone; any other decorator throws.
const decorators = [
  '{{*inline "p"}}', 'x{{*inline "p"}}y', '{{*inline "p"}}{{> p}}', '{{*inline}}', '{{*inline "p" "q"}}z',
  '{{*inline "p"}}\n  {{title}}', '  {{*inline "p"}}  \nX', '{{~*inline "p"~}} Y', '{{#*inline "p"}}P{{/inline}}{{> p}}',
  '{{#*inline "p"}}P{{/inline}}{{*inline "p"}}{{> p}}', '{{*inline "p"}}{{#*inline "p"}}P{{/inline}}{{> p}}',
  '{{#*inline "p"}}P{{/inline}}{{*inline "p"}}{{#> p}}F{{/p}}', '{{#*inline "p"}}P{{/inline}}{{#if 1}}{{*inline "p"}}{{> p}}{{/if}}',
  '{{#*inline "p"}}P{{/inline}}{{#if 1}}{{*inline "p"}}{{/if}}{{> p}}', '{{*inline x}}ok', '{{*inline x}}{{#*inline "p"}}P{{/inline}}{{> p}}',
  '{{#*inline "p"}}P{{/inline}}{{*inline x}}{{#> p}}F{{/p}}', '{{*inline "p" a=1}}ok', '{{*inline (lookup . "x")}}ok',
  '{{#*inline (lookup . "x")}}P{{/inline}}ok', '{{*inline 1}}{{> 1}}', '{{*inline null}}ok', '{{*inline "p"}}{{#> p}}F{{/p}}',
  '{{#each l}}{{*inline "p"}}{{/each}}ok', '{{#each l}}{{*inline @key}}{{/each}}ok',
  '{{*inline "a" }}{{#*inline "a"}}A{{/inline}}{{#if 1}}{{> a}}{{*inline "a"}}{{/if}}', '{{#*inline "a"}}A{{/inline}}{{#each l}}{{*inline "a"}}{{/each}}{{> a}}',
  '{{*foo}}', '{{#if 0}}{{*foo}}{{/if}}ok', '{{*inline.x "p"}}', '{{*this}}', '{{*../inline}}', '{{#*inline "p"}}{{*inline "q"}}P{{/inline}}{{> p}}',
  '{"a": "{{*inline "p"}}{{title}}"}',
];
for (const template of decorators) {
  const data = { x: 'p', l: [1, 2], title: 'T' };
  cases.push({ name: `decorator: ${JSON.stringify(template)}`, fn: 'renderTemplate', args: [template, data], expect: hbs(template, structuredClone(data)) });
}

writeFileSync(new URL('../vectors/fidelity.json', import.meta.url), JSON.stringify({ suite: 'fidelity', cases }, null, 1) + '\n');
console.log(`wrote ${cases.length} fidelity vectors`);
