// The installed `calhook` command: trigger (against node:crypto-checking receivers), verify,
// lint (--fix, exit codes), render, sample, listen, --help, colour rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyFixes, buildDelivery, lintTemplate, parseEvent, samplePayload, sign } from 'calhook';
import { calhook, hmac, recorder, signatureValid, spawnCalhook } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'calhook-cli-'));
const file = (name, text) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('npx calhook trigger BOOKING_CREATED reaches a receiver that checks it with node:crypto', async () => {
  const server = await recorder();
  try {
    const r = await calhook(['trigger', 'BOOKING_CREATED', '--url', `${server.url}/api/cal?x=1`, '--secret', 'S'], { npx: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /POST http:\/\/127\.0\.0\.1:\d+\/api\/cal\?x=1 → 200 OK in \d+ ms\nreceived/);
    assert.equal(server.requests.length, 1);
    const got = server.requests[0];
    assert.equal(got.method, 'POST');
    assert.equal(got.path, '/api/cal?x=1');
    assert.ok(signatureValid(got.body, got.headers['x-cal-signature-256'], 'S'), 'signature checks with node:crypto');
    // Cal.com's header casing on the wire.
    assert.ok(got.rawHeaders.includes('X-Cal-Signature-256') && got.rawHeaders.includes('Content-Type'));
    // A valid, correctly typed delivery: what buildDelivery gives for the same event, byte for byte.
    const event = parseEvent(got.body, { strict: true });
    assert.equal(event.triggerEvent, 'BOOKING_CREATED');
    assert.equal(event.known, true);
    assert.equal(event.shape, 'envelope');
    assert.ok(Math.abs(Date.parse(event.createdAt) - Date.now()) < 60_000, 'a fresh createdAt');
    const expected = buildDelivery({ triggerEvent: 'BOOKING_CREATED', createdAt: event.createdAt, payload: samplePayload('BOOKING_CREATED').payload, secret: 'S' });
    assert.equal(got.body.toString('utf8'), expected.body);
    assert.equal(got.headers['content-type'], expected.headers['Content-Type']);
    assert.equal(got.headers['x-cal-signature-256'], expected.headers['X-Cal-Signature-256']);
    assert.equal(got.headers['x-cal-webhook-version'], undefined);
  } finally {
    await server.close();
  }
});

test('trigger: template, payload file, version, no secret, repeat, and exit 1 on non-2xx and redirects', async () => {
  let status = 200;
  const server = await recorder((req, res) => {
    res.statusCode = status;
    if (status === 302) res.setHeader('location', '/elsewhere');
    res.end(`status ${status}`);
  });
  try {
    const template = file('t.hbs', '{"event":"{{triggerEvent}}","title":"{{title}}","who":"{{attendees.0.email}}"}');
    const payload = file('p.json', JSON.stringify({ triggerEvent: 'BOOKING_CANCELLED', createdAt: '2026-01-02T03:04:05.006Z', payload: { ...samplePayload('BOOKING_CANCELLED').payload, title: 'Custom <title>' } }));
    let r = await calhook(['trigger', 'BOOKING_CANCELLED', '--url', server.url, '--template', template, '--payload', payload, '--version', '2021-10-20', '--secret', 'k']);
    assert.equal(r.code, 0, r.stderr);
    let got = server.requests.at(-1);
    const expected = buildDelivery({
      triggerEvent: 'BOOKING_CANCELLED',
      createdAt: '2026-01-02T03:04:05.006Z',
      payload: JSON.parse(readFileSync(payload, 'utf8')).payload,
      template: readFileSync(template, 'utf8'),
      secret: 'k',
      version: '2021-10-20',
    });
    assert.equal(got.body.toString(), expected.body);
    assert.match(expected.body, /Custom &lt;title&gt;/);
    assert.equal(got.headers['x-cal-webhook-version'], '2021-10-20');
    assert.equal(got.headers['x-cal-signature-256'], hmac(got.body, 'k'));

    r = await calhook(['trigger', 'PING', '--url', server.url]);
    assert.equal(r.code, 0);
    assert.equal(server.requests.at(-1).headers['x-cal-signature-256'], 'no-secret-provided');
    // The secret can come from the environment.
    r = await calhook(['trigger', 'PING', '--url', server.url], { env: { CAL_WEBHOOK_SECRET: 'env-secret' } });
    got = server.requests.at(-1);
    assert.equal(got.headers['x-cal-signature-256'], hmac(got.body, 'env-secret'));

    const before = server.requests.length;
    r = await calhook(['trigger', 'PING', '--url', server.url, '--secret', 's', '--repeat', '3']);
    assert.equal(r.code, 0);
    assert.equal(server.requests.length, before + 3);
    assert.match(r.stdout, /3\/3 succeeded/);

    status = 500;
    r = await calhook(['trigger', 'PING', '--url', server.url, '--secret', 's']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /→ 500 Internal Server Error in \d+ ms\nstatus 500/);
    status = 302;
    r = await calhook(['trigger', 'PING', '--url', server.url, '--secret', 's']);
    assert.equal(r.code, 1, 'a redirect is a failure, as on Cal.com');
    assert.equal(server.requests.at(-1).path, '/', 'the redirect was not followed');
  } finally {
    await server.close();
  }
});

test('trigger: usage errors exit 2, unreachable receivers and template errors exit 1', async () => {
  let r = await calhook(['trigger', 'BOOKING_CREATED', '--secret', 's']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--url is required/);
  r = await calhook(['trigger', 'NOT_A_TRIGGER', '--url', 'http://127.0.0.1:1/']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /UNKNOWN_TRIGGER/);
  r = await calhook(['trigger', 'PING', '--url', 'ftp://127.0.0.1/']);
  assert.equal(r.code, 2);
  r = await calhook(['trigger', 'PING', '--url', 'http://127.0.0.1:1/', '--bogus']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option "--bogus"/);
  const closed = await recorder();
  await closed.close();
  r = await calhook(['trigger', 'PING', '--url', `${closed.url}/`]);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(`✗ POST ${closed.url}/ failed: ECONNREFUSED`), r.stderr);
  const broken = file('broken.hbs', '{"a": "{{#if x}}"}');
  r = await calhook(['trigger', 'PING', '--url', 'http://127.0.0.1:1/', '--template', broken]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /broken\.hbs:1:19: error\[TEMPLATE_SYNTAX\]/);
});

