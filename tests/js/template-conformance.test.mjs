// The 315 conformance cases (tests/conformance/handlebars-spec-cases.json) (Mustache spec + Handlebars.js spec, with what handlebars
// 4.7.10 really outputs) through the package in Node: renderTemplate (which sends only the
// data a template can read) and compileTemplate().render must both give handlebars' output,
// and throw a CalhookError exactly where handlebars throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as calhook from '../../pkg/dist/entries/node.mjs';
import { root } from './harness.mjs';

const corpus = JSON.parse(readFileSync(join(root, 'tests', 'conformance', 'handlebars-spec-cases.json'), 'utf8'));

// The recorded outputs are handlebars' own: re-rendered here with the devDependency (4.7.10),
// so the copy in the repository cannot drift from the oracle.
test('the recorded outputs are what the handlebars package renders', async () => {
  const { default: Handlebars } = await import('handlebars');
  assert.equal(Handlebars.VERSION, '4.7.10');
  const drift = [];
  for (const c of corpus.cases) {
    let got;
    try {
      got = { out: Handlebars.compile(c.template)(c.data) };
    } catch {
      got = { error: true };
    }
    if (c.error ? !got.error : got.out !== c.out) drift.push(`${c.suite} / ${c.name}: ${JSON.stringify(got)}`);
  }
  assert.deepEqual(drift, []);
});

test('all 315 conformance cases pass through the package', () => {
  assert.equal(corpus.cases.length, 315);
  const failures = [];
  for (const c of corpus.cases) {
    for (const [how, run] of [
      ['renderTemplate', () => calhook.renderTemplate(c.template, c.data)],
      ['Template.render', () => calhook.compileTemplate(c.template).render(c.data)],
    ]) {
      try {
        const out = run();
        if (c.error) failures.push(`${c.suite} / ${c.name} (${how}): expected an error, got ${JSON.stringify(out)}`);
        else if (out !== c.out) failures.push(`${c.suite} / ${c.name} (${how}): ${JSON.stringify(out)} !== ${JSON.stringify(c.out)}`);
      } catch (e) {
        if (!(e instanceof calhook.CalhookError)) failures.push(`${c.suite} / ${c.name} (${how}): not a CalhookError: ${e}`);
        else if (!c.error) failures.push(`${c.suite} / ${c.name} (${how}): unexpected ${e.code}: ${e.message}`);
        else if (!/^TEMPLATE_(SYNTAX|RENDER|UNSUPPORTED)$/.test(e.code)) failures.push(`${c.suite} / ${c.name}: code ${e.code}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});
