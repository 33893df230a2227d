// Loading one leg (a file, a folder of daily files or a glob) with the columnar cache in front
// of the parse. The cache is keyed by the files' CONTENT (sha256 each) and the settings, so a
// renamed or copied file still hits and an edited one never does; a stat memo spares re-hashing
// unchanged files on every run. A miss reads every file (Databento ones through DuckDB,
// duckdb-databento.ts, the rest with the line parser), merges them per contract, picks and
// back-adjusts contracts at rolls (assemble-leg.ts) and resamples.
import { createHash } from "node:crypto";
import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DataFileError } from "../errors.js";
import { DEFAULT_DAYS, assembleLeg } from "./assemble-leg.js";
import { BAR_COLUMNS, type BarColumn, type Bars, sharedColumns } from "./bars.js";
import { defaultCacheDir } from "./cache-dir.js";
import { cacheKey } from "./cache-key.js";
import { type CachedStats, readCacheColumns, type SomeBars, writeCacheEntry } from "./column-cache.js";
import { RTYPE_BAR_MS } from "./databento-csv.js";
import { firstRtype, readDatabentoFast, readDatabentoFiles } from "./duckdb-databento.js";
import { fileKind } from "./file-kind.js";
import { hashFile } from "./file-hash.js";
import { NeedsLineParse } from "./leg-builder.js";
import { listLegFiles } from "./leg-files.js";
import {
  checkLoadOptions,
  type LoadLegOptions,
  type LoadReport,
  MAX_SKIPPED_SAMPLES,
  type SkipKind,
} from "./leg-format.js";
import { type FileRead, releaseReads } from "./leg-parts.js";
import { lowerBound, mergeContracts } from "./merge-contract.js";
import { type FileOptions, parseTextFile } from "./parse-text-file.js";
import { resampleBars } from "./resample.js";
import { type HashToRemember, recallHashes, rememberHashes } from "./stat-memo.js";

/** Files read at once: DuckDB reads one while JavaScript checks the rows of another. */
const READ_CONCURRENCY = 2;

/** A file-system error (ENOENT, EACCES, EISDIR…) while reading `file`, as bad input about it. */
function unreadable(file: string, e: unknown): DataFileError {
  const code = (e as NodeJS.ErrnoException).code ?? "error";
  return new DataFileError(file, 0, `cannot read data file (${code === "ENOENT" ? "no such file" : code})`);
}

const isFsError = (e: unknown) =>
  e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === "string";

async function statData(file: string): Promise<Stats> {
  let st: Stats;
  try {
    st = await stat(file);
  } catch (e) {
    throw unreadable(file, e);
  }
  if (!st.isFile()) throw new DataFileError(file, 0, "not a regular file");
  return st;
}

function unchanged(a: Stats, b: Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.ctimeMs === b.ctimeMs;
}

/**
 * Bars of one leg at `opts.targetBarMs`, plus a report of the load. `path` is a file, a folder
 * or a glob. Bad settings throw InputError; bad data throws DataFileError (`file:line: reason`)
 * unless `lenient`.
 */
export async function loadLeg(
  path: string,
  opts: LoadLegOptions,
): Promise<{ bars: Bars; report: LoadReport }> {
  return loadLegColumns(path, opts, BAR_COLUMNS);
}

/**
 * `loadLeg` for callers that use some columns only (the hybrid engines: ts and close). A parse
 * still reads and checks every column, but assembles and caches just these when it need not
 * resample; a cache hit reads just these (column-cache.ts). For years of 1-second bars that is a
 * third of the bytes and of the memory (a cold W8 load: 40 → 29 s, peak RSS 4.2 → 2.9 GB).
 */
