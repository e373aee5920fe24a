// A/B of two builds of the package (e.g. two compiler settings): the hot operations of issue 11,
// measured interleaved in one process, ratio per round (B ÷ A in ops per CPU-second, > 1 = B
// faster). Usage: node bench/ab.mjs DIR_A DIR_B   (each a copy of pkg/).
import { createHmac, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuTimePerCall } from './lib.mjs';
import { realisticBody } from './event.mjs';
import { templates } from './template.mjs';

const [dirA, dirB] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error('usage: node bench/ab.mjs DIR_A DIR_B');
const load = (dir) => import(pathToFileURL(join(resolve(dir), 'dist', 'entries', 'node.mjs')).href);
const [A, B] = [await load(dirA), await load(dirB)];
const ROUNDS = Number(process.env.AB_ROUNDS ?? 9);
const SECRET = 'whsec_benchmark_secret_0123456789';

async function compare(name, make) {
  const a = make(A);
  const b = make(B);
  await cpuTimePerCall(a, 100);
  await cpuTimePerCall(b, 100);
  const ratios = [];
  for (let r = 0; r < ROUNDS; r++) {
    const ta = await cpuTimePerCall(a, 40);
    const tb = await cpuTimePerCall(b, 40);
    ratios.push(ta / tb);
  }
  ratios.sort((x, y) => x - y);
  const m = ratios[ratios.length >> 1];
  console.log(`${name}: B/A ${m.toFixed(3)}× (${ratios[0].toFixed(2)}–${ratios.at(-1).toFixed(2)})`);
}

const text256 = `{"payload":"${randomBytes(256).toString('base64').slice(0, 242)}"}`.padEnd(256, ' ');
const hex = createHmac('sha256', SECRET).update(text256).digest('hex');
await compare('Verifier.verify 256 B', (m) => {
  const v = new m.Verifier(SECRET);
  return () => v.verify(text256, hex);
});
const event = realisticBody();
await compare('parseEvent 3 KiB', (m) => () => m.parseEvent(event));
const createdAt = '2024-01-15T10:00:00.000Z';
for (const [name, { source, payload }] of Object.entries(templates)) {
  const data = { ...payload, triggerEvent: 'BOOKING_CREATED', createdAt };
  const input = { triggerEvent: 'BOOKING_CREATED', createdAt, payload, template: source, secret: SECRET };
  const short = name.replace(/ \(.*\)/, '').replace(', 60 attendees', '');
  await compare(`Template.render ${short}`, (m) => {
    const t = m.compileTemplate(source);
    return () => t.render(data);
  });
  await compare(`buildDelivery ${short}`, (m) => () => m.buildDelivery(input));
}
