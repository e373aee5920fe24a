// prune (js/src/projection.js) must keep exactly what the template reads. Regression: a data
// key named like an Object.prototype member (`constructor`, `toString`, ...) under a node with
// both `e` and `c` was looked up on the prototype and pruned to `{}` (fuzz/corpus/template/
// regression-projection-inherited-key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { compileSerializer, fullWriter, prune } from '../../js/src/projection.js';
import * as calhook from '../../pkg/dist/entries/node.mjs';
import { prng } from './harness.mjs';
import { jsonCrossingText, randomData, randomProjection, withInfinities } from './generate.mjs';

const Handlebars = createRequire(import.meta.url)('handlebars');

test('prune only follows own keys of a projection node', () => {
  const node = JSON.parse('{"l":1,"e":{"c":{"name":1}},"c":{"x":1}}');
  const data = { constructor: { name: 'C' }, toString: { name: 'T' }, __proto__x: { name: 'P' }, x: { y: 1 } };
  assert.deepEqual(
    JSON.parse(JSON.stringify(prune(data, node))),
    { constructor: { name: 'C' }, toString: { name: 'T' }, __proto__x: { name: 'P' }, x: { y: 1 } },
  );
  assert.deepEqual(prune([1, 2, 3], JSON.parse('{"c":{"1":1}}')), [null, 2]);
  assert.deepEqual(prune([1, 2, 3], JSON.parse('{"c":{"valueOf":1}}')), []);
});

test('rendering with projected data: keys named like prototype members', () => {
  const src = '{{#each obj}}{{name}};{{/each}}{{obj.x}}';
  const data = { obj: { constructor: { name: 'C' }, hasOwnProperty: { name: 'H' }, a: { name: 'A' } } };
  assert.equal(calhook.renderTemplate(src, data), 'C;H;A;');
  assert.equal(calhook.compileTemplate(src).render(data), 'C;H;A;');
});

// The compiled serializer (compileSerializer) against the path it replaces: prune, then
// JSON.stringify with ±Infinity written as 1e400 / -1e400 (template.js). Random data (keys
// shaped like indices, `length`, `__proto__`, prototype members; values of every JSON-visible
// kind, holes, undefined, functions, toJSON, boxed strings) × random projections: the same text.

function hasToJSON(v) {
  if (v === null || typeof v !== 'object') return false;
  return Object.prototype.hasOwnProperty.call(v, 'toJSON') || Object.values(v).some(hasToJSON);
}

test('compiled serializer = prune + JSON.stringify (with infinities), random data × projections', () => {
  const rand = prng(20261201);
  const write = fullWriter(withInfinities);
  let bails = 0;
  for (let i = 0; i < 4000; i++) {
    const node = randomProjection(rand, 4);
    const data = randomData(rand, 4);
    const fast = compileSerializer(node, write)(data);
    // It may give up only where a kept `toJSON` key would be called (then template.js takes
    // the general path).
    if (fast === undefined) {
      assert.ok(hasToJSON(data), `case ${i}: gave up without a reason`);
      bails++;
    } else {
      assert.equal(fast, jsonCrossingText(data, node), `case ${i}: node ${JSON.stringify(node)}`);
    }
  }
  assert.ok(bails < 200, `${bails} of 4000 cases took the general path`);
});

test('compiled serializer gives up (undefined) where the general path must decide', () => {
  const write = fullWriter(withInfinities);
  const node = JSON.parse('{"c":{"a":1}}');
  const cyclic = {};
  cyclic.self = cyclic;
  assert.equal(compileSerializer(node, write)({ a: 10n }), undefined);
  assert.equal(compileSerializer(node, write)({ a: Symbol('s') }), undefined);
  assert.equal(compileSerializer(node, write)({ a: cyclic }), undefined);
  assert.equal(compileSerializer(node, write)({ get a() { throw new Error('boom'); } }), undefined);
  Object.prototype.toJSON = () => 'polluted';
  try {
    assert.equal(compileSerializer(node, write)({ a: 1 }), undefined);
  } finally {
    delete Object.prototype.toJSON;
  }
  // Errors are the general path's: the same error as before the fast path existed.
  assert.throws(() => calhook.compileTemplate('{{a}}').render({ a: 10n }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => calhook.compileTemplate('{{a.self}}').render({ a: cyclic }), { code: 'INVALID_ARGUMENT' });
});

// End to end: Template.render and renderTemplate (compiled serializer → wasm) against the real
// handlebars on random data, for templates reading paths in every way a projection models.
const TEMPLATES = [
  '{{a}}|{{b.a}}|{{b.[0]}}|{{b.length}}',
  '{{#each a}}{{@index}}:{{a}}{{0}};{{/each}}',
  '{{#each b}}{{@key}}={{this}};{{/each}}{{b}}',
  '{{a.0.b}}{{a.[1]}}{{a.10.a}}{{a.length}}',
  '{{#with a}}{{b}}{{0}}{{#each this}}[{{this}}]{{/each}}{{/with}}',
  '{{#if a}}{{a.b}}{{else}}{{b.a.b}}{{/if}}{{#unless b}}no{{/unless}}',
  '{{lookup a "b"}}{{lookup b 0}}{{constructor}}{{toString.a}}',
  '{{#each a}}{{#each this}}{{a}}{{b}}{{/each}}{{/each}}',
];
// (No undefined or functions: JSON drops those keys, which `{{#each}}` over the object would
// show as keys; a documented difference of the JSON crossing, not of this path.)
const E2E_LEAVES = ['x', '', 'Zoë "q" <b>', '山田 😀', 0, -0, 1.5, 1e21, Infinity, -Infinity, true, false, null];

function e2eValue(rand, depth) {
  const r = rand();
  const pick = (list) => list[Math.floor(rand() * list.length)];
  if (depth <= 0 || r < 0.35) return pick(E2E_LEAVES);
  if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => e2eValue(rand, depth - 1));
  const o = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) o[pick(['a', 'b', '0', '1', '10', 'length'])] = e2eValue(rand, depth - 1);
  return o;
}

test('Template.render through the compiled serializer = handlebars, random data', () => {
  const rand = prng(7);
  const compiled = TEMPLATES.map((src) => [src, calhook.compileTemplate(src), Handlebars.compile(src)]);
  for (let i = 0; i < 1500; i++) {
    const data = { a: e2eValue(rand, 3), b: e2eValue(rand, 3) };
    for (const [src, ours, theirs] of compiled) {
      const expected = theirs(data);
      assert.equal(ours.render(data), expected, `${src} with ${JSON.stringify(data)}`);
      assert.equal(calhook.renderTemplate(src, data), expected, src);
    }
  }
});
