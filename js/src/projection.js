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
  // A null-prototype object keeps a `__proto__` key as an ordinary property.
  const out = Object.create(null);
  const { c, e } = node;
  if (e !== undefined) {
    for (const k of Object.keys(value)) out[k] = prune(value[k], own(c, k) ?? e);
  } else if (c !== undefined) {
    for (const k of Object.keys(c)) {
      if (Object.prototype.hasOwnProperty.call(value, k)) out[k] = prune(value[k], c[k]);
    }
  }
  return out;
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
