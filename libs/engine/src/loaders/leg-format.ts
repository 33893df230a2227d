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
  /**
   * Bar length in the file, ms; null: read it from the data where the format says it (a
   * Databento `rtype`), else the target bar length.
   */
  fileBarMs: number | null;
  /** The spec setting that gives `fileBarMs`, for messages (`data.file_bar_seconds`). */
  fileBarSetting?: string;
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

/** A format whose bar length is known (set, or read from the data). */
export type KnownBarFormat = LegFormat & { fileBarMs: number };

/** `data.max_jump` when not set: no 1-minute or daily futures bar moves 20 % on real data. */
export const DEFAULT_MAX_JUMP = 0.2;

/** The jump limit a load uses: `maxJump`, or the default when it is not given. */
export function maxJumpOf(fmt: LegFormat): number | null {
  return fmt.maxJump === undefined ? DEFAULT_MAX_JUMP : fmt.maxJump;
}

/** `data.roll`: how a leg made of several contracts becomes one series (INTERFACE.md). */
export interface RollSettings {
  /**
   * `volume`: per trading day, the contract that traded most on the day before (the files hold
   * several contracts); `given`: the files are one contract at a time, each taking over at its
   * first bar.
   */
  select: "volume" | "given";
  /** Back-adjust earlier prices at each roll: by the gap (`difference`), by the ratio, or not. */
  adjust: "difference" | "ratio" | "none";
}

/** Where trading days start (the spec's `session`): volume rolls are decided per trading day. */
export interface DaySettings {
  tz: string;
  day_roll: string;
}

export interface LoadLegOptions extends LegFormat {
  targetBarMs: number;
  roll?: RollSettings;
  /** Trading days for `roll.select: volume` and roll reports; default America/New_York, 18:00. */
  days?: DaySettings;
  /** Cache folder; undefined → `defaultCacheDir()`, null → no cache. */
  cacheDir?: string | null;
}

export interface SkippedRow {
  /** The file, when a leg has several. */
  file?: string;
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

/** A change of contract (Databento `instrument_id`) in a leg's series. */
export interface Roll {
  /** Bar start of the new contract's first bar in the series (epoch ms UTC). */
  ts: number;
  /** Its trading day, YYYY-MM-DD. */
  day: string;
  /** Where that bar is: file and line (line 0: read without line numbers, e.g. Parquet). */
  file: string;
  line: number;
  from: string;
  to: string;
  /** `symbol` column values, when the file has one. */
  fromSymbol?: string;
  toSymbol?: string;
  /** New minus old contract's price at the roll, in price points (what `difference` adds). */
  gap: number;
  /** New over old contract's price at the roll (what `ratio` multiplies by). */
  ratio: number;
}

export interface LoadReport {
  /** The leg's path as given (a file, folder or glob). */
  file: string;
  /** Data files read for it. */
  files: number;
  /** Bar length found in (or set for) the files, ms. */
  fileBarMs: number;
  /** Header lines repeated inside files (skipped), and identical rows found in two files (merged). */
  headersRepeated: number;
  duplicatesMerged: number;
  roll: RollSettings | null;
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
  /** sha256 over the files' content hashes, when the cache is on (null otherwise). */
  sha256: string | null;
  fromCache: boolean;
  ms: number;
}

export const MAX_SKIPPED_SAMPLES = 10;

/** Rejects settings that cannot describe a file, before any byte is read. */
export function checkLoadOptions(opts: LoadLegOptions & { fileBarMs: number }): void {
  const { fileBarMs, targetBarMs } = opts;
  const setting = opts.fileBarSetting ?? "data.file_bar_seconds";
  if (!["sierra", "databento", "csv"].includes(opts.format)) {
    throw new InputError(`unknown data format '${opts.format}' (sierra | databento | csv)`, "data.format");
  }
  if (!(Number.isInteger(fileBarMs) && fileBarMs > 0)) {
    throw new InputError(`file bar length must be a positive whole number of ms, got ${fileBarMs}`, setting);
  }
  if (!(Number.isInteger(targetBarMs) && targetBarMs > 0)) {
    throw new InputError(`bar length must be a positive whole number of ms, got ${targetBarMs}`);
  }
  if (fileBarMs > targetBarMs) {
    throw new InputError(
      `bars in file are coarser than bar_minutes (or fast_seconds) asks for: file bars are ${fmtMs(fileBarMs)}, wanted ${fmtMs(targetBarMs)} ` +
        `(check ${setting}, and data.bar_minutes or data.fast_seconds)`,
      setting,
    );
  }
  if (targetBarMs % fileBarMs !== 0) {
    throw new InputError(
      `bar length ${fmtMs(targetBarMs)} is not a whole number of file bars (${fmtMs(fileBarMs)}): cannot resample ` +
        `(check ${setting})`,
      setting,
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
