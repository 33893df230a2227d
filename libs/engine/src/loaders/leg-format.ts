// Settings that say how to read one leg's file, and the report of a load.
import { InputError } from "../errors.js";
import { TimeZone } from "../calendar/tz.js";

export interface CsvColumns {
  timestamp?: string;
  date?: string;
  time?: string;
  open?: string;
  high?: string;
  low?: string;
  close: string;
  volume?: string;
}

export interface LegFormat {
  format: "sierra" | "databento" | "csv";
  /** Time zone of local times in the file (sierra, csv); unused for databento (UTC). */
  tz: string;
  /** A row's time is its bar's start (Sierra, Databento) or end (e.g. the ES/NQ 2015 files). */
  label: "start" | "end";
  /** Bar length in the file, ms. Bar lengths come from settings, never inferred. */
  fileBarMs: number;
  /** csv only (sierra and databento are ","). */
  delimiter: string;
  /** csv only: `timestamp`, or `date` + `time`; `close` required. */
  columns?: CsvColumns;
  /** Drop rows with volume 0 before resampling (filler rows of closed minutes). */
  dropZeroVolume: boolean;
  /** Skip bad rows instead of failing, and report them. */
  lenient: boolean;
  /**
   * Largest move of a bar's prices from the previous accepted close of the same contract, as a
   * fraction (0.2 = 20 %); null turns the check off; undefined means DEFAULT_MAX_JUMP.
   */
  maxJump?: number | null;
}

/** `data.max_jump` when not set: no 1-minute or daily futures bar moves 20 % on real data. */
export const DEFAULT_MAX_JUMP = 0.2;

/** The jump limit a load uses: `maxJump`, or the default when it is not given. */
export function maxJumpOf(fmt: LegFormat): number | null {
  return fmt.maxJump === undefined ? DEFAULT_MAX_JUMP : fmt.maxJump;
}

export interface LoadLegOptions extends LegFormat {
  targetBarMs: number;
  /** Cache folder; undefined → `defaultCacheDir()`, null → no cache. */
  cacheDir?: string | null;
}

export interface SkippedRow {
  line: number;
  /** What is wrong (no text from the file: see DataFileError). */
  reason: string;
  /** The offending text or value, for the CLI's report. */
  excerpt?: string;
}

/** Why a row was skipped (lenient mode): the report counts skipped rows per kind. */
export const SKIP_KINDS = [
  "unreadable field",
  "too few fields",
  "bad price",
  "bad volume",
  "high below low",
  "open or close outside high-low",
  "price jump",
  "time off the bar grid",
  "duplicate time",
  "time going backwards",
  "time in a DST gap",
  "interleaved instruments",
] as const;
export type SkipKind = (typeof SKIP_KINDS)[number];

/** A change of Databento `instrument_id` (a contract roll) at the row on `line`. */
export interface Roll {
  ts: number;
  line: number;
  from: string;
  to: string;
  /** `symbol` column values, when the file has one. */
  fromSymbol?: string;
  toSymbol?: string;
}

export interface LoadReport {
  file: string;
  /** Data rows read (non-blank lines after the header), skipped ones included. */
  rowsRead: number;
  /** Bars returned (after dropping zero-volume rows and resampling). */
  bars: number;
  skipped: number;
  /** Skipped rows per kind (only kinds that occurred); the counts add up to `skipped`. */
  skippedByKind: Partial<Record<SkipKind, number>>;
  /** The first few (≤ 10) skipped rows. */
  skippedSamples: SkippedRow[];
  rolls: Roll[];
  /** Valid rows dropped for zero volume (`dropZeroVolume`). */
  zeroVolumeDropped: number;
  /** sha256 of the file's bytes, when the cache is on (null otherwise). */
  sha256: string | null;
  fromCache: boolean;
  ms: number;
}

export const MAX_SKIPPED_SAMPLES = 10;

/** Rejects settings that cannot describe a file, before any byte is read. */
export function checkLoadOptions(opts: LoadLegOptions): void {
  const { fileBarMs, targetBarMs } = opts;
  if (!["sierra", "databento", "csv"].includes(opts.format)) {
    throw new InputError(`unknown data format '${opts.format}' (sierra | databento | csv)`, "data.format");
  }
  if (!(Number.isInteger(fileBarMs) && fileBarMs > 0)) {
    throw new InputError(`file bar length must be a positive whole number of ms, got ${fileBarMs}`);
  }
  if (!(Number.isInteger(targetBarMs) && targetBarMs > 0)) {
    throw new InputError(`bar length must be a positive whole number of ms, got ${targetBarMs}`);
  }
  if (fileBarMs > targetBarMs) {
    throw new InputError(
      `bars in file are coarser than bar_minutes: file bars are ${fmtMs(fileBarMs)}, wanted ${fmtMs(targetBarMs)}`,
    );
  }
  if (targetBarMs % fileBarMs !== 0) {
    throw new InputError(
      `bar length ${fmtMs(targetBarMs)} is not a whole number of file bars (${fmtMs(fileBarMs)}): cannot resample`,
    );
  }
  const maxJump = maxJumpOf(opts);
  if (maxJump !== null && !(typeof maxJump === "number" && maxJump > 0 && maxJump < Infinity)) {
    throw new InputError(
      `max_jump must be a positive fraction (0.2 = 20 %) or null, got ${String(maxJump)}`,
      "data.max_jump",
    );
  }
  if (opts.label !== "start" && opts.label !== "end") {
    throw new InputError(`label must be 'start' or 'end', got '${opts.label}'`, "data.label");
  }
  if (opts.format !== "databento") TimeZone.of(opts.tz, "data.tz");
  if (opts.format === "csv") {
    if (
      typeof opts.delimiter !== "string" ||
      opts.delimiter.length !== 1 ||
      opts.delimiter.charCodeAt(0) > 127
    ) {
      throw new InputError(
        `delimiter must be a single ASCII character, got '${opts.delimiter}'`,
        "data.delimiter",
      );
    }
    const c = opts.columns;
    if (c) {
      if (c.timestamp !== undefined && (c.date !== undefined || c.time !== undefined)) {
        throw new InputError("columns: give either timestamp or date + time, not both", "data.columns");
      }
      if ((c.date === undefined) !== (c.time === undefined)) {
        throw new InputError("columns: date and time go together", "data.columns");
      }
      if (!c.close) throw new InputError("columns: close is required", "data.columns.close");
    }
  }
}

/** `60 s`, `5 min`, `1 h`, `250 ms`: bar lengths in messages. */
export function fmtMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
