// Tiny benchmark kit: time-boxed measurement after warm-up, median of several rounds, and a
// Markdown table with ratios to a baseline. Results depend on the machine; compare ratios.
// Rates are per CPU-second of this process (`process.cpuUsage`: user + system, all threads), not
// per wall-clock second: on shared cores, time spent descheduled would otherwise count as work.

/** Operations per second of `fn` (sync or async), median of `rounds` time-boxed rounds. */
export async function measure(fn, { ms = 250, rounds = 5, warmup = 100 } = {}) {
  const loop = loopOf(fn);
  await loop(performance.now() + warmup);
  const rates = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    const n = await loop(performance.now() + ms);
    const used = process.cpuUsage(start);
    rates.push((n * 1e6) / (used.user + used.system));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

/** CPU microseconds per call of `fn` (sync or async), over about `ms` ms of wall time. */
export async function cpuTimePerCall(fn, ms = 40) {
  const loop = loopOf(fn);
  const start = process.cpuUsage();
  const n = await loop(performance.now() + ms);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

// Runs `fn` in batches of 16 until `deadline` (performance.now()); returns the call count.
function loopOf(fn) {
  const isAsync = fn() instanceof Promise;
  return isAsync
    ? async (deadline) => {
        let n = 0;
        while (performance.now() < deadline) {
          for (let i = 0; i < 16; i++) await fn();
          n += 16;
        }
        return n;
      }
    : async (deadline) => {
        let n = 0;
        while (performance.now() < deadline) {
          for (let i = 0; i < 16; i++) fn();
          n += 16;
        }
        return n;
      };
}

export function formatRate(opsPerSec) {
  if (opsPerSec >= 1e6) return `${(opsPerSec / 1e6).toFixed(2)} M/s`;
  if (opsPerSec >= 1e3) return `${(opsPerSec / 1e3).toFixed(1)} k/s`;
  return `${opsPerSec.toFixed(0)} /s`;
}

/**
 * A Markdown table: one row per implementation, one column per input, each cell the rate and
 * the ratio to the baseline row (`× base`: > 1 means faster than the baseline).
 */
export function table({ columns, rows, baseline }) {
  const base = rows.find((r) => r.name === baseline);
  const head = `| implementation | ${columns.join(' | ')} |\n|---|${columns.map(() => '---:').join('|')}|`;
  const body = rows
    .map((r) => {
      const cells = r.rates.map((rate, i) => {
        const ratio = base ? rate / base.rates[i] : NaN;
        return `${formatRate(rate)} (${ratio.toFixed(2)}×)`;
      });
      return `| ${r.name} | ${cells.join(' | ')} |`;
    })
    .join('\n');
  return `${head}\n${body}`;
}
