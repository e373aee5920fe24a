// The playground (www/) in a real browser: Debian's chromium driven by playwright-core, the site
// built by scripts/build-www.mjs and served by scripts/serve.mjs on 127.0.0.1. Every value the page
// shows is compared with the package itself in Node (pkg/dist/entries/node.mjs). A missing
// chromium fails the suite. Screenshots go to tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { artifacts, bin, root, tmp } from './harness.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { buildWww } from '../../scripts/build-www.mjs';

const SECRET = 'whsec_playground'; // the page's default secret
const REFERENCE_EXAMPLE = '{"event": "{{triggerEvent}}", "booking_id": "{{payload.uid}}", "attendee": "{{payload.attendees[0].email}}"}';

// The package in Node: the oracle for every value the page shows (and which panels exist).
const entry = join(root, 'pkg', 'dist', 'entries', 'node.mjs');
const api = existsSync(entry) ? await import(pathToFileURL(entry).href) : undefined;
let server;
let browser;
const problems = []; // console errors and warnings, uncaught page errors
const foreign = []; // requests to anything but the page's own origin
const wasmFetched = new Set(); // the .wasm files the pages fetched

const fns = (...names) => names.every((n) => typeof api?.[n] === 'function');
const hasTemplateApi = () => fns('buildDelivery', 'renderTemplate', 'samplePayload', 'templateVariables') && Array.isArray(api?.TRIGGERS);
const hasLintApi = () => hasTemplateApi() && fns('lintTemplate', 'applyFixes');
const hasConfigApi = () => typeof api?.validateWebhookCreate === 'function' && typeof api?.validateWebhookUpdate === 'function';

before(async () => {
  assert.ok(existsSync(bin.chromium), `chromium at ${bin.chromium} (Debian package \`chromium\`; make test installs it)`);
  assert.ok(api, 'pkg/ is built (make build)');
  const { outDir } = await buildWww({ outDir: join(tmp, 'www-dist'), quiet: true });
  server = await startServer(outDir);
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: bin.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page at `width`, watched for console problems and foreign requests, loaded and ready. */
async function open({ width = 1280, height = 900, hash = '', colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, deviceScaleFactor: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(server.url) && !url.startsWith('data:')) foreign.push(url);
    if (/\.wasm(\?|$)/.test(url)) wasmFetched.add(new URL(url).pathname);
  });
  await page.goto(server.url + hash);
  await page.waitForFunction(() => document.documentElement.dataset.ready, null, { timeout: 20000 });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.ready), 'true', 'the page booted');
  return page;
}

/** Replace the text of the CodeMirror editor inside `selector` by typing it. */
async function typeInto(page, selector, text) {
  const content = page.locator(`${selector} .cm-content`);
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.insertText(text);
}

/** The text of the CodeMirror editor inside `selector`, lines joined with \n. */
function editorText(page, selector) {
  return page.evaluate((sel) => [...document.querySelectorAll(`${sel} .cm-line`)].map((l) => l.textContent).join('\n'), selector);
}

