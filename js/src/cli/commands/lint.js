// `calhook lint`: lint payload templates, print each finding with its excerpt, apply fixes.
import { writeFile } from 'node:fs/promises';
import { applyFixes, formatDiagnostic, lintTemplate } from 'calhook';
import { readText } from '../io.js';
import { paintReport } from '../style.js';
import { UsageError } from '../args.js';

export const spec = {
  options: { trigger: { type: 'string' }, dialect: { type: 'string' }, fix: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: { min: 1 },
  positionalName: 'FILE (a template)',
};

export const help = `Usage: calhook lint <FILE>... [--trigger <T>] [--dialect <D>] [--fix] [--json]

Lint payload templates: syntax errors (on the real sender the render throws and nothing is
sent), the API reference's forms that break on the real sender, values that turn a JSON body
into \`false\`, unknown variables (with --trigger), ... Each finding is printed as
file:line:column with the line, carets under the spot, and the fix.

Options:
  --trigger <T>    check variables against trigger T's payload (e.g. BOOKING_CREATED)
  --dialect <D>    calcom (default, the real sender) or reference
  --fix            write the machine-applicable fixes into each file, then report what is left
  --json           print { file, diagnostics } per file as JSON lines instead
  -h, --help       show this help

Exit status: 0 when no file has an error (warnings allowed), 1 when one has, 2 for a usage
error or an unreadable file.`;

export async function run({ options, positionals }, { stdin, out, paint }) {
  const lintOptions = { trigger: options.trigger, dialect: options.dialect };
  let errors = 0;
  let warnings = 0;
  let fixed = 0;
  if (options.fix && positionals.includes('-')) throw new UsageError('--fix writes files: give file names, not -');
  for (const file of positionals) {
    let source = await readText(file, stdin);
    let diagnostics = lintTemplate(source, lintOptions);
    if (options.fix) {
      // Fixes can overlap (applyFixes keeps the first): apply in rounds until nothing changes.
      const before = source;
      for (let round = 0; round < 8 && diagnostics.some((d) => d.fix); round++) {
        const next = applyFixes(source, diagnostics);
        if (next === source) break;
        fixed += appliedCount(diagnostics);
        source = next;
        diagnostics = lintTemplate(source, lintOptions);
      }
      if (source !== before) await writeFile(file, source);
    }
    if (options.json) out(JSON.stringify({ file, diagnostics }));
    for (const d of diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      if (!options.json) out(paintReport(formatDiagnostic(source, d, { file }), d.severity, paint));
    }
  }
  if (!options.json) {
    const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
    if (options.fix) parts.push(`${fixed} fixed`);
    const summary = parts.join(', ');
    out(errors ? paint.red(summary) : warnings ? paint.yellow(summary) : paint.green(summary));
  }
  return errors ? 1 : 0;
}

// How many fixes applyFixes applies: from the end, skipping any that overlap one applied.
function appliedCount(diagnostics) {
  let limit = Infinity;
  let n = 0;
  for (const f of diagnostics.map((d) => d.fix).filter(Boolean).sort((a, b) => b.start - a.start || b.end - a.end)) {
    if (f.end > limit) continue;
    limit = f.start;
    n++;
  }
  return n;
}
