// `calhook render`: print the request Cal.com would send with a payload template.
import { buildDelivery, samplePayload } from 'calhook';
import { readPayload, readText } from '../io.js';
import { withTemplate } from '../report.js';
import { printable } from '../style.js';
import { UsageError } from '../args.js';

export const spec = {
  options: {
    trigger: { type: 'string' },
    payload: { type: 'string' },
    secret: { type: 'string' },
    version: { type: 'string' },
    dialect: { type: 'string' },
    'body-only': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  positionalName: 'FILE (the template)',
};

export const help = `Usage: calhook render <FILE> --trigger <T> [--payload <FILE>] [options]

Render the payload template FILE for trigger T as the real Cal.com sender does (Handlebars 4.7
plus its post-processing) and print the headers and the body it would send. A render that
fails means Cal.com sends nothing: the error is printed with its position.

Options:
  --trigger <T>        the trigger (required), e.g. BOOKING_CREATED
  --payload <FILE|->   the payload, or a whole event body (default: a realistic sample)
  --secret <S>         sign with this secret (default: $CAL_WEBHOOK_SECRET, else
                       "no-secret-provided")
  --version <V>        add X-Cal-Webhook-Version
  --dialect <D>        calcom (default, the real sender) or reference
  --body-only          print only the body, byte for byte (no newline added)
  -h, --help           show this help

Exit status: 0 when Cal.com would send the request, 1 when it would send nothing, 2 for a
usage error.`;

export async function run({ options, positionals }, ctx) {
  const { stdin, stdout, env, out, err, paint } = ctx;
  if (!options.trigger) throw new UsageError('--trigger is required');
  const file = positionals[0];
  const template = await readText(file, stdin);
  const given = options.payload === undefined ? { payload: samplePayload(options.trigger).payload } : await readPayload(options.payload, stdin);
  const delivery = withTemplate(template, file, () =>
    buildDelivery({
      triggerEvent: options.trigger,
      createdAt: given.createdAt,
      payload: given.payload,
      template,
      secret: options.secret ?? (env.CAL_WEBHOOK_SECRET || undefined),
      version: options.version,
      dialect: options.dialect,
    }),
  );
  for (const note of delivery.notes ?? []) err(`${paint.yellow('note')}: ${note}`);
  if (options['body-only']) {
    stdout.write(delivery.body);
    return 0;
  }
  out(`${paint.bold(delivery.method)} ${paint.dim('(what Cal.com sends)')}`);
  for (const [name, value] of Object.entries(delivery.headers)) out(`${paint.cyan(name)}: ${value}`);
  out('');
  out(printable(delivery.body));
  return 0;
}
