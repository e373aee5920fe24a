// The integration matrix: the package as users get it (`npm pack` of pkg/), installed into real
// projects built and run by real tools. Each folder here with a package.json is one project; it
// depends on "calhook": "file:../../.tmp/calhook.tgz" and has a `test` script. For each: a fresh
// install of the tarball (`npm install`, npm's own cache only), then `npm test`, as a node:test test.
// Usage: node --test tests/integration/run.mjs   (CALHOOK_IT=next,types runs only those)
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const tmp = join(root, 'tests', '.tmp');
const only = process.env.CALHOOK_IT ? process.env.CALHOOK_IT.split(',') : null;
const projects = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'package.json')))
  .map((d) => d.name)
  .filter((name) => !only || only.includes(name))
  .sort();

// The projects run their own node:test suites: they must not inherit this runner's test context
// (NODE_TEST_CONTEXT makes a child report to the parent instead of running as its own suite).
function childEnv() {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

function npm(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

before(() => {
  if (!existsSync(join(root, 'pkg', 'package.json'))) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-pkg.mjs')], { stdio: 'inherit', cwd: root });
  }
  mkdirSync(tmp, { recursive: true });
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: join(root, 'pkg'), encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  renameSync(join(tmp, name), join(tmp, 'calhook.tgz'));
});

for (const project of projects) {
  test(`integration: ${project}`, { timeout: 20 * 60_000 }, async (t) => {
    const cwd = join(here, project);
    // The tarball changes on every build under the same version: drop the installed copy and the
    // local lockfile so npm installs this tarball, not a cached resolution of the last one.
    rmSync(join(cwd, 'node_modules', 'calhook'), { recursive: true, force: true });
    rmSync(join(cwd, 'package-lock.json'), { force: true });
    let start = Date.now();
    const install = await npm(['install', '--no-audit', '--no-fund'], cwd);
    assert.equal(install.code, 0, `npm install in ${project} failed:\n${install.out.slice(-6000)}`);
    const installMs = Date.now() - start;
    start = Date.now();
    const result = await npm(['test'], cwd);
    const testMs = Date.now() - start;
    t.diagnostic(`${project}: install ${(installMs / 1000).toFixed(1)} s, test ${(testMs / 1000).toFixed(1)} s`);
    assert.equal(result.code, 0, `npm test in ${project} failed:\n${result.out.slice(-12000)}`);
    const summary = result.out.match(/^# (pass|fail) \d+$/gm);
    if (summary) t.diagnostic(`${project}: ${summary.join(', ')}`);
  });
}
