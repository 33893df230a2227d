// Timing helpers shared by the workloads: medians over repetitions, and the machine description
// every result carries (BENCH.md: core count and Node version with each figure).
import { availableParallelism, cpus } from "node:os";

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` `reps` times; returns each run's wall time in seconds. */
export function timeRepeated(fn, reps) {
  const seconds = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    seconds.push((performance.now() - t0) / 1000);
  }
  return seconds;
}

export function machine() {
  return {
    node: process.version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Three significant digits, for readable JSON. */
export const sig = (v) => (Number.isFinite(v) ? Number(v.toPrecision(3)) : v);
