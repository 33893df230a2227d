// Accumulates validated rows of one file into growable shared columns, and owns the row-level
// rules every format shares: prices finite and > 0, low ≤ open, close ≤ high, no price further
// than `max_jump` from the previous close of the same contract, volume finite and ≥ 0, times on
// the file's bar grid, strictly increasing. A bad row is fatal, or skipped and counted in lenient
// mode. Reasons quote parsed numbers and column names, never the row's text.
import { DataFileError } from "../errors.js";
import { type Bars, releasableF64, releasableI32, releaseColumn, shrinkColumn } from "./bars.js";
import { fmtMs, MAX_SKIPPED_SAMPLES, type SkipKind, type SkippedRow } from "./leg-format.js";
import { formatUtc } from "./parse-time.js";

/** Column names as the file spells them, for messages. */
export interface ColumnNames {
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/** Ends the reasons of bars that are wrong in themselves, for those who would rather skip them. */
const SKIP_HINT = " (data.lenient: true skips such bars)";

/**
 * Thrown instead of a row error when rows were read without line numbers (DuckDB's fast path):
 * the file is then read again by the line parser, which names the line.
 */
export class NeedsLineParse extends Error {
  constructor(readonly file: string) {
    super(`${file}: re-read line by line to name the bad row`);
  }
}

/** Rows as columns (a DuckDB result chunk's), for LegBuilder.addMany. */
export interface RowBlock {
  ts: Float64Array;
  o: Float64Array;
  h: Float64Array;
  l: Float64Array;
  c: Float64Array;
  v: Float64Array;
}

export class LegBuilder {
  n = 0;
  /** Bar-start time of the last accepted row (−Infinity before the first). */
  lastTs = Number.NEGATIVE_INFINITY;
  lastLine = 0;
  skipped = 0;
  readonly skippedByKind: Partial<Record<SkipKind, number>> = {};
  readonly skippedSamples: SkippedRow[] = [];
  names: ColumnNames = { open: "open", high: "high", low: "low", close: "close", volume: "volume" };

  // Columns in releasable memory (bars.ts): a leg's per-file pieces are copied into the leg's
  // series (assemble-leg.ts) and then released at once (releaseRows), not left to the GC.
  private cap = 0;
  private ts = releasableF64(0);
  private open = releasableF64(0);
  private high = releasableF64(0);
  private low = releasableF64(0);
  private close = releasableF64(0);
  private volume = releasableF64(0);
  /** Line of each row in its file (0 when read without line numbers), to name rows in messages. */
  private lines = releasableI32(0);

  /** Close of the last accepted row of the current contract (NaN: none yet), and its line. */
  private refClose = Number.NaN;
  private refLine = 0;

  constructor(
    readonly file: string,
    readonly fileBarMs: number,
    readonly lenient: boolean,
    /** Largest move from the previous close, as a fraction; null: no limit. */
    readonly maxJump: number | null,
    /** Rows come without line numbers: any bad row throws NeedsLineParse. */
    readonly probe = false,
  ) {}

  /**
   * The next rows belong to another contract (a roll): their prices are not compared with the
   * closes of the one before, whose gap to the new one is real, not a bad bar.
   */
  newContract(): void {
    this.refClose = Number.NaN;
  }

  /** Sizes the columns for about `rows` rows (an estimate; they still grow if needed). */
  reserve(rows: number): void {
    if (rows > this.cap) this.resize(Math.ceil(rows));
  }

  /** A bad row: an error, or in lenient mode a skip counted under `kind`. `excerpt` holds any text
   * quoted from the file (never part of `reason`, so HTTP errors can leave it out). */
  reject(line: number, reason: string, kind: SkipKind = "unreadable field", excerpt?: string): void {
    if (this.probe) throw new NeedsLineParse(this.file);
    if (!this.lenient) throw new DataFileError(this.file, line, reason, { excerpt });
    this.skipped++;
    this.skippedByKind[kind] = (this.skippedByKind[kind] ?? 0) + 1;
    if (this.skippedSamples.length < MAX_SKIPPED_SAMPLES) this.skippedSamples.push({ line, reason, excerpt });
  }

