// What the main entry's wasm is made of, measured on the built package: the files it ships
// (scripts/wasm-split.mjs: the hot core calhook_bg.wasm, calhook_tools.wasm loaded on first use
// of a tool, and calhook_full.wasm for browser apps that use the tools, `ready({ tools: true })`),
// what the hot core is made of by Rust module (scripts/wasm-parts.mjs, on the hot build's
// wasm-bindgen output in target/wasm-bindgen/hot optimised with names kept), and what each group
// of cold exports costs in one unsplit wasm (the export removed from a copy of the unoptimised
// wasm-bindgen output in target/wasm-bindgen, then wasm-opt -O3 as the build does, so all code
// only that group reaches is dropped; its data stays, which is why the hot core is linked apart).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { exportsOf, withoutExports } from '../scripts/wasm-split.mjs';
import { wasmParts } from '../scripts/wasm-parts.mjs';

const root = new URL('..', import.meta.url).pathname;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;

// Flags as in scripts/build-pkg.mjs (step 3).
const OPT_FLAGS = ['-O3', '--strip-debug', '--strip-producers', '--enable-bulk-memory', '--enable-nontrapping-float-to-int',
  '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];

const GROUPS = [
  ['linter (`lintTemplate`, `applyFixes`, `formatDiagnostic`)', ['lint_template', 'format_diagnostic']],
  ['signature diagnosis (`diagnose`)', ['diagnose_bytes']],
  ['event schema, samples, template variables', ['event_json_schema', 'sample_payload', 'template_variables']],
  ['webhook management (validate, request, response, retry)', ['validate_webhook', 'webhook_request', 'parse_webhook_response', 'next_retry_at']],
];

// Stored record of the compiler settings tried (perf-size session, 2026-12-01; speed is the
// median B ÷ A of bench/ab.mjs over 21–31 interleaved rounds, noise about ±5 %).
const STEPS = [
  ['baseline: opt-level 3, fat LTO, wasm-opt -O3', '621.8 KiB', '272.9 KiB', '1.00×'],
  ['wasm-opt -O2 / -Os / -Oz instead of -O3 (same input)', '+1.0 % / −0.1 % / −0.3 %', '+0.4 % / −0.0 % / −0.0 %', 'not measured (no size gain)'],
  ['LLVM `-inline-threshold=100`', '563.8 KiB', '253.8 KiB', 'verify 0.68–0.79×, others ≈ 1.0×: rejected'],
  ['LLVM `-inline-threshold=150`', '576.0 KiB', '257.0 KiB', 'buildDelivery 0.90–0.94× in 3 of 3 runs, others ≈ 1.0×: rejected'],
  ['**LLVM `-inline-threshold=200`** (adopted; with no `{:?}` in the template options)', '607.7 KiB', '267.8 KiB', 'every row 0.97–1.03×'],
  ['opt-level "z" for the whole crate (earlier session)', '—', '193 KiB', '0.6–0.7×: rejected'],
  ['**main wasm split** (size session): calhook_bg.wasm without the tool exports; tools in calhook_tools.wasm (466.5 KiB raw, 209.0 KiB gzipped)', '449.0 KiB', '203.1 KiB',
    'unsplit ÷ split of the same source, two runs (21 and 31 rounds, load 10): verify 1.02× / 0.98×, parseEvent 0.97× / 1.01×, render 1.03× / 1.02× (reference), 0.99× / 0.97× (large), ' +
      'buildDelivery 0.99× / 0.97× (reference), 0.94× / 1.00× (large), within the noise; the same functions, wasm-opt inlines a little more: adopted'],
  ['wasm-opt `-O3 --converge` / `-O4` on the split main wasm', '447.5 / 449.9 KiB', '202.5 / 203.6 KiB', 'not measured (no size gain worth a 2× build)'],
  ['nightly `-Z build-std` with `-C panic=immediate-abort` (rustc 1.97 nightly), split', '428.6 KiB', '193.0 KiB (tools 197.2; unsplit 260.6)',
    'ratios 0.93–1.11× at load 10, not conclusive; not adopted: every build would need a pinned nightly and rust-src, and std compiled from source (9 min here)'],
  // Size session 2 (2026-12-01, the hot core from 476.1 KiB raw / 213.2 KiB gzipped; speed: bench/ab.mjs
  // against the package built at the start of the session, load 7–8, noise ±5 %).
  ['one sort routine on the hot path (duplicate-key columns sorted as `(offset, index)` pairs, the fast scanner\'s type) and `UtcOffsets` a HashMap instead of a BTreeMap (no B-tree insert code and no stable sort to build it)',
    '463.9 KiB', '208.0 KiB', 'measured with the next row'],
  ['**hot core linked apart** (cargo feature `tools` off, so the linker drops the data only the tools reach; before, the tool exports were removed after linking and all the crate\'s strings stayed)',
    '443.0 KiB', '199.8 KiB', 'two runs (21 and 31 rounds): verify 0.98× / 1.00×, parseEvent 1.01× / 1.01×, render 0.98× / 0.95× (reference), 0.98× / 0.99× (large), buildDelivery 1.03× / 0.99× (reference), 1.02× / 1.03× (large): within the noise'],
  ['**ryu-js `small`** (the shortest-double printer computes its powers of five instead of reading 10.7 KiB of tables that do not compress)',
    '434.0 KiB', '190.2 KiB', 'not on any measured path: integers below 2^53 have their own printer and no benchmark input holds another number; ' +
      'a non-integer costs +15 % instructions to print (callgrind, 200,000 doubles: 342 → 395 per number)'],
  ['full module `calhook_full.wasm` (every export, for `ready({ tools: true })`)', '628.4 KiB', '269.7 KiB', 'the same code as the split pair'],
  ['opt-level "s" for the whole crate, hot core (after merging main\'s word crossing: from 438.7 KiB / 192.3 KiB)', '409.7 KiB', '182.1 KiB',
    'one run, 21 rounds, load 8: verify 0.87×, parseEvent 0.99×, render 0.91× (reference), 0.84× (large), buildDelivery 0.96× / 0.98×: rejected (10 KiB for up to 16 % of render)'],
  ['event field descriptions and examples only with the `tools` feature (hot core from 450.5 KiB / 196.3 KiB, hotsize.sh)', '446.7 KiB', '194.1 KiB', 'data only (the shapes keep their layout)'],
  ['event objects for JS from one non-inlined builder (`event::object_of`), eventKey with one SHA-256 helper and a table of booking keys (event_meta 21.5 → 18.0 KB, event_key shim 5.3 → 2.4 KB)', '441.5 KiB', '193.0 KiB',
    'slow paths only; with the next row, one run, 21 rounds: parseEvent 1.00×, verify 0.98×, render 1.01× / 1.04×, buildDelivery 0.96× / 0.98× (noise)'],
  ['event validation: one field loop over slices instead of one per iterator type', '440.8 KiB', '192.9 KiB', 'slow path only (see the row above)'],
  ['numbers: one exact `parse_f64` (src/json/number.rs: Clinger, 128-bit, big-integer division) for every decimal the hot core reads, instead of core\'s dec2flt (10.4 KB POWER_OF_FIVE table, `<f64 as FromStr>`, lemire, decimal_seq) (hot core from 440.8 KiB / 192.9 KiB, hotsize.sh)', '431.2 KiB', '182.1 KiB',
    'before merging main, 21 rounds, load ~7: verify 1.02×, parseEvent 0.99×, render 1.0× / 1.05×, buildDelivery 1.03× / 0.99× (noise: short integers never reach it)'],
  ['JSON objects\' array-index keys in a `RunMap` (sorted runs merged as a binary counter, src/json/runs.rs) instead of a `BTreeMap<u32, _>`', '425.8 KiB', '180.6 KiB', 'with the row above and main\'s parse steps vs main at 480fd39, 21 rounds, load ~7: verify 1.02×, parseEvent 1.04×, render 0.97× / 1.00×, buildDelivery 0.99× / 1.08× (noise)'],
  // render (2026-12-01, template engine; hot core from 450.5 KiB / 196.3 KiB, hotsize.sh, before merging main)
  ['template parser: expected terminals as a bit set printed in jison\'s order (no `Vec<&str>` or string compares on error paths); lexer lookaheads through one out-of-line `first_is` / `space_len` / `id_len`', '445.8 KiB', '194.1 KiB',
    'compile path only (buildDelivery caches compiled templates); measured with the rows below'],
  ['template tokens as ranges of the source instead of one `String` each (tokens `Copy`)', '445.8 KiB', '194.3 KiB', 'no size gain: rejected'],
  ['template errors built in cold functions (render step limit, nesting and partial limits, missing partial) instead of inline in the walk; jison\'s `showPosition` in one pass', '445.4 KiB', '193.9 KiB', 'measured with the next row'],
  ['lexer: one out-of-line token push and state push; the JS-index hint reads the name before `[` with the lexer\'s `is_id_char` (no Unicode alphanumeric tables in the hot core)', '442.0 KiB', '191.9 KiB',
    'rows above and this one together, callgrind (instructions, base → this): render large −1.1 %, render_words / render_json ±0.0 %, compile −0.9 %; bench_delivery: build_delivery_prepared −0.2 %, with_offsets −0.8 %; bench/ab.mjs (21 rounds, load 9–11, ±50 % spread) medians 0.86–1.12×: noise'],
  // parse, continued (event side; sizes are hotsize.sh before merging main's numbers and render steps)
  ['event validation issues pushed by two non-inlined helpers (check_value 4.4 → 2.4 KB), one copy of the issue cloning, pointer paths unescaped in one pass', '439.8 KiB', '192.7 KiB', 'slow path only'],
  ['fast path: `string_text` returns the string (non-generic) instead of `with_string` monomorphised per caller', '439.3 KiB', '192.5 KiB',
    'callgrind bench_event (BOOKING_CREATED, 2,200 calls): 51,071,402 → 51,071,277 instructions; ab 21 rounds: parseEvent 1.02×, others 0.96–1.04× (noise)'],
  ['(rejected) `with_string` with a `dyn FnMut` callback', '439.5 KiB', '192.5 KiB', 'callgrind +0.19 % instructions on bench_event (+43 per call): replaced by the row above'],
  ['(rejected) one STALE/FUTURE_EVENT message builder in check_window', '−0.2 KiB', '+0.1 KiB', 'gzip grows: not adopted'],
  // Delivery session (2026-12-01; hotsize.sh from 450.5 KiB / 196.3 KiB, each row alone on that base).
  ['`utc_offset_at`: the zones in two tables of space-separated names instead of a `match` on strings (7.6 → 2.3 KB)', '447.7 KiB', '195.2 KiB',
    'not on a measured path (the JS layer passes every zone\'s offset; the native benches too)'],
  ['buildDelivery: its request JSON written straight instead of built as a `Value` (`deliver` 9.1 → 8.3 KB)', '446.9 KiB', '195.0 KiB', 'once per delivery: see the row below'],
  ['JS of the verify-only browser bundle (esbuild, bench/startup.mjs): no glue namespace passed whole, module-level calls `@__PURE__`, no `Symbol.dispose` aliases in the glue (the wasm is unchanged)',
    'JS 59.5 → 21.7 KB', 'JS 16.6 → 6.5 KiB', 'no change on the call paths (the same functions; the instance runner gets three glue functions instead of the namespace)'],
  ['digests printed from a table of hex digits instead of `hex::encode` (no `String: FromIterator<char>`), one out-of-line error for template data that is not JSON (after merging main: from 437.2 KiB / 191.0 KiB)',
    '436.6 KiB', '190.8 KiB', 'base (480fd39) → this branch merged with main, bench/ab.mjs, 15 rounds, load ~10 (ranges 0.4–7×, noise): verify 0.98×, parseEvent 1.04×, render 0.86× / 0.97× (not on this row\'s path), buildDelivery 0.90× / 1.00×; again, 21 rounds (ranges 0.5–3×): verify 1.01×, parseEvent 0.97×, render 1.08× / 1.00×, buildDelivery 1.11× / 1.10×; the rows above, 21 rounds before merging main: verify 1.06×, parseEvent 0.96×, render 1.02× / 1.01×, buildDelivery 1.12× / 1.04×'],
  ['(rejected, not built) `UtcOffsets` a sorted `Vec` instead of a `HashMap` (one hash table instance less, ≈ 2.5 KB)', '—', '—',
    'inserting in order is quadratic for a hostile payload with many distinct zones, and sorting after collecting adds a sort instance as large as the hash table code'],
  ['(rejected) Cal.com\'s `&quot;` replacement by a scan for `&` instead of `str::contains` + `str::replace` (after merging main: from 411.3 KiB / 173.3 KiB)', '411.8 KiB', '173.5 KiB',
    'larger while the template compiler and parser still use `str::replace` and the `&str` searcher (StrSearcher 1.4 KB + 0.5 KB); worth redoing once they do not'],
  ['lexer slices through one out-of-line `from` / `until` (no panic path per slice); one cold error for the partial argument count (after merging main: from 417.6 KiB / 176.1 KiB)', '416.9 KiB', '176.0 KiB',
    'compile path only; callgrind compile large: see the report'],
  ['event validation messages without `format!` (quoted_list, preview, join_path write one String) (after merging main: from 416.1 KiB / 175.6 KiB)', '416.0 KiB', '175.3 KiB',
    'slow path only; whole main + this vs 480fd39, 21 rounds: parseEvent 1.01×, verify 1.00×, render 0.99× / 1.03×, buildDelivery 0.94× / 0.97× (noise, load ~7)'],
  ['(rejected) path segments before `preparePath` as part + bracket flag + separator `char` instead of three strings (after merging main: from 411.3 KiB / 173.3 KiB)', '411.4 KiB', '173.3 KiB', 'no size gain (+110 B raw): not adopted'],
  ['template projection children in a `RunMap` (public `calhook::json::RunMap`, the BTreeMap methods projection and delivery use) instead of a `BTreeMap<String, Reads>`: no BTreeMap left in the hot core (hot core from 425.8 KiB / 180.6 KiB)', '416.5 KiB', '176.8 KiB',
    'compile-time only (projections are cached per template in JS); isolated A/B, 41 rounds: verify 1.00×, parseEvent 0.99×, render 0.97× / 1.01×, buildDelivery 1.00× / 1.01× (noise)'],
  ['`RunMap`: up to 32 entries stay one run, inserted in place (no allocation per insert); after merging main\'s render and parse steps', '407.3 KiB', '172.0 KiB',
    'whole build vs main at 480fd39, 41 rounds: verify 1.01×, parseEvent 1.02×, render 1.01× / 1.03×, buildDelivery 1.00× / 1.05×'],
  ['round 2, delivery: a template/delivery error\'s `detail` (`{"span":{…}}`) written straight from one scan of the template (no `SourceIndex`, no value tree and stringify); spans unchanged (tests/js/delivery-error-spans.test.mjs) (hot core from 402.4 KiB / 169.6 KiB at 4b7f2f1)', '402.0 KiB → 401.4 KiB', '169.6 KiB → 169.4 KiB',
    'error path only (not on a render or delivery that succeeds)'],
  ['round 2, delivery: the delivery request\'s seven string members through one out-of-line lookup (`request_text`), not seven inlined copies', '400.9 KiB', '169.2 KiB', 'one call per member, once per delivery: see the delivery rows below'],
  ['round 2, delivery: one out-of-line UTF-16 count (`utf16_units`) for an error span\'s three offsets', '400.5 KiB', '169.0 KiB', 'error path only'],
  ['event: `date_time_ms` by byte arithmetic (no `str::parse::<i64>`), one out-of-line replay-window message, `eventKey` hashes its parts (no `Event` copy, no trigger lookup): check_window 3.7 → 1.7 KB, event_key shim 2.8 → 2.3 KB (hot core from 402.4 KiB / 169.6 KiB)', '399.7 KiB', '168.6 KiB',
    'fast path untouched; whole build vs 480fd39, 11 rounds under load: parseEvent 0.98× (0.82–1.81), verify 1.00×, render 1.02× / 1.00×, buildDelivery 0.98× / 1.05× (noise)'],
  ['round 2: `Value` drop looks for nested children without `RunMap::iter`\'s key-order merge (`RunMap::values`), `Object::get`/`contains_key` parse the key as an array index only when the object has index keys (fixes the RunMap regression; from 402.4 KiB / 169.6 KiB)', '402.2 KiB', '169.5 KiB',
    'callgrind: bench_template render large (50 iterations) 106.9M → 100.7M instructions (−5.7 %), bench_delivery parse stage (200) 77.5M → 72.4M (−6.7 %)'],
  ['(rejected) event parse cold paths: one out-of-line `owned` for every `to_string`, `sentence` for the three `format!("{prefix}{detail}.")` JSON error messages, one `truncate_issues` (from 402.4 KiB / 169.6 KiB, before merging main)', '399.6 KiB', '168.6 KiB',
    '−81 B raw, +40 B gz: wasm-opt inlines `owned` back into every caller, the code moves out of event_meta (17.8 → 17.2 KB) into the helpers; not adopted'],
  ['event: `pointer_to_path` unescapes `~0`/`~1` by bytes (no char decoding/encoding on the duplicate-key path; after merging main: from 399.5 KiB / 168.4 KiB)', '399.2 KiB', '168.3 KiB',
    'duplicate-key error path only (not on the parseEvent fast path)'],
  ['round 2, delivery: the data layout and payload preparation insert through one out-of-line `put` / `string` (the generic `Object::insert` and its `Rc<str>` allocation were inlined at nine sites)', '400.5 → 399.0 KiB', '169.0 → 168.5 KiB',
    'whole build (with main at fcaab24 merged: hot core 396.1 KiB / 167.3 KiB) vs /tmp/base-pkg, 21 rounds under load: verify 1.03×, parseEvent 1.00×, render 1.03× / 1.01×, buildDelivery 1.01× / 1.06×'],
  ['round 2: one small heapsort `json::sort_pairs` for `(u64, u32)` pairs (the event scanner\'s key hashes when an object has > 128 keys or colliding hashes, the duplicate-key report) instead of core\'s `sort_unstable` (ipnsort 0.5 KB + quicksort 3.7 KB + sort8_stable 1.5 KB + insertion sort/median); still O(n log n) worst case', '396.7 KiB', '167.5 KiB',
    'the sort runs only on those rare paths (not in bench_event\'s payloads); checked against `sort_unstable` on 2,000 random vectors'],
  ['no `str` slicing panics, `StrSearcher` or `str::replace` left in the hot core: the lexer, parser hints and Cal.com\'s `&quot;` replacement scan bytes (`find_ascii`), `yy.id` strips with `strip_prefix`, whitespace checks use `get`; `Parser::skip` for discarded tokens. Drops `slice_error_fail`, `char`/`Range` Debug, two-way search (hot core from 402.4 KiB / 169.6 KiB)', '394.1 KiB', '165.2 KiB',
    'callgrind (instructions, base 4b7f2f1 → this): bench_template −0.7 %, bench_delivery −1.8 %'],
  ['(rejected) `array_index` by a digit fold instead of `str::parse::<u64>` (after merging main: from 385.6 KiB / 161.7 KiB)', '386.4 KiB', '161.8 KiB', '+843 B raw: `u64::from_str` stays for other callers, the fold is unrolled; not adopted'],
  ['(rejected) `RunMap` merge by `Peekable::next_if` over one run instead of peeking both (from 385.6 KiB / 161.7 KiB)', '386.7 KiB', '161.9 KiB', '+1.1 KB raw: not adopted'],
  // delivery (2026-12-02)
  ['(replaced by the next row) no hash table in the hot core: `Object`\'s key index (past 16 named keys), `UtcOffsets`, `Template::variables`\' seen set and the event field-table cache as `RunMap`s (hot core from 381.9 KiB / 160.4 KiB, main bff5941)', '377.6 KiB', '159.1 KiB',
    'callgrind (instructions, base → this): bench_delivery parse of the 36-key BOOKING_CREATED payload +2.1 %, tree path +0.6 % (the index built by two binary searches per key and runs of 32 merged): replaced'],
  ['**no hash table in the hot core** (hashbrown, SipHash and std\'s address-seeded `RandomState` gone: on wasm32-unknown-unknown its keys are a stack and a heap address, so a payload\'s keys could be crafted to collide): the four tables as `RunMap`s, `RunMap::get_or_insert` (one search finds or adds a key), up to 64 entries one run', '378.3 KiB', '159.3 KiB',
    'callgrind (instructions, base → this): bench_template booking −0.7 %, with the 36-key payload −0.7 %; bench_delivery parse −13.1 % (booking) / −7.2 % (36 keys), body +0.0 % / −0.4 %, tree −1.5 % / −6.2 %; bench_event −2.2 %. bench/ab.mjs vs main at bff5941, load 7–11, 21 / 21 / 41 rounds: verify 1.00× / 0.99× / 1.00×, parseEvent 0.97× / 1.03× / 1.01×, render 0.99× / 0.97× / 1.01× (reference), 1.03× / 0.96× / 1.02× (large), buildDelivery 1.05× / 0.99× / 1.01× (reference), 0.92× / 1.01× / 1.01× (large): noise'],
  ['`Template::variables`\' seen set keyed by `Rc<str>` and filled by `get_or_insert` (the instance JSON objects\' key index already has) instead of a `RunMap<&str, ()>` of its own; the field-table cache adds with `insert_new` (the key was just looked up)', '376.3 KiB', '158.4 KiB',
    'lookups unchanged (variables is not on a measured path; a field table is added once per list); whole build vs main at bff5941, 21 rounds, load ~10: verify 0.99×, parseEvent 1.03×, render 1.02× / 0.98×, buildDelivery 1.04× / 1.07× (noise)'],
  // lead (2026-12-02)
  ['wasm-opt `--low-memory-unused` (main, tools and full modules; from 381.9 KiB / 160.4 KiB at bff5941, hotsize.sh): `ptr + constant` folded into load/store offsets, safe because rustc\'s wasm32 layout leaves the low 1 KiB to the bottom of the 1 MiB stack', '378.2 KiB', '159.5 KiB',
    'bench/ab.mjs vs bff5941, 15 rounds, load ~9 (ranges 0.3–2.7×): verify 1.01×, parseEvent 1.07×, render 0.98× / 1.07×, buildDelivery 0.99× / 0.98× (noise; the pass removes instructions)'],
  // size (2026-12-02)
  ['the wasm build\'s own global allocator (src/wasm/heap.rs: 40 size classes ≤ 8 KiB with LIFO free lists carved from 64 KiB arenas, the block carved last resized in place; large blocks exact to 16 B, best fit in an address-sorted coalescing list, the block at the top grown in place) instead of std\'s dlmalloc (malloc 4.8 KB, free, memalign, dispose/unlink chunk, __rdl_*: ≈ 8.3 KB raw); its entry points kept out of line (inlined into every drop they cost +2.6 KB) (hot core from 381.9 KiB / 160.4 KiB at bff5941)', '377.5 KiB', '157.5 KiB',
    'callgrind of node running the wasm (node --single-threaded, 300 calls minus a run of 0, whole process, one run each): buildDelivery large 1,117.8M → 1,133.7M instructions (+1.4 %), reference 654.0M → 645.2M (−1.3 %), Template.render large 401.0M → 397.8M (−0.8 %), parseEvent 3 KiB 193.0M → 199.8M (+3.5 %), startup runs vary by ±10M, so within noise; ab.mjs 21 rounds under load 7–10: all rows 0.96–1.09× (noise, ranges 0.4–3.6); wasm memory after big calls (bench/memory.mjs) equal or lower: render large 16,000 attendees 16.9 → 14.8 MiB, buildDelivery large 4,000 attendees 5.3 → 4.6 MiB, a 30 MiB string 31.2 = 31.2 MiB; largest string parseEvent without an instance reset 62 MiB both'],
  ['wasm-opt `-O3` run twice (the second round finds what the first one\'s inlining exposed; on the hotsize build: one round 385,226 B / 162,267 B gzipped, two 383,800 / 161,218, three 383,794 / 161,100, `--converge` the same as three, `-Oz` after `-O3` 161,215)', '373.9 KiB (package, main at aa133cb merged)', '157.8 KiB (package gzip)',
    'bench/ab.mjs vs bff5941 (with main\'s hash-table step), 15 rounds, load ~11: verify 1.01×, parseEvent 1.00×, render 0.99× / 1.00×, buildDelivery 1.02× / 0.97× (noise); build time +20 s per module when idle'],
  // render (2026-12-02)
  ['template parser and renderer pass errors as `Box<TemplateError>` (a `Result` one word wide: every `?` of the recursive walks moves a pointer, not the 40-byte error; unboxed once at `compile` / `render`) (hot core from 381.9 KiB / 160.4 KiB at bff5941, hotsize.sh)', '372.9 KiB', '157.3 KiB',
    'callgrind (instructions, bff5941 → this): bench_template render large −1.3 %, render pretty −1.3 %, render_words ±0.0 %, compile large −0.1 %; bench_delivery (LARGE template, 200 calls) body ±0.0 %, tree −0.5 %; bench/ab.mjs 21 rounds at load 5–6 (ranges 0.2–8×, noise): verify 1.00×, parseEvent 0.96×, render 0.99× / 0.97×, buildDelivery 0.97× / 0.90×'],
  ['template: array lookups read the index once (`json::array_index`: no second `usize` parse in `lookup_property`, `resolve_ref` and the direct renderer\'s parts); jison\'s `showPosition` counted on UTF-8 bytes, no character decoding (show_position 2.8 → 1.8 KB, lookup_property 3.8 → 2.8 KB)', '370.0 KiB', '156.1 KiB',
    'callgrind (bff5941 → this and the row above): render large −1.3 %, render pretty −1.3 %, render small −0.7 %, render_words ±0.0 %, compile large −0.1 %; bench_delivery body ±0.0 %, tree −0.5 %; error messages equal on 6,000 random broken templates (both dialects, base vs this package)'],
  ['(rejected) parser tokens consumed as `Copy` positions (kind, range, index) with the text borrowed from or moved out of the token list, instead of a cloned `Token` per `advance`', '370.0 KiB', '156.1 KiB', '+18 B raw, +11 B gz: no gain, as the tokens-as-ranges row above; not adopted'],
  ['(rejected) `Statement::Mustache` / `Statement::Partial` boxed (statements 216 → 88 bytes native)', '370.1 KiB', '156.1 KiB', '+57 B raw, −31 B gz, one more indirection per mustache on the render path: not adopted'],
  ['(not adopted) the renderer\'s spans passed as `&Span` instead of by value (no 16-byte copy per call of the output and error functions)', '369.5 KiB', '156.0 KiB',
    '−478 B raw, −113 B gz: too little for another full test run before the deadline; worth redoing with the parser\'s spans'],
  // parse (2026-12-02)
  ['event side, round 1: parseEvent\'s slow-path results (the event, `{known, shape, warnings}`, an error\'s `detail`) written as JSON text by `event::write::Members` instead of built as `Value` trees and stringified (`to_value` unchanged; tests/event_text.rs: equal to `stringify(to_value())` on fixtures and hostile bodies) (hot core from 381.9 KiB / 160.4 KiB at bff5941, hotsize.sh; event_meta 17.7 → 15.5 KB)', '380.5 KiB', '159.7 KiB', 'slow and error paths only (the fast answer is the same text)'],
  ['event_from_value: one set of checks (trigger, createdAt, payload) for every layout instead of the flat path\'s beside an inlined `validate_event`; trigger/createdAt copied once; the JSON error messages from one `format!` site (event_meta 15.5 → 15.1 KB)', '379.9 KiB', '159.4 KiB', 'slow path only'],
  ['(superseded in the merge) fast path field tables: one small open-addressing cache (`fields::Cache`) instead of a `HashMap` instance of their own; one non-generic lookup for shapes and object types, the miss out of line, the thread-local const-initialised', '378.4 KiB', '159.0 KiB',
    'callgrind bench_event (FAST_ONLY, BOOKING_CREATED, 2,200 calls): 51,007,312 → 50,997,821 instructions (with the miss inlined into the lookup: 51,017,753, +0.02 %: rejected, then split). Main\'s `RunMap` cache (delivery, same day) replaced the HashMap meanwhile and is kept in the merge: the non-generic lookup over the RunMap cost +49K instructions vs main\'s inlined one (the Cache lookup was −107K vs the RunMap\'s: worth a measured follow-up)'],
  ['join_path by bytes (no char decoding/encoding; checked against the rule by characters for every character up to U+0800), `Ty::describe` into one string (one allocation instead of one per part), fast `duplicates` without its quadratic branch (the sort handles every hash collision)', '377.4 KiB', '158.6 KiB',
    'callgrind bench_event: 50,980,220 instructions (base 51,007,312)'],
  // lead (2026-12-02), continued
  ['one SHA-256/HMAC module (src/signature/sha256.rs) for the core and the signature-only wasm: the `hmac` crate and `sha2`\'s `Digest`/block-buffer machinery out of the main wasm, only `sha2::compress256` kept (package, main at bb6a3af: 369.2 KiB / 154.9 KiB)', '366.3 KiB', '154.1 KiB',
    'bench/ab.mjs-style verify A/B against the same main, 31 rounds × 3, load 7–9: 256 B 1.006× / 1.001× / 1.027×; callgrind natively (x86, sha2 force-soft): 256 B MAC +0.75 % instructions, empty body −0.6 %'],
  ['(rejected) the main build\'s compression as 4 passes of 16 unrolled rounds (−2.9 KB gz) or 8 passes of 8 rounds over a precomputed schedule (−2.8 KB gz) instead of sha2\'s fully unrolled one', '−8.2 / −8.7 KiB raw', '−2.8 / −2.7 KiB', 'verify 256 B 0.95× (16 rounds; 0.89× before the padding fix) and 0.73× (8 rounds) against sha2\'s: rejected'],
  // 2026-12-02, session 2
  ['tools module: no hash table anywhere in the crate (`lintTemplate`\'s unknown-variable sets and `validateWebhookCreate`\'s trigger set as `RunMap`s; std\'s `RandomState` is address-seeded on wasm32, so a template\'s paths or a request\'s triggers could be chosen to collide; tests/architecture.rs forbids `HashMap`/`HashSet` in src). The main wasm is byte for byte the same (350.4 KiB / 148.5 KiB)', 'tools 406.7 → 403.9 KiB, full 552.8 → 550.0 KiB', 'tools 173.0 → 170.8 KiB, full 235.1 → 233.4 KiB',
    'no hot-core change; the tools paths keep O(log n) per key (tests/complexity.rs: distinct and duplicate triggers)'],
  ['a speed step that costs size: `Verifier.verify` writes body and header once into the reused input buffer (`WasmVerifier::verify_input`; js/src/signature.js `verifyInPlace`, set up by the main entry only) instead of wasm-bindgen\'s allocate, copy and free per argument (from 350.4 KiB / 148.5 KiB)', '350.9 KiB', '148.6 KiB',
    'bench/ab.mjs vs main at 11bb822, 21 rounds: Verifier.verify 256 B 1.12× (0.91–1.78); parseEvent 1.00×, render 1.02× / 0.99×, buildDelivery 0.99× / 1.00× (unchanged paths, noise)'],
];

export async function run() {
  const built = readFileSync(join(root, 'pkg', 'dist', 'calhook_bg.wasm'));
  const tools = readFileSync(join(root, 'pkg', 'dist', 'calhook_tools.wasm'));
  const full = readFileSync(join(root, 'pkg', 'dist', 'calhook_full.wasm'));
  const unopt = join(root, 'target', 'wasm-bindgen', 'calhook_bg.wasm');
  const unoptHot = join(root, 'target', 'wasm-bindgen', 'hot', 'calhook_bg.wasm');
  const wasmOpt = join(root, 'node_modules', 'binaryen', 'bin', 'wasm-opt');
  const lines = [
    `The main entry's wasm (calhook_bg.wasm, the hot core): ${kib(built.length)} raw, **${kib(gz(built))} gzipped** (aim ≤ 150 KiB).`,
    `Its tools module (calhook_tools.wasm: lintTemplate, formatDiagnostic, diagnose, schemas, samples, template variables by trigger, webhook management), ` +
      `fetched in browsers only by \`readyTools()\` and read on first use elsewhere: ${kib(tools.length)} raw, ${kib(gz(tools))} gzipped. ` +
      `A browser app that uses the tools would download both, ${kib(gz(built) + gz(tools))} gzipped; with \`ready({ tools: true })\` it downloads ` +
      `calhook_full.wasm alone (every export, one instance; what the playground loads): ${kib(full.length)} raw, **${kib(gz(full))} gzipped**.`,
    '',
  ];
  const dir = mkdtempSync(join(tmpdir(), 'calhook-size-'));
  const optimise = (bytes, flags = OPT_FLAGS) => {
    const input = join(dir, 'in.wasm');
    const output = join(dir, 'out.wasm');
    writeFileSync(input, bytes);
    execFileSync(wasmOpt, [...flags, input, '-o', output]);
    return readFileSync(output);
  };
  try {
    if (existsSync(unoptHot) && existsSync(wasmOpt)) {
      // The same optimisation with names kept (-g instead of --strip-debug), grouped by module;
      // shares of the shipped file's gzipped size.
      const named = optimise(readFileSync(unoptHot), OPT_FLAGS.map((f) => (f === '--strip-debug' ? '-g' : f)));
      const { rows } = wasmParts(named, { depth: 1 });
      const total = gz(built);
      const scale = total / rows.reduce((n, r) => n + r.gzip, 0);
      lines.push('What the hot core is made of, by module (code of the functions named after it; `data`: the strings and tables of every module, ' +
        'which the linker keeps whole once anything uses them); gzipped share estimated by compressing each group alone and scaling to the file:', '');
      lines.push('| part | raw | gzipped (est.) | share |', '|---|---:|---:|---:|');
      let shown = 0;
      for (const r of rows) {
        if (r.gzip * scale < 1024) continue;
        shown += r.gzip * scale;
        lines.push(`| ${r.group} | ${kib(r.raw)} | ${kib(r.gzip * scale)} | ${((100 * r.gzip * scale) / total).toFixed(1)} % |`);
      }
      lines.push(`| the rest (each under 1 KiB) | | ${kib(total - shown)} | ${((100 * (total - shown)) / total).toFixed(1)} % |`, '');
    }
    if (existsSync(unopt) && existsSync(wasmOpt)) {
      const source = readFileSync(unopt);
      const names = exportsOf(source);
      const sizeWithout = (drop) => {
        for (const name of drop) if (!names.includes(name)) throw new Error(`export ${name} not in the wasm: update bench/size.mjs`);
        const out = optimise(withoutExports(source, drop));
        return { raw: out.length, gz: gz(out) };
      };
      lines.push('What each group of tool exports costs in one unsplit wasm (exports removed after linking: their code goes, their data stays):', '');
      const whole = sizeWithout([]);
      lines.push('| without | wasm raw | gzipped | saved (gzipped) |', '|---|---:|---:|---:|');
      lines.push(`| nothing (rebuilt here) | ${kib(whole.raw)} | ${kib(whole.gz)} | |`);
      const all = [];
      for (const [label, drop] of GROUPS) {
        const s = sizeWithout(drop);
        all.push(...drop);
        lines.push(`| ${label} | ${kib(s.raw)} | ${kib(s.gz)} | ${kib(whole.gz - s.gz)} |`);
      }
      const s = sizeWithout(all);
      lines.push(`| all four groups | ${kib(s.raw)} | ${kib(s.gz)} | ${kib(whole.gz - s.gz)} |`);
      lines.push(`| all four, linked without them (= calhook_bg.wasm) | ${kib(built.length)} | ${kib(gz(built))} | ${kib(whole.gz - gz(built))} |`);
      lines.push('', 'Groups share code (the template parser, JSON, fmt), so the savings do not add up.');
    } else {
      lines.push('(target/wasm-bindgen or wasm-opt missing: run `make build` for the breakdown.)');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  lines.push('', '### Compiler settings and cuts tried (recorded)', '', '| setting | wasm raw | gzipped | speed vs baseline (B ÷ A) |', '|---|---:|---:|---|');
  for (const row of STEPS) lines.push(`| ${row.join(' | ')} |`);
  return { title: 'Size: what the main wasm is made of', body: lines.join('\n') };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).body);