test('verify: exit 0 when valid, 1 with the reason and diagnosis, 2 without a secret', async () => {
  const body = JSON.stringify(samplePayload('BOOKING_CREATED'));
  const path = file('body.json', body);
  const sig = hmac(body, 'S');
  let r = await calhook(['verify', '--secret', 'S', '--signature', sig, path]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /valid/);
  r = await calhook(['verify', '--secret', 'S', '--signature', `sha256=${sig.toUpperCase()}`], { input: body });
  assert.equal(r.code, 0, 'stdin, prefixed upper-case hex');
  r = await calhook(['verify', '--secret', 'old', '--secret', 'S', '--signature', sig, path]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /secret #2/);
  r = await calhook(['verify', '--secret', 'S', '--signature', sig, '-'], { input: JSON.stringify(JSON.parse(body), null, 2) });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /MISMATCH/);
  assert.match(r.stdout, /BODY_PRETTY_PRINTED/);
  r = await calhook(['verify', '--secret', 'S', '--signature', sig], { input: `${body}\n` });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /TRAILING_NEWLINE|NEWLINE/);
  r = await calhook(['verify', '--secret', 'S', '--signature', 'nothex', path]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /MALFORMED_HEADER/);
  r = await calhook(['verify', '--signature', sig, path]);
  assert.equal(r.code, 2);
  r = await calhook(['verify', '--secret', 'S', '--signature', sig, join(dir, 'missing.json')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /ENOENT/);
});

