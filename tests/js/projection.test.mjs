// prune (js/src/projection.js) must keep exactly what the template reads. Regression: a data
// key named like an Object.prototype member (`constructor`, `toString`, ...) under a node with
// both `e` and `c` was looked up on the prototype and pruned to `{}` (fuzz/corpus/template/
// regression-projection-inherited-key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prune } from '../../js/src/projection.js';
import * as calhook from '../../pkg/dist/entries/node.mjs';

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
