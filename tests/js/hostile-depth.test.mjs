// Nesting through the shipped wasm: user limits are clamped (MAX_NESTING = 256 in
// src/template/mod.rs), so past the clamp every shape ends in TEMPLATE_LIMIT, and at the clamp
// every shape renders, with room to spare on the 1 MiB wasm stack. Before the clamp,
// `maxNesting: 2000` with 1,600 nested `{{#if}}` trapped (`memory access out of bounds`) and
// poisoned the instance for every later call, `verify` included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as calhook from '../../pkg/dist/entries/node.mjs';

const CLAMP = 256;
const unlimited = { maxNesting: 1e9, maxTemplateBytes: 1 << 30, maxOutputBytes: 1 << 30 };

function shapes(n) {
  return {
    if: `${'{{#if a}}'.repeat(n)}x${'{{/if}}'.repeat(n)}`,
    each: `${'{{#each a}}'.repeat(n)}x${'{{/each}}'.repeat(n)}`,
    with: `${'{{#with a}}'.repeat(n)}{{b}}${'{{/with}}'.repeat(n)}`,
    'unless-else': `${'{{#unless b}}{{else}}'.repeat(n)}x${'{{/unless}}'.repeat(n)}`,
    'sub-expressions': `{{lookup ${'(lookup '.repeat(n)}a${" 'b')".repeat(n)} 'c'}}`,
    'partial chain':
      Array.from({ length: n }, (_, i) => `{{#*inline "p${i}"}}{{> p${i + 1}}}{{/inline}}`).join('') +
      `{{#*inline "p${n}"}}x{{/inline}}{{> p0}}`,
    // Each level is two partial calls: `p`, then its `@partial-block`.
    'partial blocks': `{{#*inline "p"}}{{> @partial-block}}{{/inline}}${'{{#> p}}'.repeat(n >> 1)}x${'{{/p}}'.repeat(n >> 1)}`,
    'blocks around sub-expressions': `${'{{#if a}}'.repeat(n >> 1)}{{lookup ${'(lookup '.repeat(n >> 1)}a${" 'b')".repeat(n >> 1)} 'c'}}${'{{/if}}'.repeat(n >> 1)}`,
  };
}

// `a` is truthy, iterable and has `a` again, 500 levels down (the JSON depth limit is 512).
let data = { b: 1 };
for (let i = 0; i < 500; i++) data = { a: data, b: 1 };

const SECRET = 'whsec_depth';
const body = '{"triggerEvent":"PING"}';
const header = createHmac('sha256', SECRET).update(body).digest('hex');

function stillWorks() {
  assert.equal(calhook.verify(body, header, SECRET), true);
}

test('past the clamp, every nesting shape is a TEMPLATE_LIMIT error', () => {
  for (const [shape, src] of Object.entries(shapes(CLAMP + 50))) {
    assert.throws(
      () => calhook.compileTemplate(src, unlimited).render(data),
      (e) => e instanceof calhook.CalhookError && e.code === 'TEMPLATE_LIMIT',
      shape,
    );
    stillWorks();
  }
  const recursive = '{{#*inline "r"}}{{#with a}}{{> r}}{{/with}}{{/inline}}{{> r}}';
  assert.throws(() => calhook.renderTemplate(recursive, data, unlimited), { code: 'TEMPLATE_LIMIT' });
  stillWorks();
});

test('at the clamp, every nesting shape compiles, renders, lints and lists variables', () => {
  for (const [shape, src] of Object.entries(shapes(CLAMP - 8))) {
    const t = calhook.compileTemplate(src, unlimited);
    assert.equal(typeof t.render(data), 'string', shape);
    assert.ok(Array.isArray(t.variables), shape);
    assert.ok(Array.isArray(calhook.lintTemplate(src)), shape);
    stillWorks();
  }
});

test('failing at the limit over and over leaves the instance healthy', () => {
  // Each failure unwinds through every nesting level; a stack pointer not restored would add
  // up over many calls until the instance traps.
  const src = shapes(CLAMP + 1).each;
  for (let i = 0; i < 200; i++) {
    assert.throws(() => calhook.renderTemplate(src, data, unlimited), { code: 'TEMPLATE_LIMIT' });
  }
  for (let i = 0; i < 50; i++) calhook.compileTemplate(shapes(CLAMP - 8).each, unlimited).render(data);
  stillWorks();
});
