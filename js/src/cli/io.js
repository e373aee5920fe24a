// Input helpers for the `calhook` command: files or stdin (`-`), JSON payload files.
import { readFile } from 'node:fs/promises';
import { UsageError } from './args.js';

/** The bytes of `path`, or of stdin for `-`. Unreadable files are usage errors (exit 2). */
export async function readInput(path, stdin) {
  if (path === '-') return readStream(stdin);
  try {
    return await readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${JSON.stringify(path)}: ${e.code ?? e.message}`);
  }
}

/** Text of `path` (UTF-8), or of stdin for `-`. */
export async function readText(path, stdin) {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await readInput(path, stdin));
}

async function readStream(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * A `--payload` file: either an event body `{ triggerEvent, createdAt, payload }` (as
 * `calhook sample` prints it) or the payload alone. Returns `{ payload, createdAt? }`.
 */
export async function readPayload(path, stdin) {
  const text = await readText(path, stdin);
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path === '-' ? 'stdin' : JSON.stringify(path)} is not JSON: ${e.message}`);
  }
  const isEvent = value && typeof value === 'object' && !Array.isArray(value) && typeof value.triggerEvent === 'string' && Object.hasOwn(value, 'payload');
  if (isEvent) return { payload: value.payload, createdAt: typeof value.createdAt === 'string' ? value.createdAt : undefined };
  return { payload: value };
}
