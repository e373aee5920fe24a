// The `calhook` command: dispatch to a subcommand, print help and errors, map outcomes to exit
// codes (0 success, 1 the check failed, 2 usage error). `main` takes its streams and
// environment as arguments so tests can run it in-process.
import { CalhookError } from 'calhook';
import { parseArgs, UsageError } from './args.js';
import { colorEnabled, painter, printable } from './style.js';
import { TemplateFailure, templateReport } from './report.js';
import * as trigger from './commands/trigger.js';
import * as verify from './commands/verify.js';
import * as lint from './commands/lint.js';
import * as render from './commands/render.js';
import * as sample from './commands/sample.js';
import * as listen from './commands/listen.js';

export const COMMANDS = { trigger, verify, lint, render, sample, listen };

const SUMMARY = {
  trigger: 'send what Cal.com sends for a trigger to a URL',
  verify: 'check a body against an X-Cal-Signature-256 value, and say why it fails',
  lint: 'lint payload templates (file:line:column, excerpt, fixes; --fix)',
  render: 'print the headers and body Cal.com sends for a template',
  sample: 'print a realistic event body for a trigger',
  listen: 'a local receiver on 127.0.0.1 that verifies and prints deliveries',
};

export const HELP = `Usage: calhook <command> [options]

Develop and test Cal.com webhook receivers: send what Cal.com sends, check signatures, lint
and render payload templates, receive deliveries locally.

Commands:
${Object.entries(SUMMARY).map(([name, text]) => `  ${name.padEnd(9)} ${text}`).join('\n')}

Run \`calhook <command> --help\` for a command's options.
Secrets can come from $CAL_WEBHOOK_SECRET instead of --secret (command lines are visible to
other users of the machine). Colour only on a terminal; NO_COLOR=1 turns it off.

Exit status: 0 success, 1 the check failed (non-2xx response, invalid signature, lint error,
render failure), 2 usage error.`;

/**
 * Run the command line `argv` (without `node calhook`) with `io = { stdout, stderr, stdin, env,
 * version }`; resolves to the exit code.
 */
export async function main(argv, io) {
  const { stdout, stderr, env } = io;
  const paint = painter(colorEnabled(stdout, env));
  const errPaint = painter(colorEnabled(stderr, env));
  const ctx = {
    ...io,
    paint,
    out: (text) => stdout.write(`${text}\n`),
    err: (text) => stderr.write(`${text}\n`),
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !Object.hasOwn(COMMANDS, topic)) return usage(`unknown command ${JSON.stringify(printable(topic))}`, undefined, ctx, errPaint);
    ctx.out(topic ? COMMANDS[topic].help : HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    ctx.out(io.version ?? 'unknown');
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) return usage(`unknown command ${JSON.stringify(printable(name))}`, undefined, ctx, errPaint);
  const command = COMMANDS[name];
  try {
    const args = parseArgs(rest, command.spec);
    if (args.options.help) {
      ctx.out(command.help);
      return 0;
    }
    return await command.run(args, ctx);
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message, name, ctx, errPaint);
    if (e instanceof TemplateFailure) {
      ctx.err(templateReport(e));
      return 1;
    }
    if (e instanceof CalhookError) {
      ctx.err(`${errPaint.red('error')}[${e.code}]: ${printable(e.message)}`);
      // Wrong input to the command (an unknown trigger, a bad option value) is a usage error.
      return e.code === 'INVALID_ARGUMENT' || e.code === 'UNKNOWN_TRIGGER' ? 2 : 1;
    }
    throw e;
  }
}

function usage(message, command, ctx, paint) {
  ctx.err(`${paint.red('error')}: ${printable(message)}`);
  ctx.err(command ? `Run \`calhook ${command} --help\` for its options.` : 'Run `calhook --help` for the commands.');
  return 2;
}
