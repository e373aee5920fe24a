// Runs one compiled README block (argv[2]) with the fixtures. A block that exports a Fetch
// handler (`default.fetch`) or a route handler (`POST`) is called with a signed request (must
// answer 200) and an unsigned one (must answer 401).
import { BODY, SECRET, SIGNATURE } from './readme-setup.mjs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const mod = await import(pathToFileURL(resolve(process.argv[2])).href);
const handler = typeof mod.default?.fetch === 'function' ? (r) => mod.default.fetch(r, { CAL_WEBHOOK_SECRET: SECRET }) : mod.POST;
const report = { ran: true, handler: Boolean(handler) };
if (handler) {
  const request = (headers) => new Request('http://127.0.0.1/webhooks/cal', { method: 'POST', body: BODY, headers });
  report.signed = (await handler(request({ 'x-cal-signature-256': SIGNATURE }))).status;
  report.unsigned = (await handler(request({}))).status;
}
process.stdout.write(`\n${JSON.stringify(report)}\n`);
