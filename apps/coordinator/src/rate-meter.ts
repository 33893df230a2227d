// Combinations per second over the recent past, for progress (rate, ETA) and the ingest gauge.
// A sliding window rather than an average since the start: a job resumed after a restart, or
// slowed by a lost worker, shows its current pace.

const WINDOW_MS = 20_000;

export class RateMeter {
  private readonly samples: { t: number; n: number }[] = [];
  private readonly since = performance.now();

  add(n: number, t = performance.now()): void {
    this.samples.push({ t, n });
    this.prune(t);
  }

  /** Units per second over the last WINDOW_MS (or since the meter started, if later). */
  rate(t = performance.now()): number {
    this.prune(t);
    if (this.samples.length === 0) return 0;
    const span = Math.max(1000, Math.min(WINDOW_MS, t - this.since));
    return (this.samples.reduce((s, x) => s + x.n, 0) * 1000) / span;
  }

  private prune(t: number): void {
    while (this.samples.length > 0 && t - this.samples[0]!.t > WINDOW_MS) this.samples.shift();
  }
}