/** Wait until the page has applied pending updates (two animation frames). */
function settle(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

test('the package has every API the playground uses (no panel is left out)', () => {
  assert.ok(hasTemplateApi(), 'buildDelivery, renderTemplate, samplePayload, templateVariables, TRIGGERS');
  assert.ok(hasLintApi(), 'lintTemplate, applyFixes');
  assert.ok(hasConfigApi(), 'validateWebhookCreate, validateWebhookUpdate');
});

test('signature check: a good signature, a bad one with its causes, a missing secret, compute', async () => {
  const page = await open();
  await page.click('#tab-signature');
  const body = JSON.stringify({ triggerEvent: 'BOOKING_CREATED', createdAt: '2026-01-15T10:00:00.000Z', payload: { uid: 'abc', title: 'Intro — café' } });
  await typeInto(page, '#sig-body', body);
  await page.fill('#sig-secret', SECRET);
  const good = api.sign(body, SECRET);
  await page.fill('#sig-header', good);
  await settle(page);
  assert.equal(await page.textContent('[data-testid=sig-code]'), 'OK');
  assert.equal(await page.textContent('#sig-computed'), good, 'computed header equals sign()');
  assert.ok(await page.isHidden('#sig-diagnose-wrap'), 'no causes for a valid signature');

  // The same signature over a pretty-printed body: MISMATCH, and diagnose names the cause.
  const pretty = JSON.stringify(JSON.parse(body), null, 2);
  await typeInto(page, '#sig-body', pretty);
  await settle(page);
  const expected = api.check(pretty, good, SECRET);
  assert.equal(expected.code, 'MISMATCH');
  assert.equal(await page.textContent('[data-testid=sig-code]'), expected.code);
  const causes = api.diagnose(pretty, good, SECRET);
  assert.ok(causes.some((c) => c.code === 'BODY_PRETTY_PRINTED'), 'the library finds the cause');
  const shown = await page.$$eval('#sig-diagnose li', (els) => els.map((e) => ({ code: e.dataset.code, text: e.textContent })));
  assert.deepEqual(
    shown.map((s) => s.code),
    causes.map((c) => c.code),
    'every diagnose() finding is listed',
  );
  for (const [i, c] of causes.entries()) assert.ok(shown[i].text.includes(c.message), `${c.code} is explained in plain words`);

  // A Stripe-style header is recognised.
  await typeInto(page, '#sig-body', body);
  await page.fill('#sig-header', `t=1700000000,v1=${good}`);
  await settle(page);
  assert.equal(await page.textContent('[data-testid=sig-code]'), api.check(body, `t=1700000000,v1=${good}`, SECRET).code);
  const stripe = api.diagnose(body, `t=1700000000,v1=${good}`, SECRET).map((c) => c.code);
  assert.deepEqual(await page.$$eval('#sig-diagnose li', (els) => els.map((e) => e.dataset.code)), stripe);

  // No secret on the receiver: refused with its code.
  await page.fill('#sig-secret', '');
  await settle(page);
  assert.equal(await page.textContent('[data-testid=sig-code]'), 'NO_RECEIVER_SECRET');
  assert.equal(await page.textContent('#sig-computed'), 'no-secret-provided');

  // Compute, then use as the header: valid.
  await page.fill('#sig-secret', 'another secret');
  await page.click('#sig-use');
  await settle(page);
  assert.equal(await page.inputValue('#sig-header'), api.sign(body, 'another secret'));
  assert.equal(await page.textContent('[data-testid=sig-code]'), 'OK');
    await page.context().close();
});

test('signature check keeps carriage returns exactly', async () => {
  const page = await open();
  await page.click('#tab-signature');
  const body = '{"a":1,\r\n"b":2}';
  await page.fill('#sig-secret', SECRET);
  await page.locator('#sig-body .cm-content').click();
  // Paste through a real clipboard event so the text arrives as a user's paste does.
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    document.querySelector('#sig-body .cm-content').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, body);
  await page.fill('#sig-header', api.sign(body, SECRET));
  await settle(page);
  assert.equal(await page.textContent('[data-testid=sig-code]'), 'OK', 'CRLF survived the editor');
  assert.equal(await page.textContent('#sig-bytes'), `${Buffer.byteLength(body)} bytes`);
  await page.context().close();
});

