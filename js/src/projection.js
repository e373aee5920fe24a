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
