// Where the time of parseEvent and Template.render goes, stage by stage, in one Node process.
// Not a test and not part of the speed table: each stage is timed alone (median of several
// rounds), so the stages add up to roughly, not exactly, the whole call.
import * as calhook from '../pkg/dist/entries/node.mjs';
import * as wasm from '../pkg/dist/wasm.js';
import { measure } from './lib.mjs';
import { realisticBody } from './event.mjs';
import { templates } from './template.mjs';
import { prune } from '../pkg/dist/projection.js';

const us = (rate) => 1e6 / rate;

async function stages(list) {
  const out = [];
  for (const [name, fn] of list) out.push({ name, us: us(await measure(fn)) });
  return out;
}

function render(title, rows) {
  const lines = rows.map((r) => `| ${r.name} | ${r.us.toFixed(2)} |`);
  return `### ${title}\n\n| stage | µs per call |\n|---|---:|\n${lines.join('\n')}`;
}

export async function run() {
  const body = realisticBody();
  const enc = new TextEncoder();
  const bytes = enc.encode(body);
  const scratch = new Uint8Array(body.length * 3);
  const eventRows = await stages([
    ['parseEvent (whole call)', () => calhook.parseEvent(body)],
    ['JSON.parse(body) (the floor)', () => JSON.parse(body)],
    ['TextEncoder.encode(body)', () => enc.encode(body)],
    ['TextEncoder.encodeInto(body, reused buffer)', () => enc.encodeInto(body, scratch)],
    ['body.isWellFormed()', () => body.isWellFormed()],
    ['wasm validation call (copy in + validate + result out)', () => wasm.parse_event_meta(bytes, '{}')],
  ]);
  const sections = [render(`parseEvent, ${(body.length / 1024).toFixed(1)} KiB BOOKING_CREATED`, eventRows)];
  for (const [name, { source, payload }] of Object.entries(templates)) {
    const data = { ...payload, triggerEvent: 'BOOKING_CREATED', createdAt: '2024-01-15T10:00:00.000Z' };
    const t = calhook.compileTemplate(source);
    const inner = new wasm.WasmTemplate(source, '{}');
    const projection = JSON.parse(inner.projection());
    const visible = projection === null ? data : prune(data, projection);
    const text = JSON.stringify(visible);
    const out = t.render(data);
    sections.push(
      render(`Template.render, ${name} (${text.length} B of data cross, ${out.length} chars out)`, await stages([
        ['Template.render (whole call)', () => t.render(data)],
        ['projection (prune in JS)', () => prune(data, projection)],
        ['JSON.stringify of the projected data', () => JSON.stringify(visible)],
        ['wasm render call (copy in + parse + render + decode)', () => inner.render(text)],
        ['TextEncoder.encode of the data text (copy-in estimate)', () => enc.encode(text)],
        ['TextDecoder of the output (decode estimate)', () => new TextDecoder().decode(enc.encode(out))],
      ])),
    );
  }
  return { title: 'Where the time goes (Node)', body: sections.join('\n\n') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { title, body } = await run();
  console.log(`## ${title}\n\n${body}`);
}
