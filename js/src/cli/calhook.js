#!/usr/bin/env node
// The `calhook` command (package.json `bin`): `npx calhook --help`.
import { readFileSync } from 'node:fs';
import { main } from './main.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, version }).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`calhook: unexpected failure: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 70;
  },
);
