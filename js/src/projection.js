// Applies a template's data projection (computed in Rust, src/template/projection.rs): only
// the part of the data the template can read is serialized into wasm. A projection node is
// `1` (keep the whole subtree) or `{ l?: 1, e?: node, c?: { key: node } }`: keep an array's
// length, what every element/value needs (all keys kept), and what named keys need.

// A node's `c` comes from JSON.parse, so it inherits Object.prototype: `c.constructor` or
// `c.toString` must not be taken for a projection node (a data key of that name would be
// pruned to nothing). Only own keys count.
const own = (c, k) => (c !== undefined && Object.prototype.hasOwnProperty.call(c, k) ? c[k] : undefined);

export function prune(value, node) {
  if (node === 1 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return pruneArray(value, node);
  // A plain object (null-prototype objects are dictionary-mode in V8: slow to build and to
  // stringify); a `__proto__` key is defined as an own property rather than assigned.
  const out = {};
  const { c, e } = node;
  if (e !== undefined) {
    for (const k of Object.keys(value)) set(out, k, prune(value[k], own(c, k) ?? e));
  } else if (c !== undefined) {
    for (const k of Object.keys(c)) {
      if (Object.prototype.hasOwnProperty.call(value, k)) set(out, k, prune(value[k], c[k]));
    }
  }
  return out;
}

function set(out, k, v) {
  if (k === '__proto__') {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  } else {
    out[k] = v;
  }
}

function pruneArray(value, node) {
  const { c, e } = node;
  let len = 0;
  if (node.l || e !== undefined || own(c, 'length') !== undefined) {
    len = value.length;
  } else if (c) {
    for (const k of Object.keys(c)) {
      const i = Number(k);
      if (Number.isInteger(i) && i >= 0 && String(i) === k && i < value.length && i >= len) len = i + 1;
    }
  }
  const out = new Array(len);
  for (let i = 0; i < len; i++) {
    const n = own(c, i) ?? e;
    out[i] = n === undefined ? null : prune(value[i], n);
  }
  return out;
}

/**
 * How the serializers (below, and js/src/crossing.js) size an array under a projection node,
 * compiled once per node: `lengthOf(array)` is prune's length (the whole array when the node
 * keeps it: `l`, an every-element node, or a `length` read; else up to the last named index
 * inside it), and `indexed` says whether the node names any index (else every element takes
 * the every-element node).
 */
export function arrayShape(node, names, readsLength) {
  const keepLength = Boolean(node.l) || node.e !== undefined || readsLength;
  // Array elements the projection names by index, in ascending order.
  const indices = names
    .filter((k) => String(Number(k)) === k && Number.isInteger(Number(k)) && Number(k) >= 0)
    .map(Number)
    .sort((a, b) => a - b);
  const lengthOf = (value) => {
    if (keepLength) return value.length;
    let len = 0;
    for (const i of indices) if (i < value.length) len = i + 1;
    return len;
  };
  return { lengthOf, indexed: indices.length > 0 };
}

// The same text as `JSON.stringify(prune(value, projection))` (with ±Infinity as the JSON
// numbers 1e400 / -1e400, as template.js sends them), written in one walk without building the
// pruned copy. The projection is compiled once into nested closures, one per node, so a render
// only visits the paths the template reads. Returns undefined where the fast walk cannot vouch
// for the result (a BigInt, a symbol, a cycle, a throwing getter, a polluted `toJSON`): the
// caller then takes the general path, which gives the same text or the same error.

const BAIL = Symbol('bail');
const NEEDS_QUOTING = /[\u0000-\u001f"\\\ud800-\udfff]/;
const hasOwn = Object.prototype.hasOwnProperty;

/** A function `(data) => text | undefined` equivalent to pruning by `node` and serializing. */
export function compileSerializer(node, full) {
  const write = compileNode(node, full);
  return (data) => {
    // A `toJSON` on the prototypes would change what JSON.stringify makes of the pruned copies.
    if (Object.prototype.toJSON !== undefined || Array.prototype.toJSON !== undefined) return undefined;
    let text;
    try {
      text = write(data);
    } catch {
      return undefined;
    }
    if (text === BAIL) return undefined;
    return text === undefined ? 'null' : text;
  };
}

// A node's writer: `(value) => text`, undefined for what JSON omits, BAIL to give up.
function compileNode(node, full) {
  if (node === 1) return full;
  const c = node.c;
  const e = node.e === undefined ? undefined : compileNode(node.e, full);
  const named = [];
  if (c !== undefined) {
    for (const k of Object.keys(c)) named.push([k, JSON.stringify(k), compileNode(c[k], full)]);
  }
  const byKey = new Map(named.map(([k, , w]) => [k, w]));
  // The same, as parallel arrays for the hot loop.
  const names = named.map(([k]) => k);
  const prefixes = named.map(([, q]) => `${q}:`);
  const writers = named.map(([, , w]) => w);
  const { lengthOf, indexed } = arrayShape(node, names, byKey.has('length'));
  const writeArray = (value) => {
    const len = lengthOf(value);
    let out = '[';
    for (let i = 0; i < len; i++) {
      if (i > 0) out += ',';
      const w = indexed ? (byKey.get(String(i)) ?? e) : e;
      if (w === undefined) {
        out += 'null';
        continue;
      }
      const t = w(value[i]);
      if (t === BAIL) return BAIL;
      out += t === undefined ? 'null' : t;
    }
    return `${out}]`;
  };
  // A pruned copy that keeps a `toJSON` key holds the data's function there, which
  // JSON.stringify would call: left to the general path.
  const keepsToJSON = e !== undefined || byKey.has('toJSON');
  const writeObject = (value) => {
    if (keepsToJSON && hasOwn.call(value, 'toJSON')) return BAIL;
    let out = '{';
    let first = true;
    if (e !== undefined) {
      for (const k of Object.keys(value)) {
        const t = (byKey.get(k) ?? e)(value[k]);
        if (t === BAIL) return BAIL;
        if (t === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(k)}:${t}`;
        first = false;
      }
    } else {
      for (let j = 0; j < names.length; j++) {
        const k = names[j];
        if (!hasOwn.call(value, k)) continue;
        const t = writers[j](value[k]);
        if (t === BAIL) return BAIL;
        if (t === undefined) continue;
        out += first ? prefixes[j] + t : `,${prefixes[j]}${t}`;
        first = false;
      }
    }
    return `${out}}`;
  };
  return (value) => {
    if (value === null || typeof value !== 'object') return full(value);
    return Array.isArray(value) ? writeArray(value) : writeObject(value);
  };
}

/**
 * The writer of a whole subtree: JSON.stringify, except ±Infinity (`withInfinities` is given
 * the value and its plain text when the text has a `null`, which every infinity becomes).
 */
export function fullWriter(withInfinities) {
  return (value) => {
    switch (typeof value) {
      case 'string':
        // JSON.stringify escapes only these (a surrogate may be lone): the rest is quoted as is.
        return NEEDS_QUOTING.test(value) ? JSON.stringify(value) : `"${value}"`;
      case 'number':
        if (Number.isFinite(value)) return String(value);
        if (Number.isNaN(value)) return 'null';
        return value > 0 ? '1e400' : '-1e400';
      case 'boolean':
        return value ? 'true' : 'false';
      case 'undefined':
      case 'function':
        return undefined;
      case 'object': {
        if (value === null) return 'null';
        const text = JSON.stringify(value);
        if (text === undefined) return undefined;
        return text.includes('null') ? withInfinities(value, text) : text;
      }
      default:
        // symbol (omitted, but rare enough to leave to the general path), bigint (throws).
        return BAIL;
    }
  };
}