  /** Checks and appends one row (`ts` = bar start, epoch ms UTC); false if it was rejected. */
  add(line: number, ts: number, o: number, h: number, l: number, c: number, v: number): boolean {
    if (!(o > 0 && o < Infinity)) return this.badPrice(line, this.names.open, o);
    if (!(h > 0 && h < Infinity)) return this.badPrice(line, this.names.high, h);
    if (!(l > 0 && l < Infinity)) return this.badPrice(line, this.names.low, l);
    if (!(c > 0 && c < Infinity)) return this.badPrice(line, this.names.close, c);
    if (!(l <= h)) {
      this.reject(line, `high is below low${SKIP_HINT}`, "high below low", `high ${h}, low ${l}`);
      return false;
    }
    // A traded open or close outside its own bar's range is a broken bar, whichever is wrong.
    if (!(l <= o && o <= h) || !(l <= c && c <= h)) {
      const [name, px] = l <= o && o <= h ? ["close", c] : ["open", o];
      this.reject(
        line,
        `${name} is outside the bar's range${SKIP_HINT}`,
        "open or close outside high-low",
        `${name} ${px}, low ${l}, high ${h}`,
      );
      return false;
    }
    if (!(v >= 0 && v < Infinity)) {
      const reason = `${v < 0 ? "negative" : "non-finite"} volume in '${this.names.volume}'`;
      this.reject(line, reason, "bad volume", String(v));
      return false;
    }
    // ts / bar is exact when the bar divides ts, and (ts < 2^53) never rounds to a whole
    // number when it does not; cheaper than a floating-point `%`.
    const q = ts / this.fileBarMs;
    if (Math.floor(q) !== q) {
      this.reject(
        line,
        `bar time is not on the ${fmtMs(this.fileBarMs)} grid of the file's bar length (is the bar length or label set right?)`,
        "time off the bar grid",
        timeText(ts),
      );
      return false;
    }
    if (ts <= this.lastTs) {
      this.reject(
        line,
        ts === this.lastTs
          ? `duplicate timestamp (same bar as line ${this.lastLine})`
          : `timestamp goes backwards (earlier than line ${this.lastLine})`,
        ts === this.lastTs ? "duplicate time" : "time going backwards",
        ts === this.lastTs ? timeText(ts) : `${timeText(ts)} after ${timeText(this.lastTs)}`,
      );
      return false;
    }
    if (this.maxJump !== null && !Number.isNaN(this.refClose)) {
      const far = this.farPrice(h, l, c);
      if (far !== null) {
        const [name, px] = far;
        this.reject(
          line,
          `${name} moves ${fmtMove(px / this.refClose - 1)} from the previous close (line ${this.refLine}), ` +
            `more than data.max_jump = ${this.maxJump} allows ` +
            "(raise it, set it to null to turn the check off, or skip such bars with data.lenient: true)",
          "price jump",
          `${name} ${px}, previous close ${this.refClose}`,
        );
        return false;
      }
    }
    const i = this.n;
    if (i === this.cap) this.resize(Math.max(1024, Math.ceil(this.cap * 1.5)));
    this.ts[i] = ts;
    this.open[i] = o;
    this.high[i] = h;
    this.low[i] = l;
    this.close[i] = c;
    this.volume[i] = v;
    this.lines[i] = line;
    this.n = i + 1;
    this.lastTs = ts;
    this.lastLine = line;
    this.refClose = c;
    this.refLine = line;
    return true;
  }

