// `calhook trigger`: send what Cal.com sends for a trigger to a URL and report the response.
import { signedDelivery } from 'calhook/testing';
import { readPayload, readText } from '../io.js';
import { UsageError } from '../args.js';
import { printable } from '../style.js';
import { withTemplate } from '../report.js';

export const spec = {
  options: {
    url: { type: 'string' },
    secret: { type: 'string' },
    template: { type: 'string' },
    payload: { type: 'string' },
    version: { type: 'string' },
    dialect: { type: 'string' },
    repeat: { type: 'number' },
    timeout: { type: 'number' },
  },
  positionals: { min: 1, max: 1 },
  positionalName: 'TRIGGER',
};

export const help = `Usage: calhook trigger <TRIGGER> --url <URL> [options]

Send exactly what Cal.com sends for TRIGGER (method, headers, body, content type, signature)
to URL, then print the status, the time taken and the response body.

Options:
  --url <URL>          where to send it (http or https)
  --secret <S>         the webhook's secret (default: $CAL_WEBHOOK_SECRET; without either the
                       signature header is "no-secret-provided", as Cal.com sends)
  --template <FILE>    the webhook's payloadTemplate
  --payload <FILE|->   the payload, or a whole event body as \`calhook sample\` prints it
                       (default: a realistic sample for TRIGGER)
  --version <V>        send X-Cal-Webhook-Version (the defined value is 2021-10-20)
  --dialect <D>        calcom (default, the real sender) or reference
  --repeat <N>         send N times (default 1)
  --timeout <MS>       give up on a response after MS milliseconds (default 10000)
  -h, --help           show this help

Exit status: 0 when every response is 2xx, 1 otherwise (redirects are not followed: Cal.com
counts a 3xx as a failure), 2 for a usage error.

Example:
  calhook trigger BOOKING_CREATED --url http://127.0.0.1:3000/api/cal --secret whsec`;

export async function run({ options, positionals }, ctx) {
  const [trigger] = positionals;
  if (!options.url) throw new UsageError('--url is required');
  let url;
  try {
    url = new URL(options.url);
  } catch {
    throw new UsageError(`--url is not a URL: ${JSON.stringify(options.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--url must be http: or https:');
  const repeat = options.repeat ?? 1;
  if (repeat < 1) throw new UsageError('--repeat must be at least 1');
  const template = options.template === undefined ? undefined : await readText(options.template, ctx.stdin);
  const given = options.payload === undefined ? {} : await readPayload(options.payload, ctx.stdin);
  const secret = options.secret ?? (ctx.env.CAL_WEBHOOK_SECRET || undefined);
  const { paint, out } = ctx;
  let failures = 0;
  for (let i = 0; i < repeat; i++) {
    const delivery = withTemplate(template, options.template, () =>
      signedDelivery(trigger, { url: url.href, secret, template, payload: given.payload, createdAt: given.createdAt, version: options.version, dialect: options.dialect }),
    );
    const ok = await send(delivery, options.timeout ?? 10000, ctx);
    if (!ok) failures++;
    if (i === 0 && repeat > 1) out(paint.dim(`(${delivery.headers['Content-Type']}, ${Buffer.byteLength(delivery.body)} bytes; sending ${repeat} times)`));
  }
  if (repeat > 1) out(failures === 0 ? paint.green(`${repeat}/${repeat} succeeded`) : paint.red(`${failures}/${repeat} failed`));
  return failures === 0 ? 0 : 1;
}

// Response bodies are printed up to this many bytes.
const MAX_SHOWN = 64 * 1024;

async function send(delivery, timeoutMs, { out, err, paint }) {
  const started = performance.now();
  let response;
  try {
    response = await fetch(delivery.url, {
      method: delivery.method,
      headers: delivery.headers,
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const reason = e.name === 'TimeoutError' ? `no response within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    err(`${paint.red('✗')} POST ${delivery.url} failed: ${reason}`);
    return false;
  }
  const text = await shownBody(response);
  const ms = (performance.now() - started).toFixed(0);
  const ok = response.status >= 200 && response.status < 300;
  const status = `${response.status} ${response.statusText}`.trim();
  out(`${ok ? paint.green('✓') : paint.red('✗')} POST ${delivery.url} → ${ok ? paint.green(status) : paint.red(status)} in ${ms} ms`);
  if (text) out(printable(text));
  return ok;
}

// The response body up to MAX_SHOWN bytes: a receiver answering endlessly cannot fill memory.
async function shownBody(response) {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  let cut = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_SHOWN) {
      cut = true;
      await reader.cancel().catch(() => {});
      break;
    }
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_SHOWN));
  return cut ? `${text}… (cut at ${MAX_SHOWN} bytes)` : text;
}