export async function loadLegColumns<C extends BarColumn>(
  path: string,
  opts: LoadLegOptions,
  columns: readonly ["ts", ...C[]],
): Promise<{ bars: SomeBars<C | "ts">; report: LoadReport }> {
  const t0 = performance.now();
  // settings first, before any byte is read (the bar length from the data is checked later)
  checkLoadOptions({ ...opts, fileBarMs: opts.fileBarMs ?? opts.targetBarMs });
  const files = await listLegFiles(path);
  const stats = await Promise.all(files.map(statData));
  const cacheDir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
  const report = (
    s: CachedStats,
    bars: { ts: Float64Array },
    sha256: string | null,
    fromCache: boolean,
  ): LoadReport => ({
    file: path,
    files: s.files,
    fileBarMs: s.fileBarMs,
    rowsRead: s.rowsRead,
    bars: bars.ts.length,
    skipped: s.skipped,
    skippedByKind: s.skippedByKind,
    skippedSamples: s.skippedSamples,
    headersRepeated: s.headersRepeated,
    duplicatesMerged: s.duplicatesMerged,
    roll: opts.roll ?? null,
    rolls: s.rolls,
    zeroVolumeDropped: s.zeroVolumeDropped,
    sha256,
    fromCache,
    ms: performance.now() - t0,
  });
  const parse = async () => {
    try {
      return await parseFiles(path, files, stats, opts, columns);
    } catch (e) {
      const file = e instanceof Error && "path" in e ? String((e as NodeJS.ErrnoException).path) : path;
      throw isFsError(e) ? unreadable(file, e) : e;
    }
  };
  if (cacheDir === null) {
    const { bars, stats: s, release } = await parse();
    release();
    return { bars: keepColumns(bars, columns), report: report(s, bars, null, false) };
  }

  const hashes = await hashFiles(files, stats, cacheDir);
  if (hashes === null) {
    // a line too long to parse: the parse names it (file:line), uncached
    const { bars, stats: s, release } = await parse();
    release();
    return { bars: keepColumns(bars, columns), report: report(s, bars, null, false) };
  }
  const key = cacheKey(hashes.length === 1 ? hashes[0]! : hashes, opts);
  // the content's hash: the file's own, or one over the files' hashes in order
  const content =
    hashes.length === 1 ? hashes[0]! : createHash("sha256").update(hashes.join(",")).digest("hex");
  const hit = await readCacheColumns(cacheDir, key, columns);
  if (hit) return { bars: hit.bars, report: report(hit.stats, hit.bars, content, true) };

  const { bars, stats: s, release } = await parse();
  // A file rewritten while we read it no longer matches its hash: do not cache what was parsed.
  const after = await Promise.all(files.map((f) => stat(f).catch(() => null)));
  if (after.every((st, k) => st !== null && unchanged(stats[k]!, st))) {
    // the thread pool writes the entry while this thread hands the files' rows back
    const writing = writeCacheEntry(cacheDir, key, bars, s).catch(() => undefined);
    release();
    await writing;
    return { bars: keepColumns(bars, columns), report: report(s, bars, content, false) };
  }
  release();
  return { bars: keepColumns(bars, columns), report: report(s, bars, null, false) };
}

/** Files hashed at once: each one's reads wait on the disk while another is hashed. */
const HASH_CONCURRENCY = 4;

/**
 * The sha256 of each file, from the stat memo where it knows the file unchanged; null as soon as
 * one holds a line too long to parse. The memo is read once and written once for the whole leg
 * (hundreds of daily files), and only when every file was hashed.
 */
async function hashFiles(files: string[], stats: Stats[], cacheDir: string): Promise<string[] | null> {
  const abs = files.map((f) => resolve(f));
  const known = await recallHashes(
    cacheDir,
    abs.map((absPath, k) => ({ absPath, st: stats[k]! })),
  );
  const hashes: (string | null)[] = files.map((_, k) => known[k] ?? null);
  const learned: HashToRemember[] = [];
  const todo = files.flatMap((_, k) => (hashes[k] === null ? [k] : []));
  let next = 0;
  let tooLong = false;
  const hasher = async () => {
    while (next < todo.length && !tooLong) {
      const k = todo[next++]!;
      const started = Date.now();
      const sha = await hashFile(files[k]!, undefined, fileKind(files[k]!) === "text").catch((e: unknown) => {
        throw isFsError(e) ? unreadable(files[k]!, e) : e;
      });
      if (sha === null) tooLong = true;
      else {
        hashes[k] = sha;
        learned.push({ absPath: abs[k]!, st: stats[k]!, sha256: sha, hashStartedAt: started });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, todo.length) }, hasher));
  if (tooLong) return null;
  // The memo only saves time: failing to write it (read-only cache folder) is not an error.
  await rememberHashes(cacheDir, learned).catch(() => undefined);
  return hashes as string[];
}

/**
 * The asked columns of freshly parsed bars, copied out of the parse's one buffer so that the
 * others are freed now rather than held while the caller loads more: for ts and close, two thirds
 * of a leg (≈ 1 GB per leg of 3 years of 1-second bars) during the fast pair's other leg.
 */
function keepColumns<C extends BarColumn>(bars: SomeBars<BarColumn>, columns: readonly C[]): SomeBars<C> {
  // bars of just these columns (assembled so, or all six asked): nothing to copy
  if (BAR_COLUMNS.every((c) => (bars[c] !== undefined) === (columns as readonly BarColumn[]).includes(c))) {
    return bars as SomeBars<C>;
  }
  const out = sharedColumns(columns.length, bars.ts.length);
  const kept = {} as Record<C, Float64Array>;
  columns.forEach((c, k) => {
    out[k]!.set(bars[c]!);
    kept[c] = out[k]!;
  });
  return kept;
}

/** The bar length of the files: as set, else from a Databento file's rtype, else the target's. */
async function fileBarMsOf(files: string[], opts: LoadLegOptions): Promise<number> {
  if (opts.fileBarMs !== null) return opts.fileBarMs;
  if (opts.format === "databento") {
    const rtype = await firstRtype(files[0]!);
    const known = rtype === null ? undefined : RTYPE_BAR_MS[rtype];
    if (known) return known[1];
  }
  return opts.targetBarMs;
}

