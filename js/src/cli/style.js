// Terminal styling for the `calhook` command: colour only when the stream is a TTY, never with
// NO_COLOR (any non-empty value, https://no-color.org) or TERM=dumb; FORCE_COLOR (not "0")
// forces it, e.g. in CI logs that render ANSI.

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, cyan: 36, bold: 1, dim: 2 };

/** Whether to colour `stream` under `env`. */
export function colorEnabled(stream, env) {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return Boolean(stream && stream.isTTY);
}

/** `{ red(text), green(text), … }` that colour when `enabled`, else return text unchanged. */
export function painter(enabled) {
  const paint = {};
  for (const [name, code] of Object.entries(CODES)) {
    paint[name] = enabled ? (text) => `\u001b[${code}m${text}\u001b[0m` : (text) => String(text);
  }
  paint.severity = (severity) => (severity === 'error' ? paint.red : severity === 'warning' ? paint.yellow : paint.blue);
  return paint;
}

/**
 * Colour a report from formatDiagnostic: the severity in the header, the carets, the help.
 * The report's text has no control characters (formatDiagnostic replaces them), so the codes
 * added here are the only ones.
 */
export function paintReport(report, severity, paint) {
  const colour = paint.severity(severity);
  return report
    .split('\n')
    .map((line, i) => {
      if (i === 0) return line.replace(`${severity}[`, `${colour(severity)}[`);
      if (/^ *\| *\^+$/.test(line)) return line.replace(/\^+/, (carets) => colour(carets));
      if (/^ *= help:/.test(line)) return line.replace('help:', paint.cyan('help:'));
      return line;
    })
    .join('\n');
}

/**
 * Text from the network or a file, safe to print: control characters other than newline and
 * tab (terminal escape sequences) and bidi overrides become `�`.
 */
export function printable(text) {
  // eslint-disable-next-line no-control-regex
  return String(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}
