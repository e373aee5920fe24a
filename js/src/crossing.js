// The word form of template data (src/json/words.rs): instead of JSON text, the projected data
// crosses into wasm as nodes of three 32-bit words `[kind, a, b]` in document order, next to one
// text holding every string once, raw (no quoting, no escaping, nothing for wasm to scan).
// A projection (see projection.js) is compiled once into nested closures, one per node, so a
// render visits only the paths the template reads.
//
// The words describe exactly the data `JSON.stringify(prune(data, projection))` describes (and
// what template.js sends as JSON: NaN becomes null, -0 becomes 0, ±Infinity stay infinite).
// Wherever the walk cannot vouch for that, it gives up (`undefined`) and the caller sends JSON
// text as before, which gives the same output or the same error: a whole subtree kept
// (projection `1`) that is an object, a BigInt or a symbol, a kept `toJSON` key, a `toJSON` on
// Object.prototype or Array.prototype, a getter or proxy trap that throws, data too large, a
// render started from inside a getter of another render's walk.

import { arrayShape } from './projection.js';

const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const NUMBER = 3;
const STRING = 4;
const ARRAY = 5;
const OBJECT = 6;

// What a node writer reports.
const WROTE = 0;
const OMIT = 1; // undefined or a function: an object drops the key, an array writes null
const BAIL = 2;

// Data texts up to this many UTF-16 units cross as words (larger ones as JSON text, as before).
const MAX_UNITS = 1 << 20;
const MAX_WORDS = 3 << 18;

const hasOwn = Object.prototype.hasOwnProperty;
// Wasm reads the words as little-endian; every platform JS runs on is, but say so.
// (Pure calls, so that a bundler drops this state from an app that renders no template.)
const LITTLE_ENDIAN = /* @__PURE__ */ (() => new Uint8Array(new Uint32Array([1]).buffer)[0] === 1)();

// The walk's state: one walk at a time (a getter that renders gets the JSON path instead).
let words = /* @__PURE__ */ new Int32Array(3 * 1024);
let count = 0;
let text = '';
let units = 0;
let busy = false;
const number = /* @__PURE__ */ new Float64Array(1);
const numberWords = /* @__PURE__ */ new Int32Array(number.buffer);

function grow() {
  const bigger = new Int32Array(words.length * 2);
  bigger.set(words);
  words = bigger;
}

function put(kind, a, b) {
  if (count + 3 > words.length) grow();
  words[count] = kind;
  words[count + 1] = a;
  words[count + 2] = b;
  count += 3;
}

function putString(s) {
  const start = units;
  units += s.length;
  text += s;
  put(STRING, start, units);
}

function putNumber(v) {
  // As the JSON text: NaN is null, -0 is 0 (`JSON.stringify(-0)` is "0").
  if (v !== v) return put(NULL, 0, 0);
  number[0] = v === 0 ? 0 : v;
  put(NUMBER, numberWords[0], numberWords[1]);
}

// A whole kept subtree (projection `1`): primitives are written, anything else is left to
// JSON.stringify (toJSON, boxed primitives, ...) on the JSON path.
function leaf(v) {
  switch (typeof v) {
    case 'string':
      putString(v);
      return WROTE;
    case 'number':
      putNumber(v);
      return WROTE;
    case 'boolean':
      put(v ? TRUE : FALSE, 0, 0);
      return WROTE;
    case 'undefined':
    case 'function':
      return OMIT;
    case 'object':
      if (v === null) {
        put(NULL, 0, 0);
        return WROTE;
      }
      return BAIL;
    default:
      // symbol (dropped by JSON.stringify, rare enough for the JSON path), bigint (throws there).
      return BAIL;
  }
}

// A node's writer: `(value) => WROTE | OMIT | BAIL`. Static key names are written once per
// compiled projection into `keys`, whose text starts every walk's text.
function compileNode(node, keys) {
  if (node === 1) return leaf;
  const c = node.c;
  const e = node.e === undefined ? undefined : compileNode(node.e, keys);
  const names = c === undefined ? [] : Object.keys(c);
  const writers = names.map((k) => compileNode(c[k], keys));
  const starts = names.map((k) => keys.add(k));
  const byKey = new Map(names.map((k, j) => [k, writers[j]]));
  const { lengthOf, indexed } = arrayShape(node, names, byKey.has('length'));
  const writeArray = (value) => {
    const len = lengthOf(value);
    put(ARRAY, len, 0);
    for (let i = 0; i < len; i++) {
      const w = indexed ? (byKey.get(String(i)) ?? e) : e;
      const r = w === undefined ? OMIT : w(value[i]);
      if (r === BAIL) return BAIL;
      if (r === OMIT) put(NULL, 0, 0);
    }
    return WROTE;
  };
  // A pruned copy that keeps a `toJSON` key holds the data's function there, which
  // JSON.stringify would call: left to the JSON path.
  const keepsToJSON = e !== undefined || byKey.has('toJSON');
  const writeObject = (value) => {
    if (keepsToJSON && hasOwn.call(value, 'toJSON')) return BAIL;
    const at = count;
    put(OBJECT, 0, 0);
    let members = 0;
    if (e !== undefined) {
      for (const k of Object.keys(value)) {
        const key = count;
        const keyUnits = units;
        const keyText = text;
        putString(k);
        const r = (byKey.get(k) ?? e)(value[k]);
        if (r === BAIL) return BAIL;
        if (r === OMIT) {
          count = key;
          units = keyUnits;
          text = keyText;
          continue;
        }
        members++;
      }
    } else {
      for (let j = 0; j < names.length; j++) {
        const k = names[j];
        if (!hasOwn.call(value, k)) continue;
        const key = count;
        put(STRING, starts[j], starts[j] + k.length);
        const r = writers[j](value[k]);
        if (r === BAIL) return BAIL;
        if (r === OMIT) {
          count = key;
          continue;
        }
        members++;
      }
    }
    words[at + 1] = members;
    return WROTE;
  };
  return (value) => {
    if (value === null || typeof value !== 'object') return leaf(value);
    return Array.isArray(value) ? writeArray(value) : writeObject(value);
  };
}

// The static key names of one projection, concatenated.
function keyTable() {
  const at = new Map();
  let all = '';
  return {
    add(k) {
      let start = at.get(k);
      if (start === undefined) {
        start = all.length;
        at.set(k, start);
        all += k;
      }
      return start;
    },
    text: () => all,
  };
}

/**
 * A function `(data) => { text, units, words, nodes } | undefined` writing `data` pruned by
 * `projection` in the word form; `undefined` where the JSON path must decide. The result's
 * `words` is shared: copy it out before the next walk.
 */
export function compileWords(projection) {
  if (!LITTLE_ENDIAN) return null;
  const keys = keyTable();
  const write = compileNode(projection, keys);
  const prefix = keys.text();
  return (data) => {
    // A `toJSON` on the prototypes would change what JSON.stringify makes of the pruned copies.
    if (busy || Object.prototype.toJSON !== undefined || Array.prototype.toJSON !== undefined) return undefined;
    busy = true;
    count = 0;
    text = prefix;
    units = prefix.length;
    try {
      const r = write(data);
      if (r === BAIL || units > MAX_UNITS || count > MAX_WORDS) return undefined;
      if (r === OMIT) put(NULL, 0, 0);
      return { text, units, words, nodes: count / 3 };
    } catch {
      return undefined;
    } finally {
      busy = false;
      text = '';
    }
  };
}
