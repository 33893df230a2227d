// Deflated Sharpe Ratio for every row of a job (ENGINE.md §7), in memory that does not hold the
// job. DSR needs all N rows for one figure only, sr0 (the best Sharpe N unskilled trials would
// show; engine dsrBenchmark), which depends on the Sharpe column alone; each row's DSR is then a
// function of that row and sr0. So: read the Sharpes into one array in combo_id order (8 bytes a
// row: 200 MB at 25 M rows, where reading five columns and writing them back through a temp table
// and a join held ~1 GB), compute sr0, and let DuckDB apply the row function in one UPDATE through
// a scalar function (the engine's deflatedSharpeOfRow, chunk by chunk: no temp table, no join).
// The numbers are deflatedSharpeColumns' over the rows in combo_id order, bit for bit.
import {
  DOUBLE,
  type DuckDBConnection,
  type DuckDBDataChunk,
  DuckDBScalarFunction,
  type DuckDBVector,
  VARCHAR,
} from "@duckdb/node-api";
import { deflatedSharpeOfRow, dsrBenchmark } from "@pairgrid/engine";

const SQRT_252 = Math.sqrt(252);
/** Ids spread wider than this many times the rows are read sorted instead of placed by id. */
const MAX_ID_SPREAD = 4;

const num = (v: unknown) => (v === null || v === undefined ? Number.NaN : Number(v));

/**
 * The job's Sharpes in combo_id order, NaN for NULL and for ids without a row (both skipped by
 * dsrBenchmark, so its sums run over the same values in the same order). Rows arrive unsorted and
 * are placed by id when the ids are dense enough (a grid's are: 0 … n_combos − 1 minus what §10
 * rules out); otherwise DuckDB sorts them (spilling to disk past its memory limit).
 */
async function sharpesInIdOrder(conn: DuckDBConnection, jobId: string, lo: number, hi: number, n: number) {
  const dense = hi - lo + 1 <= MAX_ID_SPREAD * n;
  const out = new Float64Array(dense ? hi - lo + 1 : n).fill(Number.NaN);
  const result = await conn.stream(
    `SELECT combo_id::DOUBLE, sharpe FROM results WHERE job_id = $1${dense ? "" : " ORDER BY combo_id"}`,
    [jobId],
    [VARCHAR],
  );
  let at = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const ids = chunk.getColumnVector(0);
    const sharpe = chunk.getColumnVector(1);
    for (let r = 0; r < chunk.rowCount; r++, at++) {
      if (at >= n) throw new Error(`job ${jobId}: rows were added while DSR was computed`);
      out[dense ? num(ids.getItem(r)) - lo : at] = num(sharpe.getItem(r));
    }
  }
  return out;
}

const DSR_FUNCTION = "pairgrid_row_dsr";
const registered = new WeakSet<DuckDBConnection>();

/** pairgrid_row_dsr(sharpe, n_days, skew, kurtosis, sr0): deflatedSharpeOfRow, NULL for NaN. */
function registerDsrFunction(conn: DuckDBConnection): void {
  if (registered.has(conn)) return;
  conn.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: DSR_FUNCTION,
      mainFunction: (_info, input: DuckDBDataChunk, output: DuckDBVector) => {
        const [sharpe, nDays, skew, kurtosis, sr0] = [0, 1, 2, 3, 4].map((c) => input.getColumnVector(c));
        for (let r = 0; r < input.rowCount; r++) {
          const dsr = deflatedSharpeOfRow(
            num(sharpe!.getItem(r)) / SQRT_252,
            num(nDays!.getItem(r)),
            num(skew!.getItem(r)),
            num(kurtosis!.getItem(r)),
            num(sr0!.getItem(r)),
          );
          output.setItem(r, Number.isNaN(dsr) ? null : dsr);
        }
        output.flush();
      },
      returnType: DOUBLE,
      // a NULL argument makes the result NULL without a call: what deflatedSharpeOfRow gives too
      parameterTypes: [DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE],
    }),
  );
  registered.add(conn);
}

/** Computes and stores `results.dsr` for every row of the job, in one transaction. */
export async function finalizeJobDsr(conn: DuckDBConnection, jobId: string): Promise<number> {
  await conn.run("BEGIN TRANSACTION");
  try {
    const [n, lo, hi] = (
      await conn.runAndReadAll(
        "SELECT count(*)::DOUBLE, coalesce(min(combo_id), 0)::DOUBLE, coalesce(max(combo_id), -1)::DOUBLE " +
          "FROM results WHERE job_id = $1",
        [jobId],
        [VARCHAR],
      )
    )
      .getRowsJS()[0]!
      .map(num) as [number, number, number];
    const sr0 = n > 0 ? dsrBenchmark(await sharpesInIdOrder(conn, jobId, lo, hi, n), n) : Number.NaN;
    registerDsrFunction(conn);
    // every row is rewritten, NULL included, so a re-finalize after more rows leaves nothing stale
    if (Number.isNaN(sr0)) {
      await conn.run("UPDATE results SET dsr = NULL WHERE job_id = $1", [jobId], [VARCHAR]);
    } else {
      await conn.run(
        `UPDATE results SET dsr = ${DSR_FUNCTION}(sharpe, n_days::DOUBLE, skew, kurtosis, $2) WHERE job_id = $1`,
        [jobId, sr0],
        [VARCHAR, DOUBLE],
      );
    }
    await conn.run("COMMIT");
    return n;
  } catch (err) {
    await conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  }
}
