// Exactly-once ingest of chunks. The appender writes through its connection's open transaction
// (DuckDB docs, "Appender": it "will use the transaction context of that connection"), so a
// chunk's results rows, fold rows, ledger row and n_done bump either all commit or, after a
// ROLLBACK, none exist. Constraint errors (a duplicate combo id) surface when the appender flushes.
import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api";
import {
  FOLD_N_DAYS,
  FOLD_N_TRADES,
  FOLD_PNL,
  FOLD_PNL_SQ,
  FOLD_WIDTH,
  InputError,
  N_STATS,
  PARAM_NAMES,
  STAT_NAMES,
} from "@pairgrid/engine";
import { batchRowCount, type ChunkBatch } from "./chunk-batch.js";
import type { LedgerStatements } from "./chunk-ledger.js";
import { closeAppender, discardAppender } from "./column-append.js";
import type { FoldLayout } from "./schema.js";
import {
  appendFilled,
  bigintColumn,
  type ColumnFill,
  constantText,
  intColumn,
  listColumn,
  nullColumn,
  numberColumn,
} from "./typed-columns.js";

/** Storage order of the appended tables and where folds go, read once when the file is opened. */
export interface TableLayouts {
  results: readonly string[];
  /** Columns of the results_folds table; empty when it is a view over lists in `results`. */
  results_folds: readonly string[];
  folds: FoldLayout;
}

/** Test seam: lets a test throw between the steps of one ingest transaction. */
export interface IngestHooks {
  afterResultRows?: () => void | Promise<void>;
}

/** How to fill one column of a table, given its storage type (a column without one stays NULL). */
type FillFor = (type: DuckDBType, column: string) => ColumnFill;

/** The fold fields in the order of a row's FOLD_WIDTH values, by their name in each layout. */
const FOLD_FIELDS: readonly { list: string; row: string; offset: number }[] = [
  { list: "fold_n_trades", row: "n_trades", offset: FOLD_N_TRADES },
  { list: "fold_pnl", row: "pnl", offset: FOLD_PNL },
  { list: "fold_pnl_sq", row: "pnl_sq", offset: FOLD_PNL_SQ },
  { list: "fold_n_days", row: "n_days", offset: FOLD_N_DAYS },
];

/** The `results` columns of one chunk (with the fold lists when the file keeps folds in rows). */
function resultFills(jobId: string, batch: ChunkBatch, lists: boolean): Map<string, FillFor> {
  const { comboIds, params, stats, folds, nFolds } = batch;
  const fills = new Map<string, FillFor>([
    ["job_id", (t, c) => constantText(t, c, jobId)],
    ["combo_id", (t, c) => bigintColumn(t, c, (r) => comboIds[r]!)],
  ]);
  const nParams = PARAM_NAMES.length;
  PARAM_NAMES.forEach((name, j) =>
    fills.set(name, (t, c) => numberColumn(t, c, { data: params, stride: nParams, offset: j })),
  );
  STAT_NAMES.forEach((name, j) =>
    fills.set(name, (t, c) => numberColumn(t, c, { data: stats, stride: N_STATS, offset: j })),
  );
  if (lists) {
    for (const f of FOLD_FIELDS) {
      fills.set(f.list, (t, c) => listColumn(t, c, folds, nFolds, FOLD_WIDTH, f.offset));
    }
  }
  return fills; // dsr, same_as (and any column this engine does not know) stay NULL
}

/** A chunk's `results_folds` table rows (files made before issue 19): row i = combination ⌊i / nFolds⌋, fold i mod nFolds. */
function foldRowFills(jobId: string, batch: ChunkBatch): Map<string, FillFor> {
  const { comboIds, folds, nFolds } = batch;
  const fills = new Map<string, FillFor>([
    ["job_id", (t, c) => constantText(t, c, jobId)],
    ["combo_id", (t, c) => bigintColumn(t, c, (i) => comboIds[Math.floor(i / nFolds)]!)],
    ["fold", (t, c) => intColumn(t, c, (i) => i % nFolds)],
  ]);
  for (const f of FOLD_FIELDS) {
    fills.set(f.row, (t, c) => numberColumn(t, c, { data: folds, stride: FOLD_WIDTH, offset: f.offset }));
  }
  return fills;
}