test('lint: file:line:column with a caret excerpt and the hint; exit codes; --fix writes the fixes', async () => {
  const source = '{"who": "{{payload.attendees[0].email}}",\n "t": "{{titel}}"}';
  const path = file('hook.hbs', source);
  let r = await calhook(['lint', path, '--trigger', 'BOOKING_CREATED']);
  assert.equal(r.code, 1, 'an error exits 1');
  assert.ok(r.stdout.includes(`${path}:1:12: error[REFERENCE_INDEX_SYNTAX]: `), r.stdout);
  assert.ok(r.stdout.includes('1 | {"who": "{{payload.attendees[0].email}}",\n  |            ^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = help: Use {{attendees.0.email}}'), r.stdout);
  assert.ok(r.stdout.includes(`${path}:2:10: warning[UNKNOWN_VARIABLE]`));
  assert.match(r.stdout, /1 error, 1 warning\n$/);
  assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when piped');

  const json = await calhook(['lint', path, '--trigger', 'BOOKING_CREATED', '--json']);
  assert.deepEqual(JSON.parse(json.stdout).diagnostics, lintTemplate(source, { trigger: 'BOOKING_CREATED' }));

  r = await calhook(['lint', path, '--trigger', 'BOOKING_CREATED', '--fix']);
  assert.equal(r.code, 0, r.stdout);
  const fixed = readFileSync(path, 'utf8');
  // The API's fixes applied until none is left (a fix can reveal another).
  let expected = source;
  for (let next = applyFixes(expected, lintTemplate(expected, { trigger: 'BOOKING_CREATED' })); next !== expected; next = applyFixes(expected, lintTemplate(expected, { trigger: 'BOOKING_CREATED' }))) expected = next;
  assert.equal(fixed, expected);
  assert.equal(fixed, '{"who": "{{attendees.0.email}}",\n "t": "{{{title}}}"}');
  const left = lintTemplate(fixed, { trigger: 'BOOKING_CREATED' });
  assert.ok(left.every((d) => !d.fix && d.severity !== 'error'));
  assert.match(r.stdout, new RegExp(`0 errors, ${left.length} warnings?, 3 fixed\\n$`));
  const warnOnly = file('warn.hbs', '{"t": "{{titel}}"}');
  r = await calhook(['lint', warnOnly, '--trigger', 'BOOKING_CREATED']);
  assert.equal(r.code, 0, 'warnings alone exit 0');
  r = await calhook(['lint', file('clean.hbs', '{"uid": "{{uid}}"}')]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^0 errors, 0 warnings\n$/);
  r = await calhook(['lint', join(dir, 'nope.hbs')]);
  assert.equal(r.code, 2);
  r = await calhook(['lint', '-'], { input: '{{#each x}}' });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^-:1:12: error\[TEMPLATE_SYNTAX\]/);
});

