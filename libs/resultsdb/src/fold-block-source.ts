// A job's fold statistics as a stream of blocks (engine robustness/fold-blocks.ts), so the
// robustness report never holds the whole fold matrix: one DuckDB vector (2048 rows) at a time,
// each pass a streaming query (conn.stream: DuckDB does not materialise the result). The rows
// come in scan order, not combo_id order (sorting 25 M rows of lists would cost more than the
// analysis); every streamed figure breaks ties by combo id instead.
import {
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBListVector,
  type DuckDBVector,
  VARCHAR,
} from "@duckdb/node-api";
import { endianness } from "node:os";
import { type FoldBlockSource, type FoldMatrix, InputError } from "@pairgrid/engine";
import type { FoldLayout } from "./schema.js";

export interface FoldShape {
  /** Rows each pass reads: the job's rows, or with twinsOnce its first rows (same_as NULL). */
  nRows: number;
  nFolds: number;
  /** Every row of the job, twins included. */
  nAllRows: number;
  /** Twins (INTERFACE.md same_as) count once: a pass reads only each group's first row. */
  twinsOnce: boolean;
}

const num = (v: unknown) => Number(v ?? 0);

/** The error of a results file whose fold statistics are missing or malformed for the job. */
const damagedFile = (jobId: string, what: string) =>
  new InputError(`job ${jobId}: ${what}; the results file is incomplete or damaged`);

/**
 * Rows of the job, the rows the passes read (`twinsOnce`: each twin group's first row, same_as
 * NULL) and the fold count, after checking that every row has folds 0 … F−1 (as readFoldStats
 * does): anything else is a damaged file, and an InputError says so. In the list layout this reads
 * only fold_pnl's and fold_n_trades' lengths (0.8 s at 25 M rows, where checking all four lists
 * here took 1.7–5 s): the block source checks the other two lists of each row it reads as the
 * first pass reads them (listColumn), before any figure is reported.
 */
export async function foldShape(
  conn: DuckDBConnection,
  jobId: string,
  layout: FoldLayout,
  twinsOnce: boolean,
): Promise<FoldShape> {
  const firstRows = twinsOnce ? "count(*) FILTER (WHERE same_as IS NULL)" : "count(*)";
  if (layout === "table") {
    const r = (
      await conn.runAndReadAll(
        "SELECT (SELECT count(*) FROM results WHERE job_id = $1)::BIGINT, count(*)::BIGINT, " +
          "coalesce(max(fold) + 1, 0)::INTEGER, coalesce(min(fold), 0)::INTEGER, " +
          `(SELECT ${firstRows} FROM results WHERE job_id = $1)::BIGINT ` +
          "FROM results_folds WHERE job_id = $1",
        [jobId],
        [VARCHAR],
      )
    ).getRowsJS()[0]!;
    const [nAllRows, nFoldRows, nFolds, minFold, nRows] = r.map(num) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (nFoldRows !== nAllRows * nFolds || minFold !== 0)
      throw incomplete(jobId, nAllRows, nFoldRows, minFold, nFolds);
    return { nRows, nFolds, nAllRows, twinsOnce };
  }
  // lists: every fold_pnl and fold_n_trades non-NULL and of one length F (fold_n_trades here: no
  // pass reads it, robustnessStreamed reads only the chosen rows'; the other two: listColumn)
  const lengths = (c: string, as: string) =>
    `count(${c})::BIGINT AS ${as}_lists, coalesce(min(len(${c})), 0)::BIGINT AS ${as}_shortest, ` +
    `coalesce(max(len(${c})), 0)::BIGINT AS ${as}_longest`;
  const o = (
    await conn.runAndReadAll(
      `SELECT count(*)::BIGINT AS n_rows, ${firstRows}::BIGINT AS n_first, ${lengths("fold_pnl", "pnl")}, ` +
        `${lengths("fold_n_trades", "trades")} FROM results WHERE job_id = $1`,
      [jobId],
      [VARCHAR],
    )
  ).getRowObjectsJS()[0]!;
  const nRows = num(o.n_rows);
  const [nLists, shortest, nFolds] = [num(o.pnl_lists), num(o.pnl_shortest), num(o.pnl_longest)];
  const [nTradeLists, fewestTrades, mostTrades] = [
    num(o.trades_lists),
    num(o.trades_shortest),
    num(o.trades_longest),
  ];
  if (nLists !== nRows || shortest !== nFolds) {
    throw damagedFile(
      jobId,
      `${nRows} result rows, ${nLists} with fold lists, of ${shortest} to ${nFolds} folds`,
    );
  }
  if (nTradeLists !== nRows || fewestTrades !== nFolds || mostTrades !== nFolds) {
    throw damagedFile(
      jobId,
      `${nRows} result rows, ${nTradeLists} with fold trade counts, of ${fewestTrades} to ${mostTrades} folds, not ${nFolds}`,
    );
  }
  return { nRows: num(o.n_first), nFolds, nAllRows: nRows, twinsOnce };
}