/** Appends several chunks' rows to one table through one appender, flushed once. */
async function appendToTable(
  conn: DuckDBConnection,
  table: string,
  columns: readonly string[],
  parts: readonly { fills: Map<string, FillFor>; nRows: number }[],
): Promise<void> {
  if (parts.every((p) => p.nRows === 0)) return;
  const appender = await conn.createAppender(table);
  try {
    // the appender knows the exact storage types, including columns added by a later migration
    const types = columns.map((_, c) => appender.columnType(c));
    for (const { fills, nRows } of parts) {
      const ordered = columns.map((name, c) => fills.get(name)?.(types[c]!, name) ?? nullColumn);
      appendFilled(appender, types, ordered, nRows);
    }
  } catch (err) {
    discardAppender(appender);
    throw err;
  }
  closeAppender(appender); // flushes: constraint violations are raised here
}

/** A chunk to write, its batch already checked (`batchRowCount`). */
export interface PendingChunk {
  jobId: string;
  chunkId: number;
  batch: ChunkBatch;
  nRows: number;
}

/** Checks a chunk's ids and batch shape; throws before anything is queued or written. */
export function checkedChunk(jobId: string, chunkId: number, batch: ChunkBatch): PendingChunk {
  if (!Number.isInteger(chunkId) || chunkId < 0 || chunkId > 0x7fffffff) {
    throw new RangeError(`chunk id must be a non-negative 32-bit integer, got ${chunkId}`);
  }
  return { jobId, chunkId, batch, nRows: batchRowCount(batch) };
}

/** Chunks by job, in order of first appearance (a group usually holds one job's chunks). */
function byJob(chunks: readonly PendingChunk[]): Map<string, PendingChunk[]> {
  const jobs = new Map<string, PendingChunk[]>();
  for (const c of chunks) {
    const of = jobs.get(c.jobId);
    if (of) of.push(c);
    else jobs.set(c.jobId, [c]);
  }
  return jobs;
}

/**
 * Per chunk, whether it is to be written: not in the ledger, and not an earlier chunk of the same
 * list (a chunk delivered twice in one group). Throws for a chunk of an unknown job.
 */
async function unwritten(ledger: LedgerStatements, chunks: readonly PendingChunk[]): Promise<boolean[]> {
  const stored = new Map<string, Set<number>>();
  for (const [jobId, of] of byJob(chunks)) {
    const state = await ledger.lookup(
      jobId,
      of.map((c) => c.chunkId),
    );
    if (!state.jobExists) throw new InputError(`unknown job '${jobId}'`);
    stored.set(jobId, state.stored);
  }
  return chunks.map((c) => {
    const ids = stored.get(c.jobId)!;
    if (ids.has(c.chunkId)) return false;
    ids.add(c.chunkId);
    return true;
  });
}

/**
 * Writes chunks in ONE transaction, each with its ledger row, so each is exactly-once: a chunk
 * already in the ledger (or earlier in the same list) is skipped and reported false. Any failure
 * rolls everything back and throws; the caller may retry the chunks one by one to isolate it.
 * The caller serializes calls on `conn` (one transaction at a time per connection).
 */
export async function ingestChunksAtomically(
  conn: DuckDBConnection,
  layouts: TableLayouts,
  ledger: LedgerStatements,
  chunks: readonly PendingChunk[],
  hooks: IngestHooks = {},
): Promise<boolean[]> {
  await conn.run("BEGIN TRANSACTION");
  try {
    const written = await unwritten(ledger, chunks);
    const toWrite = chunks.filter((_, i) => written[i]);
    const lists = layouts.folds === "lists";
    await appendToTable(
      conn,
      "results",
      layouts.results,
      toWrite.map((c) => ({ fills: resultFills(c.jobId, c.batch, lists), nRows: c.nRows })),
    );
    await hooks.afterResultRows?.();
    if (!lists) {
      await appendToTable(
        conn,
        "results_folds",
        layouts.results_folds,
        toWrite.map((c) => ({ fills: foldRowFills(c.jobId, c.batch), nRows: c.nRows * c.batch.nFolds })),
      );
    }
    for (const [jobId, of] of byJob(toWrite)) await ledger.record(jobId, of);
    await conn.run(toWrite.length > 0 ? "COMMIT" : "ROLLBACK");
    return written;
  } catch (err) {
    // after a failed statement DuckDB refuses everything but ROLLBACK ("Current transaction is
    // aborted"); a failed COMMIT has already rolled back, so a second error here is expected
    await conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  }
}
