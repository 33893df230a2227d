// What reading one data file gives: its rows as one or more single-contract segments (at the
// file's bar length, not yet resampled), with where each row came from, and counts for the report.
import { BAR_COLUMNS, type Bars, releaseColumn } from "./bars.js";
import type { SkipKind, SkippedRow } from "./leg-format.js";

/** Rows of one contract from one file, in time order. */
export interface Segment {
  file: string;
  /** Contract: Databento `instrument_id`; "" for formats without one. */
  id: string;
  symbol?: string;
  bars: Bars;
  /** Line of each row in the file; null when read without line numbers (DuckDB, Parquet). */
  lines: Int32Array | null;
  /** File of each row, when it differs by row (rows merged from overlapping files). */
  rowFiles?: string[];
}

export interface FileStats {
  rowsRead: number;
  skipped: number;
  skippedByKind: Partial<Record<SkipKind, number>>;
  skippedSamples: SkippedRow[];
  zeroVolumeDropped: number;
  headersRepeated: number;
}

export interface FileRead {
  segments: Segment[];
  stats: FileStats;
}

/** Rows of `seg` in [i0, i1) as a segment of their own (views, no copy). */
export function sliceSegment(seg: Segment, i0: number, i1: number): Segment {
  const b = seg.bars;
  return {
    ...seg,
    bars: {
      ts: b.ts.subarray(i0, i1),
      open: b.open.subarray(i0, i1),
      high: b.high.subarray(i0, i1),
      low: b.low.subarray(i0, i1),
      close: b.close.subarray(i0, i1),
      volume: b.volume.subarray(i0, i1),
    },
    lines: seg.lines === null ? null : seg.lines.subarray(i0, i1),
    ...(seg.rowFiles === undefined ? {} : { rowFiles: seg.rowFiles.slice(i0, i1) }),
  };
}

/** Removes rows with zero volume in place (filler rows of closed minutes); returns the rest. */
export function dropZeroVolume(seg: Segment): { seg: Segment; dropped: number } {
  const { ts, open, high, low, close, volume } = seg.bars;
  const lines = seg.lines;
  const n = ts.length;
  let w = 0;
  for (let r = 0; r < n; r++) {
    if (volume[r] === 0) continue;
    if (w !== r) {
      ts[w] = ts[r];
      open[w] = open[r];
      high[w] = high[r];
      low[w] = low[r];
      close[w] = close[r];
      volume[w] = volume[r];
      if (lines !== null) lines[w] = lines[r];
    }
    w++;
  }
  return { seg: sliceSegment(seg, 0, w), dropped: n - w };
}

/**
 * Hands the memory of files' rows back to the system once the leg has been built from them (a
 * copy, assemble-leg.ts): gigabytes for years of 1-second files, which would otherwise stay
 * until the garbage collector runs, on top of the next leg and the aligned pair. Only
 * releasable columns (LegBuilder's) are affected; the reads must not be used after this.
 */
export function releaseReads(reads: FileRead[]): void {
  for (const r of reads) {
    for (const seg of r.segments) {
      for (const c of BAR_COLUMNS) releaseColumn(seg.bars[c]);
      if (seg.lines !== null) releaseColumn(seg.lines);
    }
  }
}