test('template preview: trigger, template, body, content type and signature equal buildDelivery', async () => {
  const page = await open();
  assert.equal(await page.getAttribute('#tab-template', 'aria-selected'), 'true', 'template preview is the default tab');
  const trigger = 'BOOKING_CANCELLED';
  await page.selectOption('#trigger', trigger);
  const options = await page.$$eval('#trigger option', (els) => els.map((e) => e.value));
  assert.deepEqual([...options].sort(), api.TRIGGERS.map((t) => t.name).sort(), 'every trigger is offered');
  assert.ok((await page.textContent('#trigger-desc')).includes(api.TRIGGERS.find((t) => t.name === trigger).description));

  const template = '{\n  "event": "{{triggerEvent}}",\n  "uid": "{{uid}}",\n  "who": "{{attendees.0.email}}",\n  "title": "{{title}}"\n}';
  await typeInto(page, '#tpl-editor', template);
  await settle(page);
  const sample = api.samplePayload(trigger);
  const expected = api.buildDelivery({ triggerEvent: trigger, createdAt: sample.createdAt, payload: sample.payload, template, secret: SECRET, dialect: 'calcom' });
  assert.equal(await page.textContent('#out-ctype'), expected.contentType);
  const sigHeader = Object.entries(expected.headers).find(([k]) => k.toLowerCase() === 'x-cal-signature-256')[1];
  assert.equal(await page.textContent('#out-sig'), sigHeader);
  assert.equal(await editorText(page, '#out-body'), JSON.stringify(JSON.parse(expected.body), null, 2), 'pretty view');
  await page.click('#view-exact');
  await settle(page);
  assert.equal(await editorText(page, '#out-body'), expected.body, 'exact bytes');
  await page.click('#view-pretty');

  // Copy buttons copy the exact bytes, the header and the template.
  await page.click('button[data-copy=body]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected.body);
  await page.click('button[data-copy=header]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sigHeader);
  await page.click('#tpl-copy');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), template);

  // Another secret: a new signature.
  await page.fill('#tpl-secret', 'rotated');
  await settle(page);
  assert.equal(await page.textContent('#out-sig'), api.sign(expected.body, 'rotated'));
  await page.fill('#tpl-secret', SECRET);
  await page.context().close();
});

test('template preview: a syntax error shows inline at its line; the one-click fix repairs it', async () => {
  const page = await open();
  const template = '{\n  "event": "{{triggerEvent}}",\n  "attendee": "{{payload.attendees[0].email}}"\n}';
  await typeInto(page, '#tpl-editor', template);
  await settle(page);
  const lint = api.lintTemplate(template, { dialect: 'calcom', trigger: 'BOOKING_CREATED' });
  const error = lint.find((d) => d.severity === 'error');
  assert.ok(error, 'the library reports an error');
  assert.equal(error.span.line, 3);
  // Inline: the erroneous range is marked in the editor and the gutter marks line 3.
  await page.waitForSelector('#tpl-editor .cm-lintRange-error');
  const markedLine = await page.evaluate(() => {
    const mark = document.querySelector('#tpl-editor .cm-lintRange-error');
    const line = mark.closest('.cm-line');
    return [...document.querySelectorAll('#tpl-editor .cm-line')].indexOf(line) + 1;
  });
  assert.equal(markedLine, error.span.line, 'marked on the right line');
  await page.waitForSelector('#tpl-findings[data-state=fresh]', { state: 'attached' });
  const item = page.locator(`#tpl-findings li.error[data-code="${error.code}"]`).first();
  assert.equal(await item.getAttribute('data-line'), String(error.span.line));
  assert.ok((await item.textContent()).includes(`${error.span.line}:${error.span.column}`));
  // Nothing would be sent.
  let thrown;
  try {
    api.buildDelivery({ triggerEvent: 'BOOKING_CREATED', payload: api.samplePayload('BOOKING_CREATED').payload, template, secret: SECRET });
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, 'buildDelivery throws');
  assert.equal(await page.textContent('[data-testid=delivery-error]'), thrown.code);
  // The error is the package's caret report (what the `calhook` command prints), carets
  // under the span on line 3.
  const report = api.formatDiagnostic(template, thrown);
  assert.ok(report.includes('\n3 | ') && /\n *\| *\^+/.test(report), report);
  assert.equal(await page.textContent('[data-testid=delivery-report]'), report);
  // The inline tooltip offers the fix too.
  await page.hover('#tpl-editor .cm-lintRange-error');
  await page.waitForSelector('.cm-tooltip-lint');

  // One click on the fix.
  const fixable = lint.find((d) => d.fix);
  assert.ok(fixable, 'the library offers a fix');
  await page.click(`#tpl-findings button[data-fix="${fixable.code}"]`);
  await settle(page);
  const fixed = api.applyFixes(template, [fixable]);
  assert.equal(await editorText(page, '#tpl-editor'), fixed);
  const sample = api.samplePayload('BOOKING_CREATED');
  const remaining = api.lintTemplate(fixed, { dialect: 'calcom', trigger: 'BOOKING_CREATED' });
  await page.waitForSelector('#tpl-findings[data-state=fresh]', { state: 'attached' });
  assert.equal(await page.locator('#tpl-findings li[data-code]').count(), remaining.length);
  if (!remaining.some((d) => d.severity === 'error')) {
    const delivery = api.buildDelivery({ triggerEvent: 'BOOKING_CREATED', createdAt: sample.createdAt, payload: sample.payload, template: fixed, secret: SECRET });
    assert.equal(await page.textContent('#out-sig'), delivery.headers['X-Cal-Signature-256'] ?? Object.values(delivery.headers)[1]);
  }
  await page.context().close();
});

