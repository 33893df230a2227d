// Accumulates validated rows of one file into growable shared columns, and owns the row-level
// rules every format shares: prices finite and > 0, volume finite and ≥ 0, times on the file's
// bar grid, strictly increasing. A bad row is fatal, or skipped and reported in lenient mode.
import { DataFileError } from "../errors.js";
import { type Bars, sharedColumns, sharedF64 } from "./bars.js";
import { fmtMs, MAX_SKIPPED_SAMPLES, type SkippedRow } from "./leg-format.js";
import { formatUtc } from "./parse-time.js";

/** Column names as the file spells them, for messages. */
export interface ColumnNames {
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/** Keep an oversized buffer (as a shorter view) when it is at most this much too long. */
const KEEP_SLACK = 0.1;

export class LegBuilder {
  n = 0;
  /** Bar-start time of the last accepted row (−Infinity before the first). */
  lastTs = Number.NEGATIVE_INFINITY;
  lastLine = 0;
  skipped = 0;
  readonly skippedSamples: SkippedRow[] = [];
  names: ColumnNames = { open: "open", high: "high", low: "low", close: "close", volume: "volume" };

  private cap = 0;
  private ts = sharedF64(0);
  private open = sharedF64(0);
  private high = sharedF64(0);
  private low = sharedF64(0);
  private close = sharedF64(0);
  private volume = sharedF64(0);

  constructor(
    readonly file: string,
    readonly fileBarMs: number,
    readonly lenient: boolean,
  ) {}

  /** Sizes the columns for about `rows` rows (an estimate; they still grow if needed). */
  reserve(rows: number): void {
    if (rows > this.cap) this.resize(Math.ceil(rows));
  }

  /** A bad row: an error, or in lenient mode a counted skip. */
  reject(line: number, reason: string, excerpt?: string): void {
    if (!this.lenient) throw new DataFileError(this.file, line, reason, { excerpt });
    this.skipped++;
    if (this.skippedSamples.length < MAX_SKIPPED_SAMPLES) this.skippedSamples.push({ line, reason, excerpt });
  }

  /** Checks and appends one row (`ts` = bar start, epoch ms UTC); false if it was rejected. */
  add(line: number, ts: number, o: number, h: number, l: number, c: number, v: number): boolean {
    if (!(o > 0 && o < Infinity)) return this.badPrice(line, this.names.open, o);
    if (!(h > 0 && h < Infinity)) return this.badPrice(line, this.names.high, h);
    if (!(l > 0 && l < Infinity)) return this.badPrice(line, this.names.low, l);
    if (!(c > 0 && c < Infinity)) return this.badPrice(line, this.names.close, c);
    if (!(v >= 0 && v < Infinity)) {
      this.reject(line, `${v < 0 ? "negative" : "non-finite"} volume in '${this.names.volume}'`, String(v));
      return false;
    }
    // ts / bar is exact when the bar divides ts, and (ts < 2^53) never rounds to a whole
    // number when it does not; cheaper than a floating-point `%`.
    const q = ts / this.fileBarMs;
    if (Math.floor(q) !== q) {
      this.reject(
        line,
        `bar time is not on the ${fmtMs(this.fileBarMs)} grid of the file's bar length (is the bar length or label set right?)`,
        formatUtc(ts),
      );
      return false;
    }
    if (ts <= this.lastTs) {
      this.reject(
        line,
        ts === this.lastTs
          ? `duplicate timestamp (same bar as line ${this.lastLine})`
          : `timestamp goes backwards (earlier than line ${this.lastLine})`,
        ts === this.lastTs ? formatUtc(ts) : `${formatUtc(ts)} after ${formatUtc(this.lastTs)}`,
      );
      return false;
    }
    const i = this.n;
    if (i === this.cap) this.resize(Math.max(1024, Math.ceil(this.cap * 1.5)));
    this.ts[i] = ts;
    this.open[i] = o;
    this.high[i] = h;
    this.low[i] = l;
    this.close[i] = c;
    this.volume[i] = v;
    this.n = i + 1;
    this.lastTs = ts;
    this.lastLine = line;
    return true;
  }

  /** Removes rows with zero volume in place; returns how many went. */
  dropZeroVolume(): number {
    const { ts, open, high, low, close, volume } = this;
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      if (volume[r] === 0) continue;
      if (w !== r) {
        ts[w] = ts[r];
        open[w] = open[r];
        high[w] = high[r];
        low[w] = low[r];
        close[w] = close[r];
        volume[w] = volume[r];
      }
      w++;
    }
    const dropped = this.n - w;
    this.n = w;
    return dropped;
  }

  /**
   * The rows as Bars. Buffers at most 10 % too long are kept as shorter views (no copy of
   * what can be a gigabyte); otherwise the rows move into one exact SharedArrayBuffer.
   */
  finish(): Bars {
    const n = this.n;
    if (n >= this.cap * (1 - KEEP_SLACK)) {
      return {
        ts: this.ts.subarray(0, n),
        open: this.open.subarray(0, n),
        high: this.high.subarray(0, n),
        low: this.low.subarray(0, n),
        close: this.close.subarray(0, n),
        volume: this.volume.subarray(0, n),
      };
    }
    const [ts, open, high, low, close, volume] = sharedColumns(6, n);
    ts.set(this.ts.subarray(0, n));
    open.set(this.open.subarray(0, n));
    high.set(this.high.subarray(0, n));
    low.set(this.low.subarray(0, n));
    close.set(this.close.subarray(0, n));
    volume.set(this.volume.subarray(0, n));
    return { ts, open, high, low, close, volume };
  }

  private badPrice(line: number, name: string, value: number): false {
    this.reject(line, `${value > 0 ? "non-finite" : "non-positive"} price in '${name}'`, String(value));
    return false;
  }

  private resize(cap: number): void {
    const grow = (a: Float64Array) => {
      const b = sharedF64(cap);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.ts = grow(this.ts);
    this.open = grow(this.open);
    this.high = grow(this.high);
    this.low = grow(this.low);
    this.close = grow(this.close);
    this.volume = grow(this.volume);
    this.cap = cap;
  }
}
