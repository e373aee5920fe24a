// The spans of template errors (compileTemplate, buildDelivery, renderPayloadTemplate) reach JS
// in UTF-16 units of the template, the column counted from the last line break, so an editor can
// highlight them with plain string indexing. Checked against the JS string itself (the oracle
// for UTF-16 offsets) on generated templates with astral, accented and CR/LF/CRLF text before
// and inside the error, plus fixed cases (a 600-unit line and a 300-char accented run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as calhook from '../../pkg/dist/entries/node.mjs';
import { prng } from './harness.mjs';

const FIXED = [
  ['{{#if}}', { line: 1, column: 8, start: 7, end: 7 }],
  ['é😀\r\n  {{#each x}}', { line: 2, column: 14, start: 18, end: 18 }],
  ['a\n😀😀 {{foo', { line: 2, column: 8, start: 9, end: 10 }],
  ['\r\r\n{{> }}', { line: 3, column: 5, start: 7, end: 9 }],
  ['x'.repeat(600) + '😀\n' + 'é'.repeat(300) + '{{#with a}}{{/if}}', { line: 2, column: 304, start: 906, end: 910 }],
  ['{{{a}}', { line: 1, column: 5, start: 4, end: 6 }],
  ['😀{{a b=}}', { line: 1, column: 9, start: 8, end: 10 }],
  ['{{#if a}}é\n😀{{else}}{{else}}{{/if}}', { line: 2, column: 11, start: 21, end: 29 }],
];

const PIECES = ['a', 'é', '😀', '\n', '\r', '\r\n', ' ', '{{x}}', '中'];
const ERRORS = ['{{#if}}', '{{foo', '{{> }}', '{{#with a}}{{/if}}', '{{a b=}}', '{{{a}}', '{{#each x}}'];

function spanOf(fn) {
  try {
    fn();
  } catch (e) {
    assert.equal(e.code, 'TEMPLATE_SYNTAX', e.message);
    return e.span;
  }
  assert.fail('no error');
}

// What the span must be, from the JS string: the column counts UTF-16 units since the last
// line break before `start`, the line counts CRLF, CR and LF breaks before it.
function checkSpan(source, span) {
  assert.ok(Number.isInteger(span.start) && span.start >= 0 && span.start <= span.end && span.end <= source.length, JSON.stringify(span));
  const before = source.slice(0, span.start);
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  assert.equal(span.column, span.start - lineStart + 1, `column of ${JSON.stringify(source)}`);
  assert.equal(span.line, 1 + (before.match(/\r\n|\r|\n/g) ?? []).length, `line of ${JSON.stringify(source)}`);
  // A span never splits a surrogate pair.
  for (const at of [span.start, span.end]) {
    const unit = source.charCodeAt(at);
    assert.ok(!(unit >= 0xdc00 && unit <= 0xdfff), `offset ${at} inside a surrogate pair`);
  }
}

test('fixed template error spans in UTF-16 units', () => {
  for (const [source, span] of FIXED) {
    assert.deepEqual(spanOf(() => calhook.compileTemplate(source)), span, JSON.stringify(source));
    checkSpan(source, span);
  }
});

test('generated template error spans match the JS string, from every entry point', () => {
  const rand = prng(0x5ba11);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const text = (n) => Array.from({ length: n }, () => pick(PIECES)).join('');
  for (let i = 0; i < 300; i++) {
    const source = text(Math.floor(rand() * 40)) + pick(ERRORS) + text(Math.floor(rand() * 8));
    const span = spanOf(() => calhook.compileTemplate(source));
    checkSpan(source, span);
    const input = { triggerEvent: 'BOOKING_CREATED', createdAt: '2025-01-01T00:00:00.000Z', payload: { uid: 'u' }, template: source };
    assert.deepEqual(spanOf(() => calhook.buildDelivery(input)), span, 'buildDelivery gives the same span');
    assert.deepEqual(spanOf(() => calhook.renderPayloadTemplate(input)), span, 'renderPayloadTemplate too');
  }
});
