#!/usr/bin/env node
// `make bench`: runs every benchmark suite in one process, prints the tables and writes
// BENCHMARKS.md. Not a test: nothing here asserts a speed.
import { writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const suites = ['summary', 'signature', 'template', 'event', 'startup', 'size', 'worst'];
// The machine's load when the run starts and ends: these are shared machines, and a loaded one
// narrows every ratio where calhook and its peer compete for the same core.
const loadAtStart = loadavg()[0];
const sections = [];
for (const name of suites) {
  const file = new URL(`./${name}.mjs`, import.meta.url);
  if (!existsSync(file)) continue;
  process.stderr.write(`bench: ${name}\n`);
  const { run } = await import(file);
  const { title, body } = await run();
  const section = `## ${title}\n\n${body}\n`;
  console.log(section);
  sections.push(section);
}
const header = `# Benchmarks\n\nProduced by \`make bench\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end). Rates are operations per CPU-second of the process (median of 5 rounds of 250 ms after warm-up), so time spent descheduled on shared cores does not count; each cell also gives the ratio to the calhook baseline of its table. Re-run to refresh; compare ratios, not absolute numbers.\n\n`;
writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), header + sections.join('\n'));
console.log('wrote BENCHMARKS.md');
