// Exactly-once ingest of chunks. The appender writes through its connection's open transaction
// (DuckDB docs, "Appender": it "will use the transaction context of that connection"), so a
// chunk's results rows, fold rows, ledger row and n_done bump either all commit or, after a
// ROLLBACK, none exist. Constraint errors (a duplicate combo id) surface when the appender flushes.
import { type DuckDBConnection, type DuckDBPreparedStatement, listValue } from "@duckdb/node-api";
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
import {
  appendColumns,
  closeAppender,
  type ColumnSource,
  discardAppender,
  nanToNull,
} from "./column-append.js";
import type { FoldLayout } from "./schema.js";

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

const NULL_SOURCE: ColumnSource = () => null;

function resultSources(jobId: string, batch: ChunkBatch): Map<string, ColumnSource> {
  const { comboIds, params, stats } = batch;
  const nParams = PARAM_NAMES.length;
  const sources = new Map<string, ColumnSource>([
    ["job_id", () => jobId],
    ["combo_id", (r) => BigInt(comboIds[r]!)],
  ]);
  PARAM_NAMES.forEach((name, j) => sources.set(name, (r) => nanToNull(params[r * nParams + j]!)));
  STAT_NAMES.forEach((name, j) => sources.set(name, (r) => nanToNull(stats[r * N_STATS + j]!)));
  return sources; // dsr, same_as (and any column this engine does not know) stay NULL
}

/** The fold-list columns of `results` (schema.ts FOLD_LIST_COLUMNS): row r's folds in fold order. */
function foldListSources(batch: ChunkBatch): [string, ColumnSource][] {
  const { folds, nFolds } = batch;
  const field =
    (offset: number): ColumnSource =>
    (r) => {
      const items = new Array<number | null>(nFolds);
      for (let f = 0, at = r * nFolds * FOLD_WIDTH + offset; f < nFolds; f++, at += FOLD_WIDTH) {
        items[f] = nanToNull(folds[at]!);
      }
      return listValue(items);
    };
  return [
    ["fold_n_trades", field(FOLD_N_TRADES)],
    ["fold_pnl", field(FOLD_PNL)],
    ["fold_pnl_sq", field(FOLD_PNL_SQ)],
    ["fold_n_days", field(FOLD_N_DAYS)],
  ];
}

function foldSources(jobId: string, batch: ChunkBatch): Map<string, ColumnSource> {
  const { comboIds, folds, nFolds } = batch;
  const field =
    (offset: number): ColumnSource =>
    (i) =>
      nanToNull(folds[i * FOLD_WIDTH + offset]!);
  // fold row i is combination ⌊i / nFolds⌋, fold i mod nFolds (the batch's layout)
  return new Map<string, ColumnSource>([
    ["job_id", () => jobId],
    ["combo_id", (i) => BigInt(comboIds[Math.floor(i / nFolds)]!)],
    ["fold", (i) => i % nFolds],
    ["n_trades", field(FOLD_N_TRADES)],
    ["pnl", field(FOLD_PNL)],
    ["pnl_sq", field(FOLD_PNL_SQ)],
    ["n_days", field(FOLD_N_DAYS)],
  ]);
}

/** Appends several chunks' rows to one table through one appender, flushed once. */
async function appendToTable(
  conn: DuckDBConnection,
  table: string,
  columns: readonly string[],
  parts: readonly { sources: Map<string, ColumnSource>; nRows: number }[],
): Promise<void> {
  if (parts.every((p) => p.nRows === 0)) return;
  const appender = await conn.createAppender(table);
  try {
    // the appender knows the exact storage types, including columns added by a later migration
    const types = columns.map((_, c) => appender.columnType(c));
    for (const { sources, nRows } of parts) {
      const ordered = columns.map((name) => sources.get(name) ?? NULL_SOURCE);
      appendColumns(appender, types, ordered, nRows);
    }
  } catch (err) {
    discardAppender(appender);
    throw err;
  }
  closeAppender(appender); // flushes: constraint violations are raised here
}

/**
 * The three small statements every ingest runs, prepared once per connection: preparing them on
 * every call cost about as much as running them.
 */
export class LedgerStatements {
  private constructor(
    private readonly state: DuckDBPreparedStatement,
    private readonly insert: DuckDBPreparedStatement,
    private readonly bump: DuckDBPreparedStatement,
  ) {}

  static async prepare(conn: DuckDBConnection): Promise<LedgerStatements> {
    return new LedgerStatements(
      await conn.prepare(
        "SELECT (SELECT count(*) FROM jobs WHERE job_id = $1)::INTEGER, " +
          "(SELECT count(*) FROM chunks WHERE job_id = $1 AND chunk_id = $2)::INTEGER",
      ),
      await conn.prepare("INSERT INTO chunks (job_id, chunk_id, n_rows) VALUES ($1, $2, $3)"),
      await conn.prepare("UPDATE jobs SET n_done = n_done + $2 WHERE job_id = $1"),
    );
  }

  /** Whether the job exists and whether this chunk is already in the ledger, in one round trip. */
  async lookup(jobId: string, chunkId: number) {
    this.state.bindVarchar(1, jobId);
    this.state.bindInteger(2, chunkId);
    const [jobs, chunks] = (await this.state.runAndReadAll()).getRowsJS()[0]!;
    return { jobExists: jobs === 1, alreadyIngested: chunks === 1 };
  }

  /** The ledger row and the progress counter of one ingested chunk. */
  async record(jobId: string, chunkId: number, nRows: number): Promise<void> {
    this.insert.bindVarchar(1, jobId);
    this.insert.bindInteger(2, chunkId);
    this.insert.bindInteger(3, nRows);
    await this.insert.run();
    this.bump.bindVarchar(1, jobId);
    this.bump.bindBigInt(2, BigInt(nRows));
    await this.bump.run();
  }

  destroy(): void {
    for (const statement of [this.state, this.insert, this.bump]) statement.destroySync();
  }
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
    const seen = new Set<string>();
    const written: boolean[] = [];
    for (const c of chunks) {
      const state = await ledger.lookup(c.jobId, c.chunkId);
      if (!state.jobExists) throw new InputError(`unknown job '${c.jobId}'`);
      const key = `${c.jobId}\u0000${c.chunkId}`;
      written.push(!state.alreadyIngested && !seen.has(key));
      seen.add(key);
    }
    const toWrite = chunks.filter((_, i) => written[i]);
    const lists = layouts.folds === "lists";
    const rowSources = (c: PendingChunk) => {
      const sources = resultSources(c.jobId, c.batch);
      if (lists) for (const [name, source] of foldListSources(c.batch)) sources.set(name, source);
      return sources;
    };
    await appendToTable(
      conn,
      "results",
      layouts.results,
      toWrite.map((c) => ({ sources: rowSources(c), nRows: c.nRows })),
    );
    await hooks.afterResultRows?.();
    if (!lists) {
      await appendToTable(
        conn,
        "results_folds",
        layouts.results_folds,
        toWrite.map((c) => ({ sources: foldSources(c.jobId, c.batch), nRows: c.nRows * c.batch.nFolds })),
      );
    }
    for (const c of toWrite) await ledger.record(c.jobId, c.chunkId, c.nRows);
    await conn.run(toWrite.length > 0 ? "COMMIT" : "ROLLBACK");
    return written;
  } catch (err) {
    // after a failed statement DuckDB refuses everything but ROLLBACK ("Current transaction is
    // aborted"); a failed COMMIT has already rolled back, so a second error here is expected
    await conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  }
}