test('template preview: the reference dialect, a false body explained, variables insert at the cursor', async () => {
  const page = await open();
  await typeInto(page, '#tpl-editor', REFERENCE_EXAMPLE);
  await page.check('input[name=dialect][value=reference]');
  await settle(page);
  const sample = api.samplePayload('BOOKING_CREATED');
  const ref = api.buildDelivery({ triggerEvent: 'BOOKING_CREATED', createdAt: sample.createdAt, payload: sample.payload, template: REFERENCE_EXAMPLE, secret: SECRET, dialect: 'reference' });
  await page.click('#view-exact');
  await settle(page);
  assert.equal(await editorText(page, '#out-body'), ref.body);
  await page.click('#view-pretty');
  await page.check('input[name=dialect][value=calcom]');

  // A value with a quote inside a JSON string: the body is the literal false, explained.
  await page.click('#payload-details summary');
  const payload = { ...sample.payload, title: 'Say "hi"' };
  await typeInto(page, '#payload-editor', JSON.stringify(payload, null, 2));
  await typeInto(page, '#tpl-editor', '{"title": "{{{title}}}"}');
  await settle(page);
  const expected = api.buildDelivery({ triggerEvent: 'BOOKING_CREATED', createdAt: sample.createdAt, payload, template: '{"title": "{{{title}}}"}', secret: SECRET });
  assert.equal(expected.body, 'false');
  assert.equal(await editorText(page, '#out-body'), 'false');
  assert.ok(await page.isVisible('#out-explain'));
  assert.match(await page.textContent('#out-explain'), /literal false/);

  // Variables: the list is the trigger's; a click inserts at the cursor.
  await page.click('#payload-reset');
  await typeInto(page, '#tpl-editor', '{"t": ""}');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  const vars = api.templateVariables('BOOKING_CREATED');
  const shown = await page.$$eval('#vars button', (els) => els.map((e) => e.dataset.path));
  assert.deepEqual(shown, vars.map((v) => v.path));
  const pick = vars.find((v) => v.path === 'title') ?? vars[0];
  await page.click(`#vars button[data-path="${pick.path}"]`);
  await settle(page);
  assert.equal(await editorText(page, '#tpl-editor'), `{"t": "{{${pick.path}}}"}`);
  await page.context().close();
});

