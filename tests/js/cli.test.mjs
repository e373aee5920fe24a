// Fast in-process tests of the `calhook` command's pieces from the built package (pkg/):
// argument parsing, colour rules, exit codes with fake streams, and formatDiagnostic.
// The command end to end, from the packed tarball: tests/integration/devtools/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './harness.mjs';

const dist = (file) => import(pathToFileURL(join(root, 'pkg', 'dist', file)).href);
const { parseArgs, UsageError } = await dist('cli/args.js');
const { colorEnabled, painter, printable } = await dist('cli/style.js');
const { main, COMMANDS } = await dist('cli/main.js');
const calhook = await dist('entries/node.mjs');

const spec = { options: { url: { type: 'string' }, repeat: { type: 'number' }, fix: { type: 'boolean' }, secret: { type: 'string', multiple: true } }, positionals: { min: 1, max: 1 } };

test('parseArgs: --name value, --name=value, booleans, repeats, -- and -', () => {
  assert.deepEqual(parseArgs(['X', '--url', 'http://a', '--repeat=3', '--fix'], spec), { options: { url: 'http://a', repeat: 3, fix: true }, positionals: ['X'] });
  assert.deepEqual(parseArgs(['--secret', 'a', '--secret=b', '-'], spec).options.secret, ['a', 'b']);
  assert.deepEqual(parseArgs(['--', '--url'], spec).positionals, ['--url']);
  assert.equal(parseArgs(['--url=a=b', 'X'], spec).options.url, 'a=b');
  assert.equal(parseArgs(['-h'], spec).options.help, true, '--help needs no positionals');
});

test('parseArgs: every malformed command line is a UsageError naming the problem', () => {
  const cases = [
    [['X', '--nope'], /unknown option "--nope"/],
    [['X', '-x'], /unknown option "-x"/],
    [['X', '--url'], /--url needs a value/],
    [['X', '--fix=yes'], /--fix takes no value/],
    [['X', '--repeat', '-1'], /--repeat must be a whole number/],
    [['X', '--repeat', '1e3'], /whole number/],
    [['X', '--repeat', '9999999999'], /whole number/],
    [['X', '--url', 'a', '--url', 'b'], /--url given twice/],
    [[], /missing argument/],
    [['X', 'Y'], /unexpected argument "Y"/],
    [['X', '--__proto__', 'v'], /unknown option/],
    [['X', '--constructor', 'v'], /unknown option/],
    [['X', `--${'a'.repeat(500)}`], /unknown option "--a{38}…"/],
  ];
  for (const [argv, message] of cases) assert.throws(() => parseArgs(argv, spec), (e) => e instanceof UsageError && message.test(e.message), argv.join(' '));
});

test('colour: TTY only, NO_COLOR (non-empty) always wins, FORCE_COLOR forces, TERM=dumb disables', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  assert.equal(colorEnabled(tty, {}), true);
  assert.equal(colorEnabled(pipe, {}), false);
  assert.equal(colorEnabled(tty, { NO_COLOR: '1' }), false);
  assert.equal(colorEnabled(tty, { NO_COLOR: '' }), true, 'an empty NO_COLOR is unset');
  assert.equal(colorEnabled(pipe, { FORCE_COLOR: '1' }), true);
  assert.equal(colorEnabled(pipe, { FORCE_COLOR: '0' }), false);
  assert.equal(colorEnabled(tty, { FORCE_COLOR: '1', NO_COLOR: '1' }), false);
  assert.equal(colorEnabled(tty, { TERM: 'dumb' }), false);
  assert.equal(painter(false).red('x'), 'x');
  assert.equal(painter(true).red('x'), '\u001b[31mx\u001b[0m');
  assert.equal(printable('a\u001b[2Jb\u202ec\n\td'), 'a\ufffd[2Jb\ufffdc\n\td');
});

function io(env = {}) {
  const sink = () => {
    const s = { text: '', isTTY: false, write: (t) => ((s.text += t), true) };
    return s;
  };
  return { stdout: sink(), stderr: sink(), stdin: null, env, version: '9.9.9' };
}

