// The word crossing of template data (js/src/crossing.js → src/json/words.rs) against the JSON
// crossing it replaces and against the real handlebars@4.7.10:
// - the words describe exactly the value `JSON.parse` gets back from the JSON crossing's text
//   (prune + JSON.stringify, ±Infinity as 1e400), on random data × random projections;
// - end to end, Template.render (words) gives the same output or the same error code as the
//   JSON crossing (the wasm glue's `render` with that text) and, where it renders, handlebars;
// - hostile data (getters, toJSON, proxies, cycles, depth, holes, symbols, -0, NaN, BigInt, lone
//   surrogates, a render started from a getter) behaves exactly as through the JSON crossing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { compileWords } from '../../js/src/crossing.js';
import * as calhook from '../../pkg/dist/entries/node.mjs';
import * as glue from '../../pkg/dist/wasm.js';
import { prng } from './harness.mjs';
import { jsonCrossingText, randomData, randomProjection, templateFragment, withInfinities } from './generate.mjs';

const Handlebars = createRequire(import.meta.url)('handlebars');

// The words read back into a JS value, by the format of src/json/words.rs.
function decode({ text, words, nodes }) {
  let at = 0;
  const f64 = new Float64Array(1);
  const w32 = new Int32Array(f64.buffer);
  const next = () => {
    assert.ok(at < nodes, 'words end inside a value');
    const [kind, a, b] = [words[3 * at], words[3 * at + 1], words[3 * at + 2]];
    at++;
    switch (kind) {
      case 0:
        return null;
      case 1:
        return false;
      case 2:
        return true;
      case 3:
        w32[0] = a;
        w32[1] = b;
        return f64[0];
      case 4:
        return text.slice(a, b);
      case 5:
        return Array.from({ length: a }, next);
      case 6: {
        const o = {};
        for (let i = 0; i < a; i++) {
          const k = next();
          assert.equal(typeof k, 'string', 'a key is a string node');
          Object.defineProperty(o, k, { value: next(), enumerable: true, writable: true, configurable: true });
        }
        return o;
      }
      default:
        throw new Error(`kind ${kind}`);
    }
  };
  const v = next();
  assert.equal(at, nodes, 'one value, no words after it');
  return v;
}

test('the words hold what JSON.parse makes of the JSON crossing, random data × projections', () => {
  const rand = prng(0x60d5);
  let words = 0;
  for (let i = 0; i < 5000; i++) {
    const node = randomProjection(rand, 4);
    const data = randomData(rand, 4);
    const w = compileWords(node)(data);
    // Giving up is always allowed (the JSON crossing then decides); it must stay the exception.
    if (w === undefined) continue;
    words++;
    assert.deepStrictEqual(decode(w), JSON.parse(jsonCrossingText(data, node)), `case ${i}: node ${JSON.stringify(node)}`);
  }
  assert.ok(words > 3500, `only ${words} of 5000 cases crossed as words`);
});

// Template.render against the JSON crossing (the glue's render of the JSON text) and handlebars.
function outcome(fn) {
  try {
    return { out: fn() };
  } catch (e) {
    return { code: e instanceof calhook.CalhookError ? e.code : `not a CalhookError: ${e}` };
  }
}

// What Template.render gave before the words: the text, then the glue's render of it. Errors
// as template.js reports them: the wasm's code, anything else (a getter's, JSON.stringify's)
// INVALID_ARGUMENT.
function jsonCrossing(src, data) {
  const inner = new glue.WasmTemplate(src, '{}');
  try {
    const projection = JSON.parse(inner.projection());
    return { out: inner.render(projection === null ? withInfinities(data, JSON.stringify(data) ?? 'null') : jsonCrossingText(data, projection)) };
  } catch (e) {
    return { code: typeof e?.code === 'string' ? e.code : 'INVALID_ARGUMENT' };
  } finally {
    inner.free();
  }
}

// Templates of the direct renderer's subset and around it (helpers, raw output, `this`).
const FRAGMENTS = {
  keys: ['a', 'b', '0', '1', '10', 'length', 'é'],
  mustaches: 0.35,
  literalShare: 0.07,
  literals: (path) => ['-', '<&>', '\n', '{{! note }}', `{{{${path()}}}}`, '{{this}}', `{{lookup ${path()} "a"}}`],
  helpers: ['if', 'unless', 'each', 'each', 'with'],
};

