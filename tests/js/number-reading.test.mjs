// Every place the wasm reads decimal text as a double (src/json/number.rs's parse_f64, which
// replaced core's dec2flt) against the runtime's own reader, bit for bit:
// - JSON numbers in template data (the JSON crossing's text), in event bodies (parseEvent's
//   fast reader) and in a delivery template's output (the delivery normaliser), against
//   JSON.parse;
// - Handlebars number literals, against the real handlebars@4.7.10 (which uses JS Number()).
// Literals: random doubles printed shortest / toPrecision / toExponential, exact halfway points
// between neighbouring doubles (BigInt) and their neighbours a digit away, random digit runs
// with random exponents, subnormals, overflow and underflow, 800–1,200-digit mantissas.
// A double is compared by Number#toString (shortest round-trip: equal text ⇔ equal double);
// -0 prints as 0 here; the sign of zero is checked bit for bit in src/json/number/tests.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as calhook from '../../pkg/dist/entries/node.mjs';
import * as glue from '../../pkg/dist/wasm.js';
import { prng, root } from './harness.mjs';

const Handlebars = createRequire(import.meta.url)('handlebars');

const view = new DataView(new ArrayBuffer(8));
const u32 = (rand) => Math.floor(rand() * 2 ** 32);
const int = (rand, n) => Math.floor(rand() * n);
const digits = (rand, n) => Array.from({ length: n }, () => int(rand, 10)).join('');

function randomDouble(rand) {
  for (;;) {
    view.setUint32(0, u32(rand));
    view.setUint32(4, u32(rand));
    const x = view.getFloat64(0);
    if (Number.isFinite(x)) return x;
  }
}

// The exact decimal of the midpoint between positive finite x and the next double up, and the
// decimals just below and just above it.
function halfway(x) {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number(bits >> 52n);
  const frac = bits & ((1n << 52n) - 1n);
  const [m, e] = exp === 0 ? [frac, -1074] : [frac | (1n << 52n), exp - 1075];
  const odd = 2n * m + 1n;
  const e2 = e - 1;
  const [text, e10] = e2 >= 0 ? [(odd << BigInt(e2)).toString(), 0] : [(odd * 5n ** BigInt(-e2)).toString(), e2];
  const below = (BigInt(text) * 1000n - 1n).toString();
  return [`${text}e${e10}`, `${text}0001e${e10 - 4}`, `${below}e${e10 - 3}`];
}

// JSON number literals (the grammar of the JSON readers).
function jsonLiteral(rand) {
  const x = randomDouble(rand);
  const sign = rand() < 0.3 ? '-' : '';
  switch (int(rand, 9)) {
    case 0:
      return String(x);
    case 1:
      return x.toPrecision(1 + int(rand, 100)).replace('e+', 'e');
    case 2:
      return x.toExponential(int(rand, 101));
    case 3: {
      const h = halfway(Math.abs(x));
      return sign + h[int(rand, 3)];
    }
    case 4: {
      // Around 1 and the subnormals, where halfway points have the most digits.
      view.setUint32(0, rand() < 0.5 ? 0x3ff00000 | (u32(rand) >>> 12) : u32(rand) >>> 11);
      view.setUint32(4, u32(rand));
      return sign + halfway(view.getFloat64(0))[int(rand, 3)];
    }
    case 5: {
      const lead = String(1 + int(rand, 9));
      const body = lead + digits(rand, int(rand, 30));
      const fraction = rand() < 0.5 ? `.${digits(rand, 1 + int(rand, 30))}` : '';
      const exponent = rand() < 0.6 ? `e${['', '+', '-'][int(rand, 3)]}${int(rand, 400)}` : '';
      return sign + body + fraction + exponent;
    }
    case 6:
      return `${sign}0.${'0'.repeat(int(rand, 330))}${digits(rand, 1 + int(rand, 25))}`;
    case 7:
      return `${sign}${1 + int(rand, 9)}${digits(rand, 800 + int(rand, 400))}e-${int(rand, 1400)}`;
    default:
      return `${sign}${int(rand, 10 ** (1 + int(rand, 15)))}`;
  }
}

