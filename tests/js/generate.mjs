// Generators shared by the randomised template tests (projection, word crossing, direct render):
// data with the values where serializers and renderers part ways, projection nodes as Rust
// sends them, and template fragments. Each takes a `prng` from harness.mjs, so a failing case
// is reproduced from its seed. Also the oracle of the JSON crossing's text.
import { prune } from '../../js/src/projection.js';

/** Keys that trip serializers: index-like, prototype members, `length`, non-ASCII, empty. */
export const DATA_KEYS = ['a', 'b', '0', '1', '2', '10', 'length', '__proto__', 'constructor', 'toString', 'é', ''];

const LEAVES = ['x', '', 'Zoë "q" <b>\\\n\u0001', '\ud800', '山田 😀', 0, -0, 1.5, 1e21, 2 ** -1074, NaN, Infinity, -Infinity, true, false, null, undefined, () => 1];

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/**
 * Random JS data of at most `depth` levels: scalars JSON cannot hold (NaN, ±Infinity, -0,
 * undefined, functions), lone surrogates, arrays with holes, Dates and `toJSON`, boxed strings,
 * `__proto__` as an own key, and symbol keys.
 */
export function randomData(rand, depth) {
  const r = rand();
  if (depth <= 0 || r < 0.35) return pick(rand, LEAVES);
  if (r < 0.6) {
    const arr = Array.from({ length: Math.floor(rand() * 4) }, () => randomData(rand, depth - 1));
    if (rand() < 0.15) arr[arr.length + 1] = 'after a hole';
    return arr;
  }
  if (r < 0.64) return rand() < 0.5 ? new Date(0) : { toJSON: () => 'custom', a: 1 };
  if (r < 0.66) return new String('boxed');
  const o = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) {
    const k = pick(rand, DATA_KEYS);
    const v = randomData(rand, depth - 1);
    if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    else o[k] = v;
  }
  if (rand() < 0.1) o[Symbol('s')] = 'symbol-keyed';
  return o;
}

/** A random projection node (src/template/projection.rs's shape), parsed from JSON as Rust sends it. */
export function randomProjection(rand, depth) {
  if (depth <= 0 || rand() < 0.3) return 1;
  const node = {};
  if (rand() < 0.3) node.l = 1;
  if (rand() < 0.3) node.e = randomProjection(rand, depth - 1);
  if (rand() < 0.8) {
    node.c = {};
    for (let i = Math.floor(rand() * 4); i > 0; i--) node.c[pick(rand, DATA_KEYS)] = randomProjection(rand, depth - 1);
  }
  return JSON.parse(JSON.stringify(node));
}

/** A path expression over `keys`: plain, `@root.`, `this.`, or a data variable. */
export function templatePath(rand, keys) {
  const part = () => {
    const k = pick(rand, keys);
    return /^\d/.test(k) || k === 'é' ? `[${k}]` : k;
  };
  const r = rand();
  if (r < 0.08) return pick(rand, ['@index', '@first', '@last', '@key']);
  const parts = Array.from({ length: 1 + Math.floor(rand() * 3) }, part).join('.');
  if (r < 0.16) return `@root.${parts}`;
  if (r < 0.22) return `this.${parts}`;
  return parts;
}

/**
 * A template fragment: an escaped mustache (share `mustaches`), one of `literals(path)`
 * (share `literalShare`), or a block of one of `helpers` with an optional `{{else}}`, nested
 * at most three deep.
 */
export function templateFragment(rand, depth, { keys, mustaches, literalShare, literals, helpers }) {
  const path = () => templatePath(rand, keys);
  const r = rand();
  if (depth > 2 || r < mustaches) return `{{${path()}}}`;
  if (r < mustaches + literalShare) return pick(rand, literals(path));
  const options = { keys, mustaches, literalShare, literals, helpers };
  const body = () => Array.from({ length: Math.floor(rand() * 3) }, () => templateFragment(rand, depth + 1, options)).join('');
  const helper = pick(rand, helpers);
  const inverse = rand() < 0.4 ? `{{else}}${body()}` : '';
  return `{{#${helper} ${path()}}}${body()}${inverse}{{/${helper}}}`;
}

const MARK = `calhook-test-infinity-${Math.random()}`;

/** `plain` (JSON.stringify of `data`) with ±Infinity written as 1e400 / -1e400, as template.js sends them. */
export function withInfinities(data, plain) {
  const marked = JSON.stringify(data, (_k, v) => (v === Infinity || v === -Infinity ? `${MARK}${v > 0 ? '+' : '-'}` : v));
  if (marked === undefined || !marked.includes(MARK)) return plain;
  return marked.split(JSON.stringify(`${MARK}+`)).map((p) => p.split(JSON.stringify(`${MARK}-`)).join('-1e400')).join('1e400');
}

/** The JSON crossing's text by the path it stands for: prune, then JSON.stringify with ±Infinity as 1e400. */
export function jsonCrossingText(data, node) {
  const visible = prune(data, node);
  const text = JSON.stringify(visible) ?? 'null';
  return text.includes('null') ? withInfinities(visible, text) : text;
}
