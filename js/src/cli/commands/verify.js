// `calhook verify`: check a body's X-Cal-Signature-256 and explain a failure.
import { check, diagnose } from 'calhook';
import { readInput } from '../io.js';
import { UsageError } from '../args.js';

export const spec = {
  options: { secret: { type: 'string', multiple: true }, signature: { type: 'string' } },
  positionals: { min: 0, max: 1 },
};

export const help = `Usage: calhook verify --secret <S> --signature <HEX> [<FILE>|-]

Check that HEX (the X-Cal-Signature-256 header's value) signs the exact bytes of FILE
(default: stdin). On failure, print the reason code and what calhook's diagnosis found
(a re-serialized or pretty-printed body, CRLF, a trailing newline, a secret with
whitespace, another provider's header, ...).

Options:
  --secret <S>         the webhook's secret (default: $CAL_WEBHOOK_SECRET); repeat it to
                       accept any of several (a rotation)
  --signature <HEX>    the header's value (bare or sha256=-prefixed hex)
  -h, --help           show this help

Exit status: 0 when the signature is valid, 1 when it is not, 2 for a usage error.

Example:
  calhook verify --secret whsec --signature 3f1c... body.json`;

export async function run({ options, positionals }, { stdin, env, out, paint }) {
  const secrets = options.secret ?? (env.CAL_WEBHOOK_SECRET ? [env.CAL_WEBHOOK_SECRET] : []);
  if (secrets.length === 0) throw new UsageError('--secret is required (or set CAL_WEBHOOK_SECRET)');
  if (options.signature === undefined) throw new UsageError('--signature is required');
  const body = await readInput(positionals[0] ?? '-', stdin);
  const result = check(body, options.signature, secrets.length === 1 ? secrets[0] : secrets);
  if (result.ok) {
    const which = secrets.length > 1 ? ` (secret #${result.secretIndex + 1})` : '';
    out(`${paint.green('✓ valid')}: the signature matches the ${body.length}-byte body${which}`);
    return 0;
  }
  out(`${paint.red('✗ invalid')} ${paint.bold(result.code)}: ${result.message}`);
  // The diagnosis tests each candidate cause against one secret: each secret in turn.
  const seen = new Set();
  for (const secret of secrets) {
    for (const finding of diagnose(body, options.signature, secret)) {
      if (seen.has(finding.code)) continue;
      seen.add(finding.code);
      out(`  ${paint.yellow('•')} ${paint.bold(finding.code)}: ${finding.message}`);
    }
  }
  return 1;
}
