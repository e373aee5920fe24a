// Extracts every JavaScript/TypeScript code block of the READMEs (the repository's README.md and
// the package's js/README.md when present) into readme/ (Node) and readme-deno/ (Deno blocks),
// with the fixtures their free variables name. Used by test.mjs; nothing here is hand-copied.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve('..', '..', '..');
const LANGS = new Set(['js', 'javascript', 'mjs', 'cjs', 'ts', 'typescript']);

/** `[{ source, line, lang, code }]` for every JS/TS fence of the READMEs. */
export function readmeBlocks() {
  const blocks = [];
  for (const source of ['README.md', join('js', 'README.md')]) {
    const path = join(root, source);
    if (!existsSync(path)) continue;
    const lines = readFileSync(path, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(\w+)\s*$/.exec(lines[i]);
      if (!open) continue;
      const start = i;
      const body = [];
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
      if (LANGS.has(open[1])) blocks.push({ source, line: start + 1, lang: open[1], code: body.join('\n') + '\n' });
    }
  }
  return blocks;
}

/** How a block is checked and run. */
export function classify(block) {
  const ts = block.lang === 'ts' || block.lang === 'typescript';
  const deno = /\bDeno\./.test(block.code);
  const cjs = /\brequire\(/.test(block.code) && !/^\s*import\s/m.test(block.code);
  // Needs a bundler's file loader (the bundlers project runs this exact code).
  const bundlerOnly = /from 'calhook\/calhook_bg\.wasm'/.test(block.code);
  // Usage fragments of the dev tools (free `app`, `request`, `fastify`, … from the reader's own
  // code); tests/integration/devtools runs those APIs with the real frameworks.
  const fragment = /from 'calhook\/(testing|express|hono|next)'/.test(block.code);
  // Starts a server that never exits (port 3000): type-checked, not run here.
  const listens = /\.listen\(/.test(block.code);
  const ext = deno ? 'ts' : cjs ? (ts ? 'cts' : 'cjs') : ts ? 'mts' : 'mjs';
  return { deno, cjs, ts, bundlerOnly, fragment, listens, ext };
}

const GLOBALS = `// Fixtures for the free variables README examples name (set at run time by readme-setup.mjs).
import type { IncomingMessage } from 'node:http';

declare global {
  /** The raw request body, as a Node server reads it. */
  var rawBody: Buffer;
  /** A Node request. */
  var req: IncomingMessage;
  /** An event payload. */
  var payload: Record<string, unknown>;
  /** A webhook secret as configuration gives it. */
  var secret: string | undefined;
}
export {};
`;

/** Write the blocks out; returns [{ block, kind, file }] with file relative to this project. */
export function writeBlocks() {
  for (const dir of ['readme', 'readme-deno']) rmSync(dir, { recursive: true, force: true });
  mkdirSync('readme');
  mkdirSync('readme-deno');
  writeFileSync(join('readme', 'globals.d.ts'), GLOBALS);
  return readmeBlocks().map((block, n) => {
    const kind = classify(block);
    if (kind.fragment) return { block, kind, file: null };
    const name = `${String(n + 1).padStart(2, '0')}-${block.source.replace(/\W+/g, '_')}-L${block.line}.${kind.ext}`;
    const file = join(kind.deno ? 'readme-deno' : 'readme', name);
    const header = `// ${block.source} line ${block.line}\n`;
    // Blocks that only import (a usage fragment) are modules either way; scripts get `export {}`.
    const moduleMarker = kind.cjs || /^\s*(import|export)\s/m.test(block.code) ? '' : 'export {};\n';
    writeFileSync(file, header + moduleMarker + block.code);
    return { block, kind, file };
  });
}