const incomplete = (jobId: string, nRows: number, nFoldRows: number, minFold: number, nFolds: number) =>
  damagedFile(jobId, `${nRows} result rows but ${nFoldRows} fold rows (folds ${minFold} … ${nFolds - 1})`);

/**
 * The query whose columns are combo_id and the four fold lists (n_trades, pnl, pnl_sq, n_days),
 * over the job's rows (with `twinsOnce`, each twin group's first row) or, with `ids`, only those
 * combo ids (filtered on the table's own column, so DuckDB skips straight to them).
 * Without `trades` (lists layout) the n_trades column is NULL: a quarter less to read and copy.
 */
function foldListsSql(
  layout: FoldLayout,
  trades: boolean,
  which: { ids: readonly number[] } | { twinsOnce: boolean },
): string {
  let rows = "job_id = $1";
  if ("ids" in which) rows += ` AND combo_id IN (${which.ids.join(", ")})`;
  else if (which.twinsOnce && layout === "lists") rows += " AND same_as IS NULL";
  else if (which.twinsOnce)
    rows += " AND combo_id IN (SELECT combo_id FROM results WHERE job_id = $1 AND same_as IS NULL)";
  if (layout === "lists") {
    return (
      `SELECT combo_id::DOUBLE, ${trades ? "fold_n_trades::INTEGER[]" : "NULL::INTEGER[]"}, ` +
      `fold_pnl::DOUBLE[], fold_pnl_sq::DOUBLE[], fold_n_days::INTEGER[] FROM results WHERE ${rows}`
    );
  }
  // the older layout: fold rows gathered per combination (NULLs as readFoldStats reads them)
  return (
    "SELECT combo_id::DOUBLE, list(coalesce(n_trades, 0)::INTEGER ORDER BY fold), " +
    "list(coalesce(pnl, 'NaN'::DOUBLE) ORDER BY fold), list(coalesce(pnl_sq, 'NaN'::DOUBLE) ORDER BY fold), " +
    `list(coalesce(n_days, 0)::INTEGER ORDER BY fold) FROM results_folds WHERE ${rows} GROUP BY combo_id`
  );
}

/**
 * The flat values behind a vector. @duckdb/node-api keeps them in a typed array (`items`) that its
 * types do not expose; reading it is one view instead of a getItem call per value (1.6e9 calls at
 * 25 M rows × 16 folds × 4). Guarded: a version without it falls back to getItem, and NULL
 * elements cannot occur (ingest writes numbers; listColumn rejects NULL lists; the older layout's
 * NULLs are coalesced above).
 */
function flatValues<T extends Float64Array | Int32Array>(
  vector: DuckDBVector,
  kind: { new (n: number): T },
  n: number,
): T {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof kind && items.length >= n) return items as T;
  const out = new kind(n);
  for (let i = 0; i < n; i++) out[i] = Number(vector.getItem(i) ?? Number.NaN);
  return out;
}

const littleEndian = endianness() === "LE";

/**
 * A list vector's (offset, length) entries as 32-bit words, low word first, or null. The bindings
 * keep them in a BigUint64Array (`entryData`, not in their types) and getEntryOffset reads one
 * BigInt per call: at 25 M rows × 4 lists × 2 per pass, those BigInts were a tenth of the
 * robustness report's CPU, most of it garbage collection. Guarded like flatValues.
 */
function entryWords(list: DuckDBListVector): Uint32Array | null {
  const entries = (list as unknown as { entryData?: unknown }).entryData;
  if (!littleEndian || !(entries instanceof BigUint64Array)) return null;
  return new Uint32Array(entries.buffer, entries.byteOffset, entries.length * 2);
}

/** Whether rows 0 … n−1 of the list are F elements each, back to back from `first`. */
export function isContiguous(list: DuckDBListVector, n: number, F: number, first: number): boolean {
  const w = entryWords(list);
  if (w === null || w.length < 4 * n) {
    for (let r = 0; r < n; r++) {
      if (list.getEntryOffset(r) !== first + r * F || list.getEntryLength(r) !== F) return false;
    }
    return true;
  }
  // offset and length below 2^32: high words 0
  for (let r = 0, i = 0; r < n; r++, i += 4) {
    if (w[i] !== first + r * F || w[i + 1] !== 0 || w[i + 2] !== F || w[i + 3] !== 0) return false;
  }
  return true;
}

/** Whether any of the vector's first n rows is NULL (its validity mask; none when DuckDB left it out). */
export function hasNull(vector: DuckDBVector, n: number): boolean {
  const validity = (
    vector as unknown as { validity?: { data?: unknown; itemValid?: (i: number) => boolean } }
  ).validity;
  const words = validity?.data;
  if (words instanceof BigUint64Array) {
    for (let w = 0; w * 64 < n; w++) {
      const bits = Math.min(64, n - w * 64);
      const mask = bits === 64 ? 0xffff_ffff_ffff_ffffn : (1n << BigInt(bits)) - 1n;
      if ((words[w]! & mask) !== mask) return true;
    }
    return false;
  }
  if (validity?.data === null) return false;
  for (let r = 0; r < n; r++) if (vector.getItem(r) === null) return true;
  return false;
}

