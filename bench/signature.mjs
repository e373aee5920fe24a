// Verifications per second in Node: calhook and calhook/signature (verify, Verifier) against
// node:crypto, WebCrypto, @noble/hashes and @octokit/webhooks-methods, for four body sizes;
// then both entries' wasm alone (their browser builds, where no native HMAC helps).
import { createHmac, timingSafeEqual, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import * as calhook from '../pkg/dist/entries/node.mjs';
import * as slim from '../pkg/dist/slim/entries/node.mjs';
import * as mainWeb from '../pkg/dist/entries/browser.js';
import * as slimWeb from '../pkg/dist/slim/entries/browser.js';
import { measure, table } from './lib.mjs';

const SECRET = 'whsec_benchmark_secret_0123456789';
const SIZES = [256, 2048, 16384, 262144];
const secretBytes = new TextEncoder().encode(SECRET);

function jsonBody(size) {
  // A JSON-looking ASCII body of exactly `size` bytes, as Cal.com sends (a string).
  const filler = randomBytes(size).toString('base64').slice(0, size - 14);
  return `{"payload":"${filler}"}`.padEnd(size, ' ');
}

export async function run() {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const verifier = new calhook.Verifier(SECRET);
  const slimVerifier = new slim.Verifier(SECRET);
  const impls = [
    ['calhook verify()', (b, h) => calhook.verify(b.text, h.hex, SECRET)],
    ['calhook Verifier.verify()', (b, h) => verifier.verify(b.text, h.hex)],
    ['calhook/signature verify()', (b, h) => slim.verify(b.text, h.hex, SECRET)],
    ['calhook/signature Verifier.verify()', (b, h) => slimVerifier.verify(b.text, h.hex)],
    ['node:crypto createHmac + timingSafeEqual', (b, h) => {
      const digest = createHmac('sha256', SECRET).update(b.text).digest();
      return timingSafeEqual(digest, h.bytes);
    }],
    ['WebCrypto subtle.verify', (b, h) => crypto.subtle.verify('HMAC', key, h.bytes, new TextEncoder().encode(b.text))],
    ['@noble/hashes hmac', (b, h) => bytesToHex(hmac(sha256, secretBytes, new TextEncoder().encode(b.text))) === h.hex],
    ['@octokit/webhooks-methods verify', (b, h) => octokitVerify(SECRET, b.text, `sha256=${h.hex}`)],
  ];
  const bodies = SIZES.map((size) => {
    const text = jsonBody(size);
    const hex = createHmac('sha256', SECRET).update(text).digest('hex');
    return [{ text }, { hex, bytes: Buffer.from(hex, 'hex') }];
  });
  // Every implementation must accept the genuine signature before it is timed.
  for (const [name, fn] of impls) {
    for (const [b, h] of bodies) {
      if (!(await fn(b, h))) throw new Error(`${name} rejected a valid signature`);
    }
  }
  const rows = [];
  for (const [name, fn] of impls) {
    const rates = [];
    for (const [b, h] of bodies) rates.push(await measure(() => fn(b, h)));
    rows.push({ name, rates });
    process.stderr.write(`  ${name}\n`);
  }
  const wasm = readFileSync(new URL('../pkg/dist/calhook_bg.wasm', import.meta.url));
  const slimWasm = readFileSync(new URL('../pkg/dist/slim/calhook_signature.wasm', import.meta.url));
  const wasmOnly = await wasmThroughput(wasm, bodies, columns(SIZES));
  return {
    title: 'Signature verification (Node, verifications per second)',
    body: `${table({ columns: columns(SIZES), rows, baseline: 'calhook verify()' })}\n\nRatios are to \`calhook verify()\` (> 1× = faster than calhook). Bodies are strings, as a Node handler usually has them.\n\nwasm size: ${(wasm.length / 1024).toFixed(1)} KiB raw, ${(gzipSync(wasm, { level: 9 }).length / 1024).toFixed(1)} KiB gzipped; calhook/signature: ${(slimWasm.length / 1024).toFixed(1)} KiB raw, ${(gzipSync(slimWasm, { level: 9 }).length / 1024).toFixed(1)} KiB gzipped.\n\n### The wasm alone (browser builds in Node: no node:crypto for long bodies, as in browsers and Workers)\n\n${wasmOnly}\n\nRatios are to the main entry's \`Verifier.verify()\`. The signature wasm is built at opt-level 3: opt-level "s" made it 6 KiB smaller (9 KiB) and hashed about 20% slower.`,
  };
}

function columns(sizes) {
  return sizes.map((s) => (s >= 1024 ? `${s / 1024} KiB` : `${s} B`));
}

// Both entries' browser builds (the main one given its wasm bytes), bodies as bytes.
async function wasmThroughput(wasm, bodies, cols) {
  await mainWeb.ready(wasm);
  const mainV = new mainWeb.Verifier(SECRET);
  const slimV = new slimWeb.Verifier(SECRET);
  const bytes = bodies.map(([b, h]) => [new TextEncoder().encode(b.text), h.hex]);
  const impls = [
    ['calhook Verifier.verify() (wasm only)', (b, h) => mainV.verify(b, h)],
    ['calhook/signature Verifier.verify() (wasm only)', (b, h) => slimV.verify(b, h)],
  ];
  const rows = [];
  for (const [name, fn] of impls) {
    for (const [b, h] of bytes) if (!fn(b, h)) throw new Error(`${name} rejected a valid signature`);
    const rates = [];
    for (const [b, h] of bytes) rates.push(await measure(() => fn(b, h)));
    rows.push({ name, rates });
    process.stderr.write(`  ${name}\n`);
  }
  return table({ columns: cols, rows, baseline: impls[0][0] });
}