test('share: the URL restores trigger, dialect and template', async () => {
  const page = await open();
  await page.selectOption('#trigger', 'MEETING_ENDED');
  await page.check('input[name=dialect][value=reference]');
  const template = '{"e": "{{triggerEvent}}", "t": "{{payload.title}}"}\n{{! a comment & more }}';
  await typeInto(page, '#tpl-editor', template);
  await page.waitForFunction(() => location.hash.includes('template='));
  await page.waitForTimeout(400); // the URL is written at most every 250 ms
  const url = page.url();
  const sigBefore = await page.textContent('#out-sig');
  await page.context().close();

  const again = await open({ hash: new URL(url).hash });
  assert.equal(await again.inputValue('#trigger'), 'MEETING_ENDED');
  assert.ok(await again.isChecked('input[name=dialect][value=reference]'));
  assert.equal(await editorText(again, '#tpl-editor'), template);
  assert.equal(await again.textContent('#out-sig'), sigBefore, 'the same delivery');
  await again.context().close();
});

// Speed is measured and recorded (tests/artifacts/playground-timing.json, and the test's
// diagnostics), not asserted: timings on a shared CI machine are not a pass/fail signal.
// What is asserted is that typing in a big template keeps the page working.
test('template preview while typing: the reference example and a 200-line template (timings recorded)', async (t) => {
  const page = await open();
  await typeInto(page, '#tpl-editor', REFERENCE_EXAMPLE);
  await settle(page);
  // The page reports how long its last update (lint + render + sign + display) took.
  const ms = async () => Number((await page.textContent('#out-timing')).replace(/[^\d.]/g, ''));
  const referenceMs = await ms();
  assert.ok(Number.isFinite(referenceMs), 'the page reports its update time');

  const lines = ['{'];
  for (let i = 0; i < 198; i++) lines.push(`  "f${i}": "{{#if uid}}{{title}} {{attendees.0.email}}{{else}}none{{/if}}",`);
  lines.push('  "end": true\n}');
  const big = lines.join('\n');
  await typeInto(page, '#tpl-editor', big);
  await settle(page);
  await page.locator('#tpl-editor .cm-line').nth(5).click();
  const times = [];
  for (const ch of 'typing fast and still typing on') {
    await page.keyboard.type(ch);
    await settle(page);
    times.push(await ms());
  }
  const sorted = [...times].sort((a, b) => a - b);
  const timing = {
    referenceExampleMs: referenceMs,
    bigTemplateKeystrokeMs: { median: sorted[Math.floor(sorted.length / 2)], worst: sorted.at(-1), all: times },
    loadAverage: loadavg()[0],
  };
  t.diagnostic(`playground timing: ${JSON.stringify(timing)}`);
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'playground-timing.json'), JSON.stringify(timing, null, 1));
  // The findings catch up once typing pauses (linted in a worker).
  await page.waitForSelector('#tpl-findings[data-state=fresh]', { state: 'attached' });
  // The whole template (the editor renders only the lines in view): through its copy button.
  await page.click('#tpl-copy');
  const typed = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(typed.split('\n').length, 201);
  const expected = api.lintTemplate(typed, { dialect: 'calcom', trigger: 'BOOKING_CREATED' });
  assert.ok(expected.length > 0);
  assert.equal(await page.locator('#tpl-findings li[data-code]').count(), Math.min(expected.length, 40), 'findings listed (capped at 40; every one is marked in the editor)');
  await page.context().close();
});

test('webhook config check: every issue at its path', async () => {
  const page = await open();
  await page.click('#tab-config');
  const input = { subscriberUrl: 'http://localhost:3000/hook', triggers: ['BOOKING_CREATED', 'NOPE'], active: 'yes' };
  await typeInto(page, '#cfg-editor', JSON.stringify(input, null, 2));
  await settle(page);
  const expected = api.validateWebhookCreate(input);
  const shown = await page.$$eval('#cfg-issues li', (els) => els.map((e) => ({ path: e.dataset.path, code: e.dataset.code })));
  assert.deepEqual(
    shown,
    expected.issues.map((i) => ({ path: i.path, code: i.code })),
  );
  await page.click('#cfg-update');
  await settle(page);
  const upd = api.validateWebhookUpdate(input);
  assert.equal(await page.locator('#cfg-issues li').count(), upd.issues.length);
  // A config's payloadTemplate opens in the template preview.
  if (hasTemplateApi()) {
    const withTemplate = { subscriberUrl: 'https://example.com/hook', triggers: ['BOOKING_CANCELLED'], active: true, payloadTemplate: '{"uid": "{{uid}}"}' };
    await typeInto(page, '#cfg-editor', JSON.stringify(withTemplate, null, 2));
    await settle(page);
    await page.click('#cfg-preview');
    await settle(page);
    assert.equal(await page.getAttribute('#tab-template', 'aria-selected'), 'true');
    assert.equal(await page.inputValue('#trigger'), 'BOOKING_CANCELLED');
    assert.equal(await editorText(page, '#tpl-editor'), withTemplate.payloadTemplate);
  }
  await page.context().close();
});