async function readFile(
  file: string,
  opts: FileOptions,
  size: number,
  exact: boolean,
  rowsHint = 0,
): Promise<FileRead> {
  if (opts.format === "databento" && !exact) {
    try {
      const fast = await readDatabentoFast(file, opts, rowsHint);
      if (fast !== null) return fast;
    } catch (e) {
      if (!(e instanceof NeedsLineParse)) throw e;
    }
  }
  if (fileKind(file) === "parquet") {
    throw new DataFileError(
      file,
      0,
      `Parquet files are read for format databento only (data.format is ${opts.format})`,
    );
  }
  return parseTextFile(file, opts, size);
}

/** Line of contract `id`'s bar at `ts` in a file read by the line parser (0 if absent). */
function lineOfBar(read: FileRead, id: string, ts: number): number {
  for (const seg of read.segments) {
    if (seg.id !== id || seg.lines === null) continue;
    const i = lowerBound(seg.bars.ts, ts);
    if (i < seg.bars.ts.length && seg.bars.ts[i] === ts) return seg.lines[i]!;
  }
  return 0;
}

/**
 * Reads, merges and assembles a leg's files. Bars at the files' own bar length hold the asked
 * `columns` only (all six are read and checked either way); bars to resample hold all six.
 */
async function parseFiles(
  path: string,
  files: string[],
  stats: Stats[],
  opts: LoadLegOptions,
  columns: readonly BarColumn[],
): Promise<{ bars: SomeBars<BarColumn>; stats: CachedStats; release: () => void }> {
  const fileBarMs = await fileBarMsOf(files, opts);
  const fopts: FileOptions = { ...opts, fileBarMs };
  checkLoadOptions(fopts);
  // Databento files: DuckDB reads a leg's files in a few queries, several files at once; the
  // files it could not take (null) are read one by one below, which names any bad line.
  const many = opts.format === "databento" ? await readDatabentoFiles(files, fopts) : [];
  const reads: FileRead[] = files.map((_, k) => many[k] ?? (undefined as unknown as FileRead));
  const rest = files.flatMap((_, k) => (many[k] ? [] : [k]));
  let next = 0;
  const worker = async () => {
    let rows = 0; // the last file's: daily files of one leg are alike in size
    while (next < rest.length) {
      const k = rest[next++]!;
      reads[k] = await readFile(files[k]!, fopts, stats[k]!.size, false, rows);
      rows = reads[k]!.stats.rowsRead;
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, rest.length) }, worker));

  // overlapping files that disagree are named by line: files read without lines are read again
  let counts: { duplicates: number };
  let contracts;
  for (;;) {
    try {
      counts = { duplicates: 0 };
      contracts = mergeContracts(
        reads.flatMap((r) => r.segments),
        counts,
      );
      break;
    } catch (e) {
      if (!(e instanceof NeedsLineParse)) throw e;
      const k = files.indexOf(e.file);
      if (k < 0 || reads[k]!.segments.every((s) => s.lines !== null)) throw e;
      reads[k] = await readFile(files[k]!, fopts, stats[k]!.size, true);
    }
  }
  if (contracts.length === 0) {
    throw new DataFileError(
      path,
      0,
      "no bars with volume: every row has zero volume (data.drop_zero_volume)",
    );
  }
  const resample = opts.targetBarMs !== fileBarMs;
  const { bars: raw, rolls } = assembleLeg(
    contracts,
    fileBarMs,
    opts.roll,
    opts.days ?? DEFAULT_DAYS,
    resample ? BAR_COLUMNS : columns,
  );
  // DuckDB gives no line numbers: a roll's line is found by reading its file line by line
  for (const roll of rolls) {
    const k = files.indexOf(roll.file);
    if (roll.line === 0 && k >= 0 && fileKind(roll.file) !== "parquet") {
      const read = await parseTextFile(roll.file, fopts, stats[k]!.size);
      roll.line = lineOfBar(read, roll.to, roll.ts);
      releaseReads([read]);
    }
  }
  const bars = resample ? resampleBars(raw as Bars, fileBarMs, opts.targetBarMs) : raw;

  const skippedByKind: Partial<Record<SkipKind, number>> = {};
  for (const r of reads) {
    for (const [kind, n] of Object.entries(r.stats.skippedByKind) as [SkipKind, number][]) {
      skippedByKind[kind] = (skippedByKind[kind] ?? 0) + n;
    }
  }
  const sum = (f: (r: FileRead) => number) => reads.reduce((n, r) => n + f(r), 0);
  // one file: samples as the file gave them (no file name needed)
  const samples = reads.flatMap((r) => r.stats.skippedSamples).slice(0, MAX_SKIPPED_SAMPLES);
  if (files.length === 1) for (const s of samples) delete s.file;
  return {
    bars,
    // the files' rows now live in `raw` (a copy): the caller hands their memory back, before the
    // next leg loads
    release: () => releaseReads(reads),
    stats: {
      rowsRead: sum((r) => r.stats.rowsRead),
      skipped: sum((r) => r.stats.skipped),
      skippedByKind,
      skippedSamples: samples,
      rolls,
      zeroVolumeDropped: sum((r) => r.stats.zeroVolumeDropped),
      files: files.length,
      fileBarMs,
      headersRepeated: sum((r) => r.stats.headersRepeated),
      duplicatesMerged: counts.duplicates,
    },
  };
}