  /**
   * Appends rows [i0, i1) of these columns for as long as each passes add()'s checks, copying
   * them in bulk rather than row by row (the DuckDB path's 2048-row chunks: a third of its main
   * thread's time per row went to add()). Returns how many rows it took; the first row that
   * fails is left to add(), which raises, skips or counts it with its message. The checks are
   * add()'s own, in its order, without the messages. `line0` is the first row's line (0: none).
   */
  addMany(rows: RowBlock, i0: number, i1: number, line0: number): number {
    const { ts, o, h, l, c, v } = rows;
    const bar = this.fileBarMs;
    const limit = this.maxJump;
    let last = this.lastTs;
    let ref = this.refClose;
    let i = i0;
    for (; i < i1; i++) {
      const oi = o[i]!;
      const hi = h[i]!;
      const li = l[i]!;
      const ci = c[i]!;
      const vi = v[i]!;
      const ti = ts[i]!;
      if (!(oi > 0 && oi < Infinity && hi > 0 && hi < Infinity)) break;
      if (!(li > 0 && li < Infinity && ci > 0 && ci < Infinity)) break;
      if (!(li <= hi) || !(li <= oi && oi <= hi) || !(li <= ci && ci <= hi)) break;
      if (!(vi >= 0 && vi < Infinity)) break;
      const q = ti / bar;
      if (Math.floor(q) !== q || ti <= last) break;
      if (limit !== null && !Number.isNaN(ref)) {
        if (
          Math.abs(ci / ref - 1) > limit ||
          Math.abs(hi / ref - 1) > limit ||
          Math.abs(li / ref - 1) > limit
        ) {
          break;
        }
      }
      last = ti;
      ref = ci;
    }
    const k = i - i0;
    if (k === 0) return 0;
    const n = this.n;
    if (n + k > this.cap) this.resize(Math.max(1024, n + k, Math.ceil(this.cap * 1.5)));
    this.ts.set(ts.subarray(i0, i), n);
    this.open.set(o.subarray(i0, i), n);
    this.high.set(h.subarray(i0, i), n);
    this.low.set(l.subarray(i0, i), n);
    this.close.set(c.subarray(i0, i), n);
    this.volume.set(v.subarray(i0, i), n);
    // rows without lines keep 0: the column's rows past n were never written, so are still 0
    if (line0 !== 0) for (let j = 0; j < k; j++) this.lines[n + j] = line0 + j;
    this.n = n + k;
    this.lastTs = last;
    this.refClose = ref;
    this.lastLine = this.refLine = line0 === 0 ? 0 : line0 + k - 1;
    return k;
  }

  /**
   * The bar's price (the close, else the high, else the low: they bound the open too) that is
   * more than `maxJump` from the previous close, to name in the message; null if none is.
   */
  private farPrice(h: number, l: number, c: number): [string, number] | null {
    const ref = this.refClose;
    const limit = this.maxJump!;
    const beyond = (px: number) => Math.abs(px / ref - 1) > limit;
    if (beyond(c)) return ["close", c];
    if (beyond(h)) return ["high", h];
    if (beyond(l)) return ["low", l];
    return null;
  }

  /** Line of each kept row (valid until the builder changes). */
  rowLines(): Int32Array {
    return this.lines.subarray(0, this.n);
  }

  /**
   * The rows as Bars, in the builder's own (releasable, unshared) memory cut to the row count in
   * place: no copy of what can be a gigabyte. The builder takes no rows after this.
   */
  finish(): Bars {
    const n = this.n;
    this.cap = n;
    this.ts = shrinkColumn(this.ts, n);
    this.open = shrinkColumn(this.open, n);
    this.high = shrinkColumn(this.high, n);
    this.low = shrinkColumn(this.low, n);
    this.close = shrinkColumn(this.close, n);
    this.volume = shrinkColumn(this.volume, n);
    const { ts, open, high, low, close, volume } = this;
    return { ts, open, high, low, close, volume };
  }

  private badPrice(line: number, name: string, value: number): false {
    const reason = `${value > 0 ? "non-finite" : "non-positive"} price in '${name}'`;
    this.reject(line, reason, "bad price", String(value));
    return false;
  }

  private resize(cap: number): void {
    const grow = (a: Float64Array) => {
      const b = releasableF64(cap);
      b.set(a.subarray(0, this.n));
      releaseColumn(a);
      return b;
    };
    this.ts = grow(this.ts);
    this.open = grow(this.open);
    this.high = grow(this.high);
    this.low = grow(this.low);
    this.close = grow(this.close);
    this.volume = grow(this.volume);
    const lines = releasableI32(cap);
    lines.set(this.lines.subarray(0, this.n));
    releaseColumn(this.lines);
    this.lines = lines;
    this.cap = cap;
  }
}

/** A bar time for a message; a missing one (NaN: an empty Parquet field) as such, not a throw. */
function timeText(ts: number): string {
  return Number.isFinite(ts) ? formatUtc(ts) : String(ts);
}

/** A relative move as a signed percentage: `+41.3 %`, `−35.0 %`, `+2.11e+299 %`. */
function fmtMove(fraction: number): string {
  const pct = fraction * 100;
  const text = Math.abs(pct) < 1e4 ? Math.abs(pct).toFixed(1) : Math.abs(pct).toPrecision(3);
  return `${pct < 0 ? "−" : "+"}${text} %`;
}