const FIXED = [
  '0', '-0', '0.0', '-0.0', '0e5', '1', '-1', '0.1', '0.3', '0.30000000000000004', '1e22', '1e23',
  '9007199254740993', '9007199254740995', '4.9e-324', '5e-324', '2e-324', '2.4703282292062327e-324',
  '2.4703282292062328e-324', '2.2250738585072011e-308', '2.2250738585072014e-308',
  '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '1e309', '-1e400',
  '1e-400', '-1e-400', '123456789012345678901234567890', '1E+2', '1e-2',
];

function batch(rand, n) {
  return Array.from({ length: n }, () => jsonLiteral(rand));
}

test('template data: the JSON crossing reads numbers as JSON.parse does', () => {
  const rand = prng(20261201);
  const inner = new glue.WasmTemplate('{{#each a}}{{this}},{{/each}}', '{}');
  let checked = 0;
  try {
    for (let round = 0; round < 60; round++) {
      const literals = round === 0 ? FIXED : batch(rand, 500);
      const text = `{"a":[${literals.join(',')}]}`;
      const got = inner.render(text).split(',').slice(0, -1);
      const want = JSON.parse(text).a.map(String);
      for (let i = 0; i < literals.length; i++) {
        assert.equal(got[i], want[i], `literal ${literals[i].slice(0, 120)}`);
        checked++;
      }
    }
  } finally {
    inner.free();
  }
  assert.ok(checked > 29000);
});

// (parseEvent's crossing back to JS gives -0 as 0, as before this reader: compared as text.)
test('parseEvent reads a number field as JSON.parse does', () => {
  const rand = prng(7);
  const body = readFileSync(join(root, 'tests', 'events', 'booking_cancelled.json'), 'utf8');
  assert.ok(body.includes('"price":0,'));
  let checked = 0;
  for (let i = 0; i < 6000; i++) {
    const literal = i < FIXED.length ? FIXED[i] : jsonLiteral(rand);
    const want = JSON.parse(literal);
    if (!Number.isFinite(want)) continue;
    const event = calhook.parseEvent(body.replace('"price":0,', `"price":${literal},`));
    assert.equal(String(event.payload.price), String(want), literal.slice(0, 120));
    checked++;
  }
  assert.ok(checked > 5000);
});

test('buildDelivery normalises the numbers of its output as JSON.parse + JSON.stringify do', () => {
  const rand = prng(99);
  let checked = 0;
  for (let round = 0; round < 40; round++) {
    const literals = round === 0 ? FIXED : batch(rand, 200);
    const template = `{"n":[${literals.join(', ')}]}`;
    const { body } = calhook.buildDelivery({
      triggerEvent: 'BOOKING_CREATED',
      createdAt: '2024-07-15T09:00:00.000Z',
      payload: {},
      template,
    });
    assert.equal(body, JSON.stringify(JSON.parse(template)));
    checked += literals.length;
  }
  assert.ok(checked > 7000);
});

test('Handlebars number literals read as handlebars@4.7.10 reads them', () => {
  const rand = prng(31337);
  // The literal grammar of the Handlebars lexer: -?[0-9]+(\.[0-9]+)?
  const literal = () => {
    const sign = rand() < 0.3 ? '-' : '';
    const x = Math.abs(randomDouble(rand));
    switch (int(rand, 4)) {
      case 0:
        return sign + (x < 1e21 && x >= 1e-6 ? String(x) : x.toFixed(int(rand, 30)));
      case 1:
        // A halfway point in [1, 2), written without exponent.
        return sign + halfway(1 + rand())[int(rand, 3)].replace(/^(\d+)e-(\d+)$/, (_, d, e) => `${d.slice(0, d.length - e)}.${d.slice(d.length - e)}`);
      case 2:
        return `${sign}${digits(rand, 1 + int(rand, 40))}.${digits(rand, 1 + int(rand, 40))}`;
      default:
        return `${sign}${digits(rand, 1 + int(rand, 25))}`;
    }
  };
  let checked = 0;
  for (let round = 0; round < 30; round++) {
    const literals = Array.from({ length: 100 }, literal).filter((l) => /^-?[0-9]+(\.[0-9]+)?$/.test(l));
    const source = literals.map((l) => `{{#with ${l}}}{{this}}{{/with}};`).join('');
    const want = Handlebars.compile(source)({});
    const got = calhook.compileTemplate(source).render({});
    assert.equal(got, want);
    checked += literals.length;
  }
  assert.ok(checked > 2000);
});