/**
 * Row r's list elements are child[r·F … r·F + F) of the block (a view when DuckDB laid them so).
 * A NULL list, or one of another length, is a damaged file: `damaged` names the job.
 */
function listColumn<T extends Float64Array | Int32Array>(
  chunk: DuckDBDataChunk,
  c: number,
  F: number,
  kind: { new (n: number): T },
  scratch: T,
  damaged: (what: string) => Error,
): T {
  const list = chunk.getColumnVector(c) as DuckDBListVector;
  const n = chunk.rowCount;
  if (hasNull(list, n)) throw damaged("a row without fold statistics (a NULL list)");
  const child = list.childVector;
  const first = n > 0 ? list.getEntryOffset(0) : 0;
  const values = flatValues(child, kind, first + n * F);
  if (isContiguous(list, n, F, first)) return values.subarray(first, first + n * F) as T;
  for (let r = 0; r < n; r++) {
    if (list.getEntryLength(r) !== F)
      throw damaged(`a row whose fold list has ${list.getEntryLength(r)} folds, not ${F}`);
    const at = list.getEntryOffset(r);
    scratch.set(values.subarray(at, at + F), r * F);
  }
  return scratch.subarray(0, n * F) as T;
}

/** Each call is one pass over the job's rows, in blocks of one DuckDB vector. */
export function foldBlockSource(
  conn: DuckDBConnection,
  jobId: string,
  layout: FoldLayout,
  shape: FoldShape,
): FoldBlockSource {
  const F = shape.nFolds;
  const damaged = (what: string) => damagedFile(jobId, what);
  return async (visit, opts = {}) => {
    const trades = opts.trades ?? true;
    const result = await conn.stream(foldListsSql(layout, trades, shape), [jobId], [VARCHAR]);
    let ids = new Float64Array(0);
    let scratch: { pnl: Float64Array; pnlSq: Float64Array; nDays: Int32Array; nTrades: Int32Array } | null =
      null;
    let seen = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      if (ids.length < n) {
        ids = new Float64Array(n);
        scratch = {
          pnl: new Float64Array(n * F),
          pnlSq: new Float64Array(n * F),
          nDays: new Int32Array(n * F),
          nTrades: new Int32Array(n * F),
        };
      }
      const idValues = flatValues(chunk.getColumnVector(0), Float64Array, n);
      ids.set(idValues.subarray(0, n));
      const m: FoldMatrix = {
        nRows: n,
        nFolds: F,
        // without trades: the scratch's zeros (never written when trades is false)
        nTrades:
          trades || layout !== "lists"
            ? listColumn(chunk, 1, F, Int32Array, scratch!.nTrades, damaged)
            : scratch!.nTrades.subarray(0, n * F),
        pnl: listColumn(chunk, 2, F, Float64Array, scratch!.pnl, damaged),
        pnlSq: listColumn(chunk, 3, F, Float64Array, scratch!.pnlSq, damaged),
        nDays: listColumn(chunk, 4, F, Int32Array, scratch!.nDays, damaged),
      };
      await visit({ m, ids: ids.subarray(0, n) });
      seen += n;
    }
    // a row added or lost between the shape check and this pass would skew every rank
    if (seen !== shape.nRows) {
      throw new InputError(
        `job ${jobId}: ${seen} rows streamed, ${shape.nRows} counted; rows changed meanwhile`,
      );
    }
  };
}

/**
 * The fold trade counts of a few rows by combo id (walk-forward's chosen rows, after a first pass
 * that left every row's counts unread): a row missing, or with another fold count, is a damaged file.
 */
export async function foldTradesOf(
  conn: DuckDBConnection,
  jobId: string,
  layout: FoldLayout,
  nFolds: number,
  ids: readonly number[],
): Promise<(id: number) => Int32Array> {
  const byId = new Map<number, Int32Array>();
  const wanted = [...new Set(ids)];
  if (wanted.length > 0) {
    // the passes' own query (either layout), for these rows: column 1 holds the trade counts
    const reader = await conn.runAndReadAll(foldListsSql(layout, true, { ids: wanted }), [jobId], [VARCHAR]);
    for (const row of reader.getRowsJS()) {
      const counts = (row[1] as (number | null)[] | null) ?? [];
      if (counts.length !== nFolds || counts.some((c) => c === null))
        throw damagedFile(jobId, `row ${String(row[0])}'s fold trade counts are missing or not ${nFolds}`);
      byId.set(Number(row[0]), Int32Array.from(counts as number[]));
    }
  }
  return (id) => {
    const counts = byId.get(id);
    if (counts === undefined) throw damagedFile(jobId, `row ${id} was streamed but cannot be read back`);
    return counts;
  };
}