test('colour only on request: FORCE_COLOR adds it, NO_COLOR wins', async () => {
  const path = file('colour.hbs', '{{#if a}}');
  let r = await calhook(['lint', path], { env: { FORCE_COLOR: '1' } });
  assert.match(r.stdout, /\u001b\[31merror\u001b\[0m\[TEMPLATE_SYNTAX\]/);
  r = await calhook(['lint', path], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
  assert.doesNotMatch(r.stdout + r.stderr, /\u001b\[/);
});

test('render prints the headers and body Cal.com sends; --body-only the exact bytes', async () => {
  const template = '{"title":"{{title}}","n":"{{attendees.length}}","esc":"{{organizer.name}} & co"}';
  const path = file('render.hbs', template);
  const payloadPath = file('payload.json', JSON.stringify(samplePayload('BOOKING_CREATED').payload));
  const r = await calhook(['render', path, '--trigger', 'BOOKING_CREATED', '--payload', payloadPath, '--secret', 'S']);
  assert.equal(r.code, 0, r.stderr);
  const [head, body] = r.stdout.split('\n\n');
  const headers = Object.fromEntries(head.split('\n').slice(1).map((l) => l.split(': ')));
  assert.equal(headers['Content-Type'], 'application/json');
  assert.equal(headers['X-Cal-Signature-256'], hmac(body.replace(/\n$/, ''), 'S'));
  const exact = await calhook(['render', path, '--trigger', 'BOOKING_CREATED', '--payload', payloadPath, '--body-only']);
  assert.equal(exact.stdout, body.replace(/\n$/, ''));
  const expected = buildDelivery({ triggerEvent: 'BOOKING_CREATED', payload: samplePayload('BOOKING_CREATED').payload, template, secret: 'S' });
  assert.equal(exact.stdout, expected.body, 'the template reads no createdAt, so the bodies are equal');
  assert.equal(headers['X-Cal-Signature-256'], expected.headers['X-Cal-Signature-256']);

  const bad = await calhook(['render', file('bad.hbs', '{"t": "{{payload.attendees[0].email}}"}'), '--trigger', 'BOOKING_CREATED']);
  assert.equal(bad.code, 1, 'Cal.com sends nothing');
  assert.match(bad.stderr, /bad\.hbs:1:\d+: error\[TEMPLATE_SYNTAX\]/);
  assert.match(bad.stderr, /\n {2}\| +\^+\n/);
  const noTrigger = await calhook(['render', path]);
  assert.equal(noTrigger.code, 2);
});

test('sample prints the exact default body (no newline when piped); --pretty indents', async () => {
  let r = await calhook(['sample', 'BOOKING_CANCELLED']);
  assert.equal(r.code, 0);
  const event = samplePayload('BOOKING_CANCELLED');
  assert.equal(r.stdout, JSON.stringify({ triggerEvent: event.triggerEvent, createdAt: event.createdAt, payload: event.payload }));
  assert.equal(parseEvent(r.stdoutBytes, { strict: true }).triggerEvent, 'BOOKING_CANCELLED');
  const body = buildDelivery({ triggerEvent: event.triggerEvent, createdAt: event.createdAt, payload: event.payload });
  assert.equal(r.stdout, body.body, 'the bytes of the default delivery body');
  r = await calhook(['sample', 'FORM_SUBMITTED', '--pretty']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\{\n {2}"triggerEvent": "FORM_SUBMITTED",/);
  r = await calhook(['sample', 'NOPE']);
  assert.equal(r.code, 2);
  r = await calhook(['sample']);
  assert.equal(r.code, 2);
});

test('listen verifies and prints each delivery; trigger against it; stops on SIGTERM', async () => {
  const listener = spawnCalhook(['listen', '--port', '0', '--secret', 'S', '--json']);
  try {
    const [, port] = await listener.waitStderr(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
    const url = `http://127.0.0.1:${port}/hooks/cal`;
    let r = await calhook(['trigger', 'BOOKING_CREATED', '--url', url, '--secret', 'S']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /→ 200 OK/);
    r = await calhook(['trigger', 'BOOKING_CREATED', '--url', url, '--secret', 'wrong']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /→ 401 Unauthorized/);
    assert.match(r.stdout, /"error":"MISMATCH"/);
    const get = await fetch(url);
    assert.equal(get.status, 405);
    await listener.waitStdout(/(.*\n){3}/);
    const [ok, bad, method] = listener.stdout().trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(ok.status, 200);
    assert.equal(ok.verdict, 'OK');
    assert.equal(ok.triggerEvent, 'BOOKING_CREATED');
    assert.equal(ok.path, '/hooks/cal');
    assert.equal(ok.signature, hmac(ok.body, 'S'));
    assert.equal(parseEvent(ok.body).triggerEvent, 'BOOKING_CREATED');
    assert.equal(bad.status, 401);
    assert.equal(bad.verdict, 'MISMATCH');
    assert.ok(Array.isArray(bad.diagnosis) && bad.diagnosis.length > 0, 'the diagnosis is printed');
    assert.equal(method.status, 405);
  } finally {
    listener.child.kill('SIGTERM');
  }
  const { code } = await listener.exited;
  assert.equal(code, 0);
});

test('listen prints a readable report without --json, with the failure reason and diagnosis', async () => {
  const listener = spawnCalhook(['listen', '--port', '0', '--secret', 'S']);
  try {
    const [, port] = await listener.waitStderr(/127\.0\.0\.1:(\d+)/);
    const body = JSON.stringify(samplePayload('PING'), null, 2);
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-cal-signature-256': sign(JSON.stringify(JSON.parse(body)), 'S') } });
    assert.equal(res.status, 401);
    await listener.waitStdout(/BODY_PRETTY_PRINTED/);
    assert.match(listener.stdout(), /POST \/ {2}→ 401\n {2}✗ MISMATCH: /);
  } finally {
    listener.child.kill('SIGINT');
  }
  assert.equal((await listener.exited).code, 0);
});

test('--help for the command and every subcommand; exit codes for unknown commands', async () => {
  const top = await calhook(['--help']);
  assert.equal(top.code, 0);
  for (const name of ['trigger', 'verify', 'lint', 'render', 'sample', 'listen']) {
    assert.match(top.stdout, new RegExp(`\\n {2}${name} `));
    for (const args of [[name, '--help'], [name, '-h'], ['help', name]]) {
      const r = await calhook(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.ok(r.stdout.startsWith(`Usage: calhook ${name}`), r.stdout);
      assert.match(r.stdout, /Exit status:/);
    }
  }
  const none = await calhook([]);
  assert.equal(none.code, 2);
  const unknown = await calhook(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const version = await calhook(['--version']);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('trigger shows at most 64 KiB of an endless response body', async () => {
  const server = await recorder((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = 'y'.repeat(16384);
    const pump = () => {
      while (res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  });
  try {
    const r = await calhook(['trigger', 'PING', '--url', server.url, '--secret', 's']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /→ 200 OK in \d+ ms\ny{65536}… \(cut at 65536 bytes\)\n$/);
  } finally {
    await server.close();
  }
});