test('keyboard: tabs follow the arrow keys; Tab leaves the editors', async () => {
  const page = await open();
  const first = await page.$eval('[role=tab]:not([hidden])', (el) => el.id);
  await page.focus(`#${first}`);
  await page.keyboard.press('ArrowRight');
  const focused = await page.evaluate(() => document.activeElement.id);
  assert.notEqual(focused, first);
  assert.equal(await page.getAttribute(`#${focused}`, 'aria-selected'), 'true');
  assert.ok(await page.isVisible(`#${await page.getAttribute(`#${focused}`, 'aria-controls')}`));
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  assert.equal(await page.evaluate(() => document.activeElement.id), first);
  await page.keyboard.press('Enter');
  const editor = hasTemplateApi() ? '#tpl-editor' : '#sig-body';
  if (!hasTemplateApi()) await page.click('#tab-signature');
  await page.locator(`${editor} .cm-content`).click();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate((sel) => document.querySelector(sel).contains(document.activeElement), editor), false, 'Tab moves focus out of the editor');
  await page.context().close();
});

test('screenshots: desktop (1280) and mobile (390), light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    for (const [name, width] of [
      ['desktop', 1280],
      ['mobile', 390],
    ]) {
      const page = await open({ width, height: width > 500 ? 900 : 844, colorScheme });
      await settle(page);
      const suffix = colorScheme === 'dark' ? '-dark' : '';
      await page.screenshot({ path: join(artifacts, `playground-${name}${suffix}.png`), fullPage: true });
      // Nothing overflows horizontally.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name} ${colorScheme}: no horizontal scroll (${overflow}px)`);
      // Every control has an accessible name.
      const unlabeled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, button, textarea, [contenteditable=true]')]
          .filter((el) => el.offsetParent !== null)
          .filter((el) => {
            if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.title) return false;
            if (el.labels && el.labels.length) return false;
            if (el.tagName === 'BUTTON' && el.textContent.trim()) return false;
            return true;
          })
          .map((el) => el.outerHTML.slice(0, 120)),
      );
      assert.deepEqual(unlabeled, [], 'every control is labelled');
      if (hasLintApi() && (await page.isVisible('#fix-all'))) {
        // The same page once its findings are fixed: a delivery.
        await page.click('#fix-all');
        await settle(page);
        await page.screenshot({ path: join(artifacts, `playground-${name}-fixed${suffix}.png`), fullPage: true });
      }
      if (name === 'desktop') {
        for (const tab of ['signature', 'config']) {
          if (await page.isHidden(`#tab-${tab}`)) continue;
          await page.click(`#tab-${tab}`);
          if (tab === 'signature') await page.click('#sig-sample');
          await settle(page);
          await page.screenshot({ path: join(artifacts, `playground-${tab}${suffix}.png`), fullPage: true });
        }
      }
      await page.context().close();
    }
  }
});

test('no console errors or warnings, no requests to other origins', () => {
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
});

test('the playground downloads one wasm file: calhook_full.wasm (core and tools in one instance)', () => {
  assert.deepEqual([...wasmFetched], ['/calhook_full.wasm']);
});
