// The timing harness: every implementation of one comparison is sampled in the same rounds,
// in a rotating order, so a burst of load from other work on the machine lands on all of them
// alike and the ratios stay honest. Each sample is one batch of calls sized to take about
// `sampleMs` (short, so that most samples fit between two preemptions on a busy machine); a
// row reports the median time per call, p10–p90 and the MAD of its samples.
// Nothing here asserts anything about speed.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

export const now = () => performance.now(); // milliseconds, sub-µs resolution in Node

/** The machine, for a report: the load average now, and the CPU's model. */
export const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
export const cpu = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1].trim() ?? 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
})();

let sink = 0; // results land here so no call is optimised away
const keep = (value) => {
  sink = (sink + (typeof value === 'object' && value !== null ? 1 : value ? 2 : 3)) | 0;
};
export const sinkValue = () => sink;

/** Median, p10, p90 and MAD of numbers (not mutated). */
export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => {
    const i = (sorted.length - 1) * q;
    const lo = Math.floor(i);
    const hi = Math.ceil(i);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
  };
  const median = at(0.5);
  const deviations = sorted.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  const mad = deviations[Math.floor((deviations.length - 1) / 2)];
  return { median, p10: at(0.1), p90: at(0.9), mad, n: sorted.length };
}

/** One sample: `batch` calls, in ns per call. */
async function sample(impl, batch) {
  if (impl.async) {
    const start = now();
    for (let i = 0; i < batch; i++) keep(await impl.fn(i));
    return ((now() - start) * 1e6) / batch;
  }
  const fn = impl.fn;
  const start = now();
  for (let i = 0; i < batch; i++) keep(fn(i));
  return ((now() - start) * 1e6) / batch;
}

/** A batch size that makes one sample take about `ms`. */
async function calibrate(impl, ms) {
  let batch = 1;
  for (;;) {
    const ns = await sample(impl, batch);
    if (ns * batch >= ms * 1e6 * 0.25 || batch >= 1 << 24) return Math.max(1, Math.round((ms * 1e6) / ns));
    batch *= 4;
  }
}

/**
 * Samples every implementation of one comparison in the same rounds.
 * impls: [{ impl: 'payhook verifyR2Signature', payhook?: true, fn(i), async?: true }]
 * Returns one row per implementation: { impl, payhook, median, p10, p90, mad, ns: [...] }.
 * A row whose p10–p90 spread exceeds `noisy` of its median gets more rounds (at most
 * `reruns` times): the rerun count is recorded.
 */
export async function compare(impls, { sampleMs = 3, rounds = 31, warmupMs = 150, noisy = 0.35, reruns = 2 } = {}) {
  for (const impl of impls) {
    const end = now() + warmupMs;
    while (now() < end) await sample(impl, 16);
    impl.batch = await calibrate(impl, sampleMs);
    impl.samples = [];
  }
  let extra = 0;
  const run = async (count) => {
    for (let r = 0; r < count; r++) {
      for (let k = 0; k < impls.length; k++) {
        const impl = impls[(r + k) % impls.length];
        impl.samples.push(await sample(impl, impl.batch));
      }
    }
  };
  await run(rounds);
  const spread = (impl) => {
    const s = stats(impl.samples);
    return (s.p90 - s.p10) / s.median;
  };
  while (extra < reruns && impls.some((impl) => spread(impl) > noisy)) {
    extra += 1;
    await run(rounds);
  }
  return impls.map((impl) => {
    const s = stats(impl.samples);
    return {
      impl: impl.impl,
      short: impl.short ?? impl.impl,
      payhook: Boolean(impl.payhook),
      secondary: Boolean(impl.secondary),
      reference: Boolean(impl.reference),
      median: s.median,
      p10: s.p10,
      p90: s.p90,
      mad: s.mad,
      samples: s.n,
      batch: impl.batch,
      reruns: extra,
      opsPerSec: 1e9 / s.median,
    };
  });
}

/** Checks each implementation gives the expected answer once before it is timed. */
export async function check(impls, expect) {
  for (const impl of impls) {
    const got = await impl.fn(0);
    if (!expect(got, impl)) {
      throw new Error(`${impl.impl}: wrong answer before timing: ${JSON.stringify(got)?.slice(0, 300)}`);
    }
  }
}

/** Formats nanoseconds for people: 812 ns, 3.41 µs, 2.95 ms. */
export function fmtNs(ns) {
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : 1)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

/** Formats an operation rate: 1.23M/s, 45.6k/s, 312/s. */
export function fmtOps(ops) {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)}M`;
  if (ops >= 1e3) return `${(ops / 1e3).toFixed(1)}k`;
  return ops.toFixed(ops < 10 ? 1 : 0);
}