test('Template.render (words) = the JSON crossing = handlebars, 3,000 generated cases', () => {
  const rand = prng(0x3c0de);
  const failures = [];
  for (let i = 0; i < 3000 && failures.length < 3; i++) {
    const src = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => templateFragment(rand, 0, FRAGMENTS)).join('');
    const data = { a: randomData(rand, 3), b: randomData(rand, 3), 0: randomData(rand, 2) };
    const got = outcome(() => calhook.compileTemplate(src).render(data));
    const before = jsonCrossing(src, data);
    if (JSON.stringify(got) !== JSON.stringify(before)) failures.push({ src, data: String(JSON.stringify(data)), got, before });
    // handlebars sees the data itself: where JSON and JS differ (undefined-valued keys,
    // functions, toJSON, Dates, NaN, lone surrogates) only the JSON crossing is the reference.
    const plain = JSON.stringify(data);
    if (got.out === undefined || plain.includes('\\ud') || !isDeepStrictEqual(JSON.parse(plain), data)) continue;
    const want = outcome(() => Handlebars.compile(src)(JSON.parse(plain)));
    if (want.out !== undefined && got.out !== want.out) failures.push({ src, data: plain, got, handlebars: want });
  }
  assert.deepEqual(failures, []);
});

const tpl = (src) => calhook.compileTemplate(src);

test('hostile data: the same output or error as the JSON crossing', () => {
  const cyclic = { name: 'c' };
  cyclic.self = cyclic;
  let calls = 0;
  const cases = [
    ['{{a.b}}', { a: { get b() { calls++; return 'got'; } } }],
    ['{{a.b}}', { a: { get b() { throw new Error('boom'); } } }],
    ['{{a}}', { a: { toJSON: () => 'j' } }],
    ['{{a.toJSON}}', { a: { toJSON: () => 'j' } }],
    ['{{#each a}}{{@key}}{{/each}}', { a: { toJSON: () => 'j', x: 1 } }],
    ['{{a}}{{a.x}}', { a: new Date(0) }],
    ['{{a}}', { a: new String('boxed') }],
    ['{{a.b}}', { a: new Proxy({ b: 'p' }, {}) }],
    ['{{a.b}}', { a: new Proxy({}, { get: () => 'trap', has: () => true, getOwnPropertyDescriptor: () => ({ value: 'trap', enumerable: true, configurable: true }) }) }],
    ['{{#each a}}{{this}}{{/each}}', { a: new Proxy([1, 2], {}) }],
    ['{{a.b}}', { a: new Proxy({}, { getOwnPropertyDescriptor() { throw new Error('trap'); } }) }],
    ['{{a.self.self.name}}', { a: cyclic }],
    ['{{a}}', { a: cyclic }],
    ['{{#each a}}{{this}},{{/each}}{{a.length}}', { a: [1, , 3] }], // eslint-disable-line no-sparse-arrays
    ['{{#each a}}{{@key}}{{/each}}', { a: { [Symbol('k')]: 1, x: Symbol('v') } }],
    ['{{a}}{{#if a}}t{{/if}}', { a: -0 }],
    ['{{a}}{{#if a}}t{{/if}}', { a: NaN }],
    ['{{a}} {{b}}', { a: Infinity, b: -Infinity }],
    ['{{a}}', { a: 10n }],
    ['{{a}}', { a: Symbol('s') }],
    ['{{a}}{{b}}', { a: 'x\ud83d', b: '\ude00y' }],
    ['{{a}}|{{b}}', { a: '\ud800', b: 'é\udfff😀' }],
    ['{{a.[1]}}', { a: '😀' }],
    ['{{a}}', { a: () => 1 }],
    ['{{a}}', undefined],
    ['{{a}}', null],
    ['{{a}}', 'string data'],
    ['{{a.length}}{{a.[0]}}', { a: 'abc' }],
    ['{{#each a}}{{b}}{{/each}}', { a: Array.from({ length: 70 }, (_, i) => ({ b: i })) }],
    ['{{#each a}}{{@key}}={{this}};{{/each}}', { a: { b: 1, 2: 'two', 1: 'one', c: undefined } }],
  ];
  for (const [src, data] of cases) {
    const before = jsonCrossing(src, data);
    const got = outcome(() => tpl(src).render(data));
    assert.deepEqual(got, before, `${src} with ${outcome(() => JSON.stringify(data)).out}`);
  }
  calls = 0;
  assert.equal(tpl('{{a.b}}').render(cases[0][1]), 'got');
  assert.equal(calls, 1, 'a getter runs once per render');
  // Nesting deeper than the JSON parser takes: the JSON crossing's error.
  let deep = 'x';
  for (let i = 0; i < 600; i++) deep = { a: deep };
  const src = `{{${Array(600).fill('a').join('.')}}}`;
  assert.deepEqual(outcome(() => tpl(src).render(deep)), jsonCrossing(src, deep));
});

