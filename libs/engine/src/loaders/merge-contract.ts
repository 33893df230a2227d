// One contract's rows from several files as time-ordered, non-overlapping pieces. Files may
// overlap (a day downloaded twice, daily files cut at different hours): a bar present in both
// must be identical and is kept once; bars that differ are an error naming both files and lines.
import { DataFileError } from "../errors.js";
import { allocBars } from "./bars.js";
import { NeedsLineParse } from "./leg-builder.js";
import { type Segment, sliceSegment } from "./leg-parts.js";
import { formatUtc } from "./parse-time.js";

export interface Contract {
  id: string;
  symbol?: string;
  /** Non-overlapping, in time order. */
  pieces: Segment[];
}

/** File of row `i` of a piece (merged pieces hold rows of several files). */
export function fileOfRow(seg: Segment, i: number): string {
  return seg.rowFiles?.[i] ?? seg.file;
}

/** First index of `ts` with a value ≥ `t` (binary search). */
export function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Groups segments by contract and merges each contract's segments; `onDuplicate` counts bars
 * found identical in two files.
 */
export function mergeContracts(segments: Segment[], counts: { duplicates: number }): Contract[] {
  const byId = new Map<string, Segment[]>();
  for (const s of segments) {
    if (s.bars.ts.length === 0) continue;
    const list = byId.get(s.id);
    if (list) list.push(s);
    else byId.set(s.id, [s]);
  }
  const out: Contract[] = [];
  for (const [id, list] of byId) {
    list.sort((x, y) => x.bars.ts[0]! - y.bars.ts[0]!);
    const pieces: Segment[] = [];
    for (const seg of list) addPiece(pieces, seg, counts);
    const symbol = list.find((s) => s.symbol !== undefined)?.symbol;
    out.push({ id, ...(symbol === undefined ? {} : { symbol }), pieces });
  }
  return out;
}

/**
 * Appends `seg` (whose first bar is not before the last piece's first bar) to `pieces`. Only the
 * last piece can overlap it: the overlapping rows of both are merged into a new piece, and the
 * rest of `seg` follows as a view (no copy of what does not overlap).
 */
function addPiece(pieces: Segment[], seg: Segment, counts: { duplicates: number }): void {
  const last = pieces[pieces.length - 1];
  const lastTs = last === undefined ? Number.NEGATIVE_INFINITY : last.bars.ts[last.bars.ts.length - 1]!;
  if (last === undefined || seg.bars.ts[0]! > lastTs) {
    pieces.push(seg);
    return;
  }
  const k = lowerBound(last.bars.ts, seg.bars.ts[0]!);
  const m = lowerBound(seg.bars.ts, lastTs + 0.5);
  const x = sliceSegment(last, k, last.bars.ts.length);
  const y = sliceSegment(seg, 0, m);
  pieces.pop();
  if (k > 0) pieces.push(sliceSegment(last, 0, k));
  pieces.push(mergeTwo(x, y, counts));
  if (m < seg.bars.ts.length) pieces.push(sliceSegment(seg, m, seg.bars.ts.length));
}

function mergeTwo(x: Segment, y: Segment, counts: { duplicates: number }): Segment {
  const a = x.bars;
  const b = y.bars;
  const nx = a.ts.length;
  const ny = b.ts.length;
  const out = allocBars(nx + ny);
  const lines = new Int32Array(nx + ny);
  const rowFiles: string[] = [];
  let i = 0;
  let j = 0;
  let n = 0;
  const take = (from: Segment, r: number) => {
    const s = from.bars;
    out.ts[n] = s.ts[r]!;
    out.open[n] = s.open[r]!;
    out.high[n] = s.high[r]!;
    out.low[n] = s.low[r]!;
    out.close[n] = s.close[r]!;
    out.volume[n] = s.volume[r]!;
    lines[n] = from.lines === null ? 0 : from.lines[r]!;
    rowFiles.push(fileOfRow(from, r));
    n++;
  };
  while (i < nx || j < ny) {
    if (j >= ny || (i < nx && a.ts[i]! < b.ts[j]!)) take(x, i++);
    else if (i >= nx || b.ts[j]! < a.ts[i]!) take(y, j++);
    else {
      const same =
        a.open[i] === b.open[j] &&
        a.high[i] === b.high[j] &&
        a.low[i] === b.low[j] &&
        a.close[i] === b.close[j] &&
        a.volume[i] === b.volume[j];
      if (!same) {
        if (y.lines === null) throw new NeedsLineParse(fileOfRow(y, j));
        if (x.lines === null) throw new NeedsLineParse(fileOfRow(x, i));
        throw new DataFileError(
          fileOfRow(y, j),
          y.lines[j]!,
          `bar differs from the same bar (same contract and time) in ${fileOfRow(x, i)} line ${x.lines[i]}: ` +
            "files that overlap must agree",
          {
            excerpt: `${formatUtc(b.ts[j]!)}: o/h/l/c/v ${b.open[j]}/${b.high[j]}/${b.low[j]}/${b.close[j]}/${b.volume[j]} vs ${a.open[i]}/${a.high[i]}/${a.low[i]}/${a.close[i]}/${a.volume[i]}`,
          },
        );
      }
      counts.duplicates++;
      take(x, i++);
      j++;
    }
  }
  const merged: Segment = {
    file: x.file,
    id: x.id,
    ...(x.symbol === undefined ? {} : { symbol: x.symbol }),
    bars: out,
    lines,
    rowFiles,
  };
  return sliceSegment(merged, 0, n);
}
