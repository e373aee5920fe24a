// Command-line argument parsing for the `calhook` command: no dependencies, strict (an unknown
// option or a missing value is a usage error, exit 2), GNU-style `--name value`,
// `--name=value`, `-h`, and `--` ending the options.

/** A usage error: the command prints it with the subcommand's help hint and exits 2. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parse `argv` against `spec`: `{ options: { name: { type: 'string'|'number'|'boolean',
 * multiple?, short? } }, positionals: { min, max } }`. Returns `{ options, positionals }`;
 * `--help`/`-h` is always accepted. Numbers must be non-negative integers.
 */
export function parseArgs(argv, spec) {
  const defs = { help: { type: 'boolean', short: 'h' }, ...spec.options };
  const shorts = new Map(Object.entries(defs).filter(([, d]) => d.short).map(([n, d]) => [d.short, n]));
  const options = {};
  const positionals = [];
  let rest = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (rest || arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      rest = true;
      continue;
    }
    let name;
    let inline;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else if (arg.length === 2 && shorts.has(arg[1])) {
      name = shorts.get(arg[1]);
    } else {
      throw new UsageError(`unknown option ${quote(arg)}`);
    }
    const def = Object.hasOwn(defs, name) ? defs[name] : undefined;
    if (!def) throw new UsageError(`unknown option ${quote(`--${name}`)}`);
    let value;
    if (def.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      value = true;
    } else {
      value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      if (def.type === 'number') value = count(name, value);
    }
    if (def.multiple) (options[name] ??= []).push(value);
    else if (Object.hasOwn(options, name) && def.type !== 'boolean') throw new UsageError(`--${name} given twice`);
    else options[name] = value;
  }
  if (!options.help) {
    const { min = 0, max = Infinity } = spec.positionals ?? {};
    if (positionals.length < min) throw new UsageError(`missing ${spec.positionalName ?? 'argument'}`);
    if (positionals.length > max) throw new UsageError(`unexpected argument ${quote(positionals[max])}`);
  }
  return { options, positionals };
}

function count(name, text) {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`--${name} must be a whole number (got ${quote(text)})`);
  return Number(text);
}

// Arguments are echoed in errors: keep them short and on one line.
function quote(text) {
  const s = String(text);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}