test('a render started from a getter during another render\'s walk', () => {
  const inner = tpl('{{x}}');
  const outer = tpl('{{a.b}}|{{c}}');
  const data = {
    a: {
      get b() {
        return inner.render({ x: 'inner' });
      },
    },
    c: 'outer',
  };
  assert.equal(outer.render(data), 'inner|outer');
  assert.equal(outer.render(data), Handlebars.compile('{{a.b}}|{{c}}')(data));
});

test('Object.prototype.toJSON polluted: the JSON crossing decides', () => {
  const t = tpl('{{a.b}}');
  Object.prototype.toJSON = () => ({ b: 'polluted' });
  try {
    assert.deepEqual(outcome(() => t.render({ a: { b: 'x' } })), jsonCrossing('{{a.b}}', { a: { b: 'x' } }));
  } finally {
    delete Object.prototype.toJSON;
  }
  assert.equal(t.render({ a: { b: 'x' } }), 'x');
});

test('the benchmark templates cross as words and render as handlebars', async () => {
  const { templates } = await import('../../bench/template.mjs');
  for (const { source, payload } of Object.values(templates)) {
    const data = { ...payload, triggerEvent: 'BOOKING_CREATED', createdAt: '2024-01-15T10:00:00.000Z' };
    const inner = new glue.WasmTemplate(source, '{}');
    const w = compileWords(JSON.parse(inner.projection()))(data);
    inner.free();
    assert.notEqual(w, undefined, 'crossed as words');
    assert.equal(tpl(source).render(data), Handlebars.compile(source)(data));
  }
});

test('outputs read in place: every size in a row, a moved buffer, a grown memory, a replaced instance', async () => {
  const instance = await import('../../pkg/dist/instance.js');
  const t = calhook.compileTemplate('{{#each a}}{{b}}{{/each}}', { maxOutputBytes: 4e6 });
  const tree = calhook.compileTemplate('{{#each a}}{{b}}{{/each}}{{#with a}}{{/with}}', { maxOutputBytes: 4e6 });
  const hb = Handlebars.compile('{{#each a}}{{b}}{{/each}}');
  const check = (n, fill = 'x') => {
    const data = { a: [{ b: fill.repeat(n) }, { b: 'é<😀' }] };
    assert.equal(t.render(data), hb(data), `${n} units (direct renderer)`);
    assert.equal(tree.render(data), hb(data), `${n} units (tree renderer)`);
  };
  for (const n of [0, 1, 10, 1000, 100_000, 2_000_000, 3, 70_000, 0, 5]) check(n);
  // Memory grown by another call between two renders detaches every view of it.
  const before = instance.generation();
  check(50);
  assert.throws(() => calhook.parseEvent(' '.repeat(instance.MEMORY_RESET_BYTES + 1024) + '{', { maxBytes: 2 ** 28 }));
  assert.ok(instance.generation() > before, 'the instance was replaced');
  for (const n of [50, 0, 4000, 2]) check(n, 'ab');
  assert.equal(calhook.renderTemplate('{{a}}', { a: '\ufeffBOM' }), '\ufeffBOM');
});
