// Template.render's direct path (src/template/fast.rs: the data rendered straight from its JSON
// text, for templates made of text, escaped mustaches and #if/#unless/#each) against the real
// handlebars@4.7.10, through the shipped package: generated templates of that subset ×
// generated data with the values where JavaScript and a naive renderer part ways (−0, 1e21,
// empty strings and arrays, nested arrays, index-like keys, escapes, emoji, nulls in arrays).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as calhook from '../../pkg/dist/entries/node.mjs';
import { prng } from './harness.mjs';
import { templateFragment } from './generate.mjs';

const require = createRequire(import.meta.url);
const Handlebars = require('handlebars');

const KEYS = ['a', 'b', 'name', 'list', 'length', '0', '1', '10', 'é', 'constructor', '__proto__'];
const SCALARS = [null, true, false, 0, -0, 1, 1.5, 1e21, 1e-7, -42, 2 ** 53, Infinity, '', 'x', '<b class="x">&amp;\'`=</b>', 'line\nbreak\t"q"\\', 'é😀', 'Zoë'];

function value(rand, depth) {
  const r = rand();
  if (depth > 3 || r < 0.45) return SCALARS[Math.floor(rand() * SCALARS.length)];
  if (r < 0.7) return Array.from({ length: Math.floor(rand() * 4) }, () => value(rand, depth + 1));
  const o = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) {
    const k = KEYS[Math.floor(rand() * KEYS.length)];
    if (k === '__proto__') Object.defineProperty(o, k, { value: value(rand, depth + 1), enumerable: true, writable: true, configurable: true });
    else o[k] = value(rand, depth + 1);
  }
  return o;
}

// Templates of the direct renderer's subset.
const FRAGMENTS = {
  keys: KEYS.filter((k) => k !== '__proto__' && k !== 'constructor'),
  mustaches: 0.4,
  literalShare: 0.1,
  literals: () => ['-', ' ', '<&>', '\n', '"', '{{! note }}', ''],
  helpers: ['if', 'unless', 'each', 'each'],
};

test('the direct path renders what handlebars renders on 3,000 generated cases', () => {
  const rand = prng(0xd1ec7);
  const failures = [];
  for (let i = 0; i < 3000; i++) {
    const src = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => templateFragment(rand, 0, FRAGMENTS)).join('');
    const data = value(rand, 0);
    const root = data !== null && typeof data === 'object' && !Array.isArray(data) ? data : { a: data, list: [data, data] };
    let want;
    try {
      want = { out: Handlebars.compile(src)(structuredClone(root)) };
    } catch {
      want = { throws: true };
    }
    let got;
    try {
      got = { out: calhook.compileTemplate(src).render(root) };
    } catch (e) {
      got = e instanceof calhook.CalhookError ? { throws: true } : { crashed: String(e) };
    }
    // Documented difference (COMPATIBILITY.md): a lone surrogate half (`{{s.[1]}}` of an emoji) is U+FFFD.
    if (want.out !== undefined && !want.out.isWellFormed()) continue;
    if (JSON.stringify(got) !== JSON.stringify(want)) failures.push({ src, data: root, want, got });
  }
  assert.deepEqual(failures.slice(0, 3), []);
});

test('a compiled template renders many data values in a row, each as handlebars does', () => {
  const src = '{{#each list}}{{@index}}:{{name}}/{{a.b}}{{#if @first}}^{{/if}}{{#unless @last}},{{/unless}}{{else}}none{{/each}}|{{@root.name}}|{{list.length}}';
  const t = calhook.compileTemplate(src);
  const hb = Handlebars.compile(src);
  const rand = prng(99);
  for (let i = 0; i < 500; i++) {
    const list = Array.from({ length: Math.floor(rand() * 5) }, () => value(rand, 1));
    const data = { name: value(rand, 2), list };
    let want;
    try {
      want = hb(structuredClone(data));
    } catch {
      want = 'throws';
    }
    let got;
    try {
      got = t.render(data);
    } catch (e) {
      got = e instanceof calhook.CalhookError ? 'throws' : String(e);
    }
    assert.equal(got, want, JSON.stringify(data));
  }
  t.free();
});
