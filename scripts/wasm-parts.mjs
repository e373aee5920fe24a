// What a wasm module is made of, by Rust module: the code of each function (named by the wasm's
// name section, so the input must be built with names: wasm-opt -g) grouped by the module it
// belongs to, and the data segments. Each group's share of the gzipped size is estimated by
// compressing the group on its own and scaling the sum of those to the whole file's gzipped
// size (groups compress a little better together than apart). Used by bench/size.mjs.
import { gzipSync } from 'node:zlib';
import { leb } from './wasm-split.mjs';

/** The module path a demangled function name belongs to (`calhook::template::render`, `core`, ...). */
export function groupOf(name, depth = 2) {
  if (name.endsWith('multivalue shim')) return 'calhook::wasm (export shims, with what wasm-opt inlined into them)';
  const own = /calhook::((?:[a-z_0-9]+::)*)/.exec(name);
  if (own) {
    const parts = own[1].split('::').filter(Boolean);
    // The last segment before a function name is the function, unless it is a module we know.
    const path = parts.slice(0, depth);
    return `calhook::${path.join('::') || '(root)'}`;
  }
  const crate = /^[<&*\s]*(?:dyn\s+)?([A-Za-z_][A-Za-z_0-9]*)(?:\[[0-9a-f]+\])?::/.exec(name);
  if (crate) return crate[1];
  return name.startsWith('data segment') ? 'data' : '(other)';
}

/** `[{ group, raw, gzip }]` sorted by size, and the totals, for a wasm built with names. */
export function wasmParts(bytes, { depth = 2, group = groupOf } = {}) {
  const decoder = new TextDecoder();
  const sections = [];
  let i = 8;
  let imported = 0;
  while (i < bytes.length) {
    const id = bytes[i];
    const [size, start] = leb(bytes, i + 1);
    sections.push({ id, start, end: start + size, head: i });
    i = start + size;
  }
  const names = new Map();
  for (const s of sections) {
    if (s.id === 2) {
      let [count, k] = leb(bytes, s.start);
      for (; count > 0; count--) {
        let len;
        [len, k] = leb(bytes, k);
        k += len;
        [len, k] = leb(bytes, k);
        k += len;
        const kind = bytes[k++];
        if (kind === 0) {
          imported++;
          [, k] = leb(bytes, k);
        } else if (kind === 1) {
          k += 1;
          const flags = bytes[k++];
          [, k] = leb(bytes, k);
          if (flags & 1) [, k] = leb(bytes, k);
        } else if (kind === 2) {
          const flags = bytes[k++];
          [, k] = leb(bytes, k);
          if (flags & 1) [, k] = leb(bytes, k);
        } else if (kind === 3) {
          k += 2;
        } else {
          [, k] = leb(bytes, k);
        }
      }
    }
    if (s.id === 0) {
      let [len, k] = leb(bytes, s.start);
      if (decoder.decode(bytes.subarray(k, k + len)) !== 'name') continue;
      k += len;
      while (k < s.end) {
        const sub = bytes[k];
        const [size, at] = leb(bytes, k + 1);
        if (sub === 1) {
          let [count, p] = leb(bytes, at);
          for (; count > 0; count--) {
            let idx;
            let n;
            [idx, p] = leb(bytes, p);
            [n, p] = leb(bytes, p);
            names.set(idx, decoder.decode(bytes.subarray(p, p + n)));
            p += n;
          }
        }
        k = at + size;
      }
    }
  }
  const groups = new Map();
  const add = (g, chunk) => {
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(chunk);
  };
  let other = 0;
  for (const s of sections) {
    if (s.id === 10) {
      let [count, k] = leb(bytes, s.start);
      for (let f = 0; f < count; f++) {
        const [size, body] = leb(bytes, k);
        const name = names.get(imported + f) ?? '(unnamed)';
        add(group(name, depth), bytes.subarray(body, body + size));
        k = body + size;
      }
    } else if (s.id === 11) {
      add('data (.rodata: strings, tables)', bytes.subarray(s.start, s.end));
    } else if (s.id !== 0) {
      other += s.end - s.head;
    }
  }
  const total = gzipSync(bytes, { level: 9 }).length;
  const rows = [...groups].map(([g, chunks]) => {
    const buf = Buffer.concat(chunks);
    return { group: g, raw: buf.length, alone: gzipSync(buf, { level: 9 }).length };
  });
  const sumAlone = rows.reduce((n, r) => n + r.alone, 0);
  for (const r of rows) r.gzip = (r.alone / sumAlone) * total;
  rows.sort((a, b) => b.gzip - a.gzip);
  return { rows, total, other };
}
