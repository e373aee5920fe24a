// `calhook listen`: a local receiver on 127.0.0.1 that verifies and prints every delivery.
import { createServer } from 'node:http';
import { check, diagnose, errorResponse, safeParseEvent, CalhookError } from 'calhook';
import { UsageError } from '../args.js';
import { printable } from '../style.js';

export const spec = {
  options: { port: { type: 'number' }, secret: { type: 'string', multiple: true }, json: { type: 'boolean' }, 'max-bytes': { type: 'number' } },
  positionals: { max: 0 },
};

export const help = `Usage: calhook listen --port <P> --secret <S> [--json]

Receive webhooks on http://127.0.0.1:P (any path), for a dev Cal.com instance or
\`calhook trigger\`. Each delivery is verified and printed: the trigger, the verdict, the body;
when the signature fails, the reason and calhook's diagnosis. It answers like a receiver
built with calhook: 200 for a valid event, else errorResponse's 400/401/405/413.
Stop it with Ctrl-C (or SIGTERM).

Options:
  --port <P>         the port (0 picks a free one; the address is printed on stderr)
  --secret <S>       the webhook's secret (default: $CAL_WEBHOOK_SECRET); repeat it to accept
                     any of several
  --json             print one JSON object per delivery (for scripts)
  --max-bytes <N>    refuse larger bodies with 413 (default 4194304)
  -h, --help         show this help

Exit status: 0 when stopped by a signal, 1 when the port cannot be used, 2 for a usage error.`;

export async function run({ options }, ctx) {
  const secrets = options.secret ?? (ctx.env.CAL_WEBHOOK_SECRET ? [ctx.env.CAL_WEBHOOK_SECRET] : []);
  if (secrets.length === 0) throw new UsageError('--secret is required (or set CAL_WEBHOOK_SECRET)');
  if (options.port === undefined) throw new UsageError('--port is required (0 picks a free port)');
  if (options.port > 65535) throw new UsageError('--port must be at most 65535');
  const maxBytes = options['max-bytes'] ?? 4 * 1024 * 1024;
  const server = createServer((req, res) => {
    receive(req, res, { secrets, maxBytes, json: Boolean(options.json) }, ctx).catch((e) => {
      ctx.err(`calhook listen: ${e.message}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const listening = await new Promise((resolve) => {
    server.once('error', (e) => resolve(e));
    server.listen(options.port, '127.0.0.1', () => resolve(null));
  });
  if (listening) {
    ctx.err(`calhook listen: cannot listen on 127.0.0.1:${options.port}: ${listening.code ?? listening.message}`);
    return 1;
  }
  const { port } = server.address();
  ctx.err(`calhook listen: listening on http://127.0.0.1:${port}/ (Ctrl-C to stop)`);
  await new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(resolve);
      server.closeAllConnections?.();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

async function receive(req, res, { secrets, maxBytes, json }, ctx) {
  const record = { time: new Date().toISOString(), method: req.method, path: req.url, contentType: req.headers['content-type'] ?? null };
  let error = null;
  let body = Buffer.alloc(0);
  if (req.method !== 'POST') {
    error = new CalhookError('METHOD_NOT_ALLOWED', 'Cal.com webhooks are POST requests.');
    req.resume();
  } else {
    body = await readBody(req, maxBytes);
    if (body === null) error = new CalhookError('BODY_TOO_LARGE', `The body is larger than ${maxBytes} bytes.`);
  }
  if (!error) {
    const header = req.headers['x-cal-signature-256'];
    record.bytes = body.length;
    record.signature = header ?? null;
    const result = check(body, header, secrets);
    record.verdict = result.code;
    if (!result.ok) {
      error = new CalhookError(result.code, result.message);
      if (header !== undefined) record.diagnosis = diagnoseAll(body, header, secrets);
    } else {
      const parsed = safeParseEvent(body);
      if (parsed.ok) Object.assign(record, { triggerEvent: parsed.event.triggerEvent, createdAt: parsed.event.createdAt, known: parsed.event.known });
      else error = parsed.error;
    }
    record.body = body.toString('utf8');
  }
  const response = error ? errorResponse(error) : new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
  record.status = response.status;
  if (error) record.error = { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) };
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(await response.text());
  ctx.out(json ? JSON.stringify(record) : describe(record, ctx.paint));
}

function diagnoseAll(body, header, secrets) {
  const seen = new Map();
  for (const s of secrets) for (const f of diagnose(body, header, s)) if (!seen.has(f.code)) seen.set(f.code, f);
  return [...seen.values()];
}

// The body, or null past maxBytes (the rest is drained so the 413 reaches the client).
async function readBody(req, maxBytes) {
  const chunks = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > maxBytes) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? null : Buffer.concat(chunks);
}

// The body shown in the terminal: pretty JSON when it is JSON, else the text, up to 64 KiB.
function bodyText(body) {
  if (!body) return '';
  let text = body;
  try {
    text = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // Not JSON (a form-urlencoded template): shown as sent.
  }
  return printable(text.length > 65536 ? `${text.slice(0, 65536)}… (${text.length} characters)` : text);
}

function describe(r, paint) {
  const ok = r.status >= 200 && r.status < 300;
  const what = r.triggerEvent ? paint.bold(printable(r.triggerEvent)) : '';
  const lines = [`${paint.dim(r.time)} ${r.method} ${printable(r.path)} ${what} → ${ok ? paint.green(r.status) : paint.red(r.status)}`];
  if (r.verdict === 'OK') lines.push(`  ${paint.green('✓ signature valid')} (${r.bytes} bytes, ${printable(r.contentType ?? 'no content type')})`);
  if (r.error) lines.push(`  ${paint.red('✗')} ${paint.bold(r.error.code)}: ${r.error.message}`);
  for (const issue of r.error?.issues ?? []) lines.push(`    ${printable(issue.path)}: ${printable(issue.message)}`);
  for (const f of r.diagnosis ?? []) lines.push(`  ${paint.yellow('•')} ${paint.bold(f.code)}: ${f.message}`);
  const text = bodyText(r.body);
  if (text) lines.push(text.replace(/^/gm, '  '));
  return lines.join('\n');
}
