// Progress of a local run on stderr: a live bar when stderr is a terminal, otherwise (a log file,
// a test, CI) one line after the first stored chunk and then every few seconds. Both show
// combinations per second and the time left.
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

function rateOf(done: number, t0: number): number {
  const seconds = (performance.now() - t0) / 1000;
  return seconds > 0 ? done / seconds : 0;
}

export function startProgress(o: ProgressOptions): RunProgress {
  if (o.mode === "off") return { update() {}, stop() {} };
  return o.mode === "bar" ? barProgress(o) : lineProgress(o);
}

function barProgress(o: ProgressOptions): RunProgress {
  const t0 = performance.now();
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: "{bar} {percentage}% | {value}/{total} combinations | {rate}/s | ETA {eta_formatted}",
    formatValue: (v, _opts, type) => (type === "value" || type === "total" ? grouped(v) : String(v)),
    hideCursor: true,
    etaBuffer: 50,
    fps: 5,
  });
  bar.start(o.total, 0, { rate: "0" });
  return {
    update: (done) => bar.update(done, { rate: grouped(rateOf(done, t0)) }),
    stop: () => bar.stop(),
  };
}

function lineProgress(o: ProgressOptions): RunProgress {
  const t0 = performance.now();
  const every = (o.everySeconds ?? 5) * 1000;
  let last = Number.NEGATIVE_INFINITY;
  let done = 0;
  const line = () => {
    const rate = rateOf(done, t0);
    const pct = o.total > 0 ? ((100 * done) / o.total).toFixed(1) : "100.0";
    o.log(
      `progress: ${pct}% ${grouped(done)}/${grouped(o.total)} combinations, ` +
        `${grouped(rate)}/s, ETA ${clock(rate > 0 ? (o.total - done) / rate : Number.NaN)}`,
    );
    last = performance.now();
  };
  return {
    update(d) {
      done = d;
      if (performance.now() - last >= every) line();
    },
    stop() {},
  };
}
