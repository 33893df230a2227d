// A job's fold statistics and the result columns the robustness analysis needs, read into flat
// typed arrays ordered by combo_id (then fold). Column vectors chunk by chunk, never row objects:
// a job of 1e6 combinations × 16 folds is 16e6 fold rows.
import { type DuckDBConnection, type DuckDBDataChunk, type DuckDBResult, VARCHAR } from "@duckdb/node-api";
import { type FoldMatrix, InputError, makeFoldMatrix, PARAM_NAMES } from "@pairgrid/engine";
import { ident, tableColumnNames } from "./schema.js";

export interface FoldStats {
  jobId: string;
  /** Rows (combinations with a result), in combo_id order. */
  nRows: number;
  comboIds: Float64Array;
  /** nRows × PARAM_NAMES.length, row-major, NaN = NULL. */
  params: Float64Array;
  /** Full-sample statistics of each row (results table), NaN = NULL. */
  sharpe: Float64Array;
  dsr: Float64Array;
  totalPnl: Float64Array;
  nTrades: Float64Array;
  /** same_as of each row (twin-groups.ts), NaN = NULL (its group's first row, or no twin). */
  sameAs: Float64Array;
  /** results_folds, one row per combination in the same order; nFolds 0 when the job has none. */
  folds: FoldMatrix;
}

/**
 * Streams a query's chunks to `take(chunk, firstRow)`, which copies the columns it wants with
 * copyColumn: a tight loop per column vector, no per-value callback or row object.
 */
async function eachChunk(result: DuckDBResult, take: (chunk: DuckDBDataChunk, firstRow: number) => void) {
  let row = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    take(chunk, row);
    row += chunk.rowCount;
  }
}

/** Column c of the chunk (a DOUBLE in the query) into out[at + r·stride], NULL as NaN. */
function copyColumn(
  chunk: DuckDBDataChunk,
  c: number,
  out: Float64Array | Int32Array,
  at: number,
  stride = 1,
): void {
  const vector = chunk.getColumnVector(c);
  for (let r = 0, n = chunk.rowCount; r < n; r++) {
    const v = vector.getItem(r) as number | null;
    out[at + r * stride] = v === null ? Number.NaN : v;
  }
}

async function countsOf(conn: DuckDBConnection, jobId: string) {
  const reader = await conn.runAndReadAll(
    "SELECT (SELECT count(*) FROM results WHERE job_id = $1)::BIGINT, " +
      "count(*)::BIGINT, coalesce(max(fold) + 1, 0)::INTEGER, coalesce(min(fold), 0)::INTEGER " +
      "FROM results_folds WHERE job_id = $1",
    [jobId],
    [VARCHAR],
  );
  const [nRows, nFoldRows, nFolds, minFold] = reader.getRowsJS()[0]!.map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return { nRows, nFoldRows, nFolds, minFold };
}

/**
 * Reads job `jobId` (which must exist). Every result row must have folds 0 … F−1 (ingest writes a
 * chunk's rows and folds in one transaction, so anything else is a damaged file): an InputError
 * says so rather than analysing a partial picture.
 */
export async function readFoldStats(conn: DuckDBConnection, jobId: string): Promise<FoldStats> {
  const { nRows, nFoldRows, nFolds, minFold } = await countsOf(conn, jobId);
  if (nFoldRows !== nRows * nFolds || minFold !== 0) {
    throw new InputError(
      `job ${jobId}: ${nRows} result rows but ${nFoldRows} fold rows ` +
        `(folds ${minFold} … ${nFolds - 1}); the results file is incomplete or damaged`,
    );
  }
  const P = PARAM_NAMES.length;
  const comboIds = new Float64Array(nRows);
  const params = new Float64Array(nRows * P);
  const stats = [0, 1, 2, 3].map(() => new Float64Array(nRows)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const sameAs = new Float64Array(nRows).fill(Number.NaN);
  // a file opened read-only before a writer added same_as has none: no row is a twin
  const hasSameAs = (await tableColumnNames(conn, "results")).includes("same_as");
  const results = await conn.run(
    `SELECT combo_id::DOUBLE, sharpe, dsr, total_pnl, n_trades::DOUBLE, ` +
      `${hasSameAs ? "same_as::DOUBLE" : "NULL::DOUBLE"}, ` +
      `${PARAM_NAMES.map((p) => `${ident(p)}::DOUBLE`).join(", ")} ` +
      "FROM results WHERE job_id = $1 ORDER BY combo_id",
    [jobId],
    [VARCHAR],
  );
  await eachChunk(results, (chunk, at) => {
    copyColumn(chunk, 0, comboIds, at);
    for (let k = 0; k < 4; k++) copyColumn(chunk, 1 + k, stats[k]!, at);
    copyColumn(chunk, 5, sameAs, at);
    for (let j = 0; j < P; j++) copyColumn(chunk, 6 + j, params, at * P + j, P);
  });

  const folds = makeFoldMatrix(nRows, nFolds);
  const foldRows = await conn.run(
    "SELECT combo_id::DOUBLE, fold::DOUBLE, n_trades::DOUBLE, pnl, pnl_sq, n_days::DOUBLE " +
      "FROM results_folds WHERE job_id = $1 ORDER BY combo_id, fold",
    [jobId],
    [VARCHAR],
  );
  // with the counts checked above, the i-th fold row in (combo_id, fold) order is row-major cell
  // i = row·F + fold; the combo id and fold of each are checked on the way all the same
  let ids = new Float64Array(0);
  let foldNo = new Float64Array(0);
  await eachChunk(foldRows, (chunk, at) => {
    if (ids.length < chunk.rowCount) {
      ids = new Float64Array(chunk.rowCount);
      foldNo = new Float64Array(chunk.rowCount);
    }
    copyColumn(chunk, 0, ids, 0);
    copyColumn(chunk, 1, foldNo, 0);
    for (let r = 0; r < chunk.rowCount; r++) {
      const i = at + r;
      const row = Math.floor(i / nFolds);
      if (ids[r] !== comboIds[row] || foldNo[r] !== i - row * nFolds) throw damaged(jobId, comboIds[row]!);
    }
    copyColumn(chunk, 2, folds.nTrades, at);
    copyColumn(chunk, 3, folds.pnl, at);
    copyColumn(chunk, 4, folds.pnlSq, at);
    copyColumn(chunk, 5, folds.nDays, at);
  });
  const [sharpe, dsr, totalPnl, nTrades] = stats;
  return { jobId, nRows, comboIds, params, sharpe, dsr, totalPnl, nTrades, sameAs, folds };
}

const damaged = (jobId: string, comboId: number) =>
  new InputError(`job ${jobId}: fold rows of combination ${comboId} do not match its result row`);
