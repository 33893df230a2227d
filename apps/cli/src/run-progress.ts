// Progress of long work on stderr (a local run's combinations, a robustness report's rows): a live
// bar when stderr is a terminal, otherwise (a log file, a test, CI) one line at the first update
// and then every few seconds. Both show the rate and the time left.
import cliProgress from "cli-progress";

export interface RunProgress {
  /** `done` combinations of the run's `total` are stored. */
  update(done: number): void;
  /** Final state; removes the bar's timers so the process can exit. */
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  mode: "bar" | "lines" | "off";
  log: (s: string) => void;
  /** Seconds between two lines in "lines" mode. */
  everySeconds?: number;
  /** What is counted (plural): "combinations" unless said. */
  unit?: string;
  /** When the work began (on `now`'s clock), if before the display: the rate counts from it. */
  since?: number;
  /** The clock, in ms: performance.now() unless a test sets one. */
  now?: () => number;
}

/** 12345678 → "12,345,678". */
export function grouped(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Seconds → "1:02:03" or "2:03". */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

function rateOf(done: number, t0: number, now: () => number): number {
  const seconds = (now() - t0) / 1000;
  return seconds > 0 ? done / seconds : 0;
}

const clockOf = (o: ProgressOptions) => o.now ?? (() => performance.now());

export function startProgress(o: ProgressOptions): RunProgress {
  if (o.mode === "off") return { update() {}, stop() {} };
  return o.mode === "bar" ? barProgress(o) : lineProgress(o);
}

/**
 * A display that appears only once the work has lasted `afterMs`: a report answered in a moment
 * prints nothing on stderr, one that takes a minute shows where it is.
 */
export function lateProgress(afterMs: number, o: ProgressOptions): RunProgress {
  const now = clockOf(o);
  const t0 = now();
  let shown: RunProgress | null = null;
  return {
    update(done) {
      if (shown === null && now() - t0 < afterMs) return;
      (shown ??= startProgress({ ...o, since: t0 })).update(done);
    },
    stop: () => shown?.stop(),
  };
}

function barProgress(o: ProgressOptions): RunProgress {
  const now = clockOf(o);
  const t0 = o.since ?? now();
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: `{bar} {percentage}% | {value}/{total} ${o.unit ?? "combinations"} | {rate}/s | ETA {eta_formatted}`,
    formatValue: (v, _opts, type) => (type === "value" || type === "total" ? grouped(v) : String(v)),
    hideCursor: true,
    etaBuffer: 50,
    fps: 5,
  });
  bar.start(o.total, 0, { rate: "0" });
  return {
    update: (done) => bar.update(done, { rate: grouped(rateOf(done, t0, now)) }),
    stop: () => bar.stop(),
  };
}

function lineProgress(o: ProgressOptions): RunProgress {
  const now = clockOf(o);
  const t0 = o.since ?? now();
  const every = (o.everySeconds ?? 5) * 1000;
  let last = Number.NEGATIVE_INFINITY;
  let done = 0;
  const line = () => {
    const rate = rateOf(done, t0, now);
    const pct = o.total > 0 ? ((100 * done) / o.total).toFixed(1) : "100.0";
    o.log(
      `progress: ${pct}% ${grouped(done)}/${grouped(o.total)} ${o.unit ?? "combinations"}, ` +
        `${grouped(rate)}/s, ETA ${clock(rate > 0 ? (o.total - done) / rate : Number.NaN)}`,
    );
    last = now();
  };
  return {
    update(d) {
      done = d;
      if (now() - last >= every) line();
    },
    stop() {},
  };
}
