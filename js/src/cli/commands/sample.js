// `calhook sample`: print a realistic event body for a trigger.
import { samplePayload } from 'calhook';

export const spec = { options: { pretty: { type: 'boolean' } }, positionals: { min: 1, max: 1 }, positionalName: 'TRIGGER' };

export const help = `Usage: calhook sample <TRIGGER> [--pretty]

Print a realistic event body for TRIGGER, { triggerEvent, createdAt, payload }, exactly as
Cal.com's default body serializes it (compact, keys in its order). Piped or redirected, no
newline is added, so the bytes are the body a signature covers; --pretty indents it.

Options:
  --pretty     indent the JSON (no longer the bytes Cal.com sends)
  -h, --help   show this help

Exit status: 0, or 2 for an unknown trigger or a usage error.

Example:
  calhook sample BOOKING_CANCELLED > body.json`;

export async function run({ options, positionals }, { stdout }) {
  const event = samplePayload(positionals[0]);
  const body = { triggerEvent: event.triggerEvent, createdAt: event.createdAt, payload: event.payload };
  const text = options.pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
  stdout.write(options.pretty || stdout.isTTY ? `${text}\n` : text);
  return 0;
}