test('main: exit codes and help for every command, in-process', async () => {
  for (const name of Object.keys(COMMANDS)) {
    const streams = io();
    assert.equal(await main([name, '--help'], streams), 0);
    assert.ok(streams.stdout.text.startsWith(`Usage: calhook ${name}`));
  }
  let s = io();
  assert.equal(await main(['lint'], s), 2);
  assert.match(s.stderr.text, /missing FILE/);
  assert.match(s.stderr.text, /calhook lint --help/);
  s = io();
  assert.equal(await main(['sample', 'NOPE'], s), 2);
  assert.match(s.stderr.text, /error\[UNKNOWN_TRIGGER\]/);
  s = io();
  assert.equal(await main(['sample', 'PING'], s), 0);
  assert.equal(s.stdout.text, JSON.stringify(calhook.samplePayload('PING')), 'no newline when not a TTY');
  s = io();
  assert.equal(await main(['--version'], s), 0);
  assert.equal(s.stdout.text, '9.9.9\n');
  s = io();
  assert.equal(await main(['\u001b[31mevil'], s), 2);
  assert.ok(!s.stderr.text.includes('\u001b'), 'arguments are echoed without control characters');
});

test('formatDiagnostic: header, excerpt and help, UTF-16 columns, from lintTemplate and CalhookError', () => {
  const source = '😀 {"who": "{{payload.attendees[0].email}}"}';
  const [d] = calhook.lintTemplate(source);
  const text = calhook.formatDiagnostic(source, d, { file: 'hook.hbs' });
  const [header, bar, line, carets, help] = text.split('\n');
  assert.equal(header.startsWith(`hook.hbs:1:${d.span.column}: error[${d.code}]: `), true, header);
  assert.equal(d.span.column, 15, 'UTF-16 column: the emoji is two units');
  assert.equal(bar, '  |');
  assert.equal(line, `1 | ${source}`);
  // The carets sit under the span (the emoji is one character on screen).
  const at = [...carets].indexOf('^');
  assert.equal([...line].slice(at, at + 2).join(''), 'pa');
  assert.equal(help, `  = help: ${d.fix.title}`);
  let err;
  try {
    calhook.compileTemplate('a\n{{#each x}}');
  } catch (e) {
    err = e;
  }
  const fromError = calhook.formatDiagnostic('a\n{{#each x}}', err);
  assert.match(fromError, /^2:12: error\[TEMPLATE_SYNTAX\]: Parse error on line 2:\n {2}\|\n2 \| \{\{#each x\}\}\n {2}\| {12}\^\n/);
  assert.ok(!fromError.includes('-----'), "handlebars' own excerpt is left out");
});

test('formatDiagnostic: hostile diagnostics give text or a CalhookError, never a crash', () => {
  const source = 'ab\u202e{{x}}\u001b';
  const weird = [
    { code: 'X', message: 'm', span: { start: 1e12, end: -5 } },
    { code: 'X', message: 'm', span: { start: NaN, end: Infinity } },
    { code: 'X', message: 'm', span: { start: 3, end: 1 } },
    { code: 'X', message: 'm', span: { start: '3' } },
    { code: 42, message: { toString: () => 'evil' }, severity: 'error\u001b[2J', fix: { title: 7 } },
    { code: 'X', message: 'm\n\u001b[31mred', span: { start: 2, end: 3 } },
  ];
  for (const d of weird) {
    const text = calhook.formatDiagnostic(source, d);
    assert.equal(typeof text, 'string');
    assert.ok(!/[\u001b\u202e]/.test(text), JSON.stringify(text));
  }
  for (const [src, d, o] of [[42, {}], ['x', null], ['x', 'diag'], ['x', {}, 'opts'], ['x', {}, { file: 3 }]]) {
    assert.throws(() => calhook.formatDiagnostic(src, d, o), (e) => e instanceof calhook.CalhookError && e.code === 'INVALID_ARGUMENT');
  }
  // A long minified template: the excerpt is cut around the span.
  const long = `{"a":"${'x'.repeat(10000)}{{#if}}"}`;
  const [diag] = calhook.lintTemplate(long);
  const lines = calhook.formatDiagnostic(long, diag).split('\n');
  assert.ok(lines[2].length < 120, lines[2].length);
  assert.ok(lines[2].includes('{{#if}}'));
});
