// Loading one leg with the columnar cache in front of the parser. The cache is keyed by the
// file's CONTENT (sha256) and the parse settings, so a renamed or copied file still hits and an
// edited one never does; a stat memo spares re-hashing an unchanged file on every run.
import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DataFileError } from "../errors.js";
import type { Bars } from "./bars.js";
import { defaultCacheDir } from "./cache-dir.js";
import { cacheKey } from "./cache-key.js";
import { type CachedStats, readCacheEntry, writeCacheEntry } from "./column-cache.js";
import { hashFile } from "./file-hash.js";
import { checkLoadOptions, type LoadLegOptions, type LoadReport } from "./leg-format.js";
import { parseLeg } from "./parse-leg.js";
import { recallHash, rememberHash } from "./stat-memo.js";

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

/**
 * `loadLeg` with file-system failures (no read permission, file removed meanwhile) reported as a
 * DataFileError naming the file, not Node's message (which quotes the absolute path) nor a crash.
 */
async function readingFile<T>(file: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw isFsError(e) ? unreadable(file, e) : e;
  }
}

function unchanged(a: Stats, b: Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.ctimeMs === b.ctimeMs;
}

/**
 * Bars of one leg at `opts.targetBarMs`, plus a report of the load. Bad settings throw
 * InputError; bad data throws DataFileError (`file:line: reason`) unless `lenient`.
 */
export async function loadLeg(
  file: string,
  opts: LoadLegOptions,
): Promise<{ bars: Bars; report: LoadReport }> {
  return readingFile(file, loadLegFrom(file, opts));
}

async function loadLegFrom(file: string, opts: LoadLegOptions): Promise<{ bars: Bars; report: LoadReport }> {
  const t0 = performance.now();
  checkLoadOptions(opts);
  const st = await statData(file);
  const cacheDir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
  const report = (stats: CachedStats, bars: Bars, sha256: string | null, fromCache: boolean): LoadReport => ({
    file,
    rowsRead: stats.rowsRead,
    bars: bars.ts.length,
    skipped: stats.skipped,
    skippedByKind: stats.skippedByKind,
    skippedSamples: stats.skippedSamples,
    rolls: stats.rolls,
    zeroVolumeDropped: stats.zeroVolumeDropped,
    sha256,
    fromCache,
    ms: performance.now() - t0,
  });

  if (cacheDir === null) {
    const { bars, stats } = await parseLeg(file, opts, st.size);
    return { bars, report: report(stats, bars, null, false) };
  }

  const abs = resolve(file);
  let sha = await recallHash(cacheDir, abs, st);
  if (sha === null) {
    const started = Date.now();
    sha = await hashFile(file);
    // null: a line too long to parse. The parse names it (file:line), uncached.
    if (sha === null) {
      const { bars, stats } = await parseLeg(file, opts, st.size);
      return { bars, report: report(stats, bars, null, false) };
    }
    // The memo only saves time: failing to write it (read-only cache folder) is not an error.
    await rememberHash(cacheDir, abs, st, sha, started).catch(() => undefined);
  }
  const key = cacheKey(sha, opts);
  const hit = await readCacheEntry(cacheDir, key);
  if (hit) return { bars: hit.bars, report: report(hit.stats, hit.bars, sha, true) };

  const { bars, stats } = await parseLeg(file, opts, st.size);
  // A file rewritten while we read it no longer matches the hash: do not cache what was parsed.
  const after = await stat(file).catch(() => null);
  if (after && unchanged(st, after)) {
    await writeCacheEntry(cacheDir, key, bars, stats).catch(() => undefined);
    return { bars, report: report(stats, bars, sha, false) };
  }
  return { bars, report: report(stats, bars, null, false) };
}
