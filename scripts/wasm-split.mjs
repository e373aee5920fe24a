// The main entry ships three wasm files: `calhook_bg.wasm`, the hot core every app loads
// (signatures, events, templates, deliveries), `calhook_tools.wasm`, the cold tools loaded on
// first use (linter, diagnosis, schemas and samples, webhook management), and
// `calhook_full.wasm`, both in one (browsers, `ready({ tools: true })`). The tools module is the
// wasm-bindgen output with the hot exports removed, then optimised, so wasm-opt drops the code
// only those exports reach. The hot core is linked apart, without the cargo feature `tools`
// (the exports below), so that the linker drops the data only the tools use as well; wasm-opt
// cannot drop data. Used by scripts/build-pkg.mjs and bench/size.mjs.

/** The exports of the tools module (called through js/src/tools.js). Everything else is hot. */
export const TOOL_EXPORTS = [
  'lint_template',
  'format_diagnostic',
  'diagnose_bytes',
  'event_json_schema',
  'sample_payload',
  'template_variables',
  'validate_webhook',
  'webhook_request',
  'parse_webhook_response',
  'next_retry_at',
];

/** wasm-bindgen's own exports (memory, allocator, externref table, start): both modules keep them. */
export function isRuntimeExport(name) {
  return name === 'memory' || (name.startsWith('__') && !name.startsWith('__wbg_'));
}

export function exportsOf(bytes) {
  return WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
}

/**
 * Check that the hot core built without the `tools` feature (`hot`) is the full build (`full`)
 * without exactly the tool exports, and imports nothing the full build does not: it runs on the
 * full build's glue. Throws otherwise.
 */
export function checkHotExports(full, hot) {
  const list = (bytes, kind) => WebAssembly.Module[kind](new WebAssembly.Module(bytes)).map((e) => `${e.module ?? ''}/${e.name}:${e.kind}`);
  const want = list(full, 'exports').filter((e) => !TOOL_EXPORTS.includes(e.slice(1, e.lastIndexOf(':'))));
  const got = list(hot, 'exports');
  const missing = want.filter((e) => !got.includes(e));
  const extra = got.filter((e) => !want.includes(e));
  const imports = list(full, 'imports');
  const foreign = list(hot, 'imports').filter((e) => !imports.includes(e));
  if (missing.length || extra.length || foreign.length) {
    throw new Error(`the hot core build does not match the full build: missing exports ${missing.join(', ') || 'none'}, extra exports ${extra.join(', ') || 'none'}, other imports ${foreign.join(', ') || 'none'} (TOOL_EXPORTS and the \`tools\` feature in src/wasm must list the same functions)`);
  }
}

/** The export names to drop for each module; throws when a tool export is missing. */
export function splitExports(bytes) {
  const names = exportsOf(bytes);
  for (const name of TOOL_EXPORTS) {
    if (!names.includes(name)) throw new Error(`wasm export ${name} not found: update TOOL_EXPORTS in scripts/wasm-split.mjs`);
  }
  return {
    hot: TOOL_EXPORTS,
    tools: names.filter((n) => !isRuntimeExport(n) && !TOOL_EXPORTS.includes(n)),
  };
}

/** An unsigned LEB128 number at `bytes[i]`: `[value, index after it]`. */
export function leb(bytes, i) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[i++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, i];
  }
}

function encodeLeb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** A copy of the module without the exports named in `drop` (export section rewritten). */
export function withoutExports(bytes, drop) {
  const parts = [bytes.subarray(0, 8)];
  const decoder = new TextDecoder();
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i];
    const [size, start] = leb(bytes, i + 1);
    const end = start + size;
    if (id !== 7) {
      parts.push(bytes.subarray(i, end));
    } else {
      let [count, k] = leb(bytes, start);
      const kept = [];
      for (; count > 0; count--) {
        const [len, nameAt] = leb(bytes, k);
        const name = decoder.decode(bytes.subarray(nameAt, nameAt + len));
        const [, next] = leb(bytes, nameAt + len + 1);
        if (!drop.includes(name)) kept.push(bytes.subarray(k, next));
        k = next;
      }
      const body = Buffer.concat([Buffer.from(encodeLeb(kept.length)), ...kept]);
      parts.push(Buffer.from([7, ...encodeLeb(body.length)]), body);
    }
    i = end;
  }
  return Buffer.concat(parts);
}
