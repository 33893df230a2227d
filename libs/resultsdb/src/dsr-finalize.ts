// Deflated Sharpe Ratio for every row of a job (ENGINE.md §7). It depends on all N rows (through N
// and the variance of the Sharpes), so it runs once the job's rows are in: read four columns,
// compute with the engine's column function, write back through a temp table and one UPDATE.
import { BIGINT, DOUBLE, type DuckDBConnection, VARCHAR } from "@duckdb/node-api";
import { deflatedSharpeColumns } from "@pairgrid/engine";
import { appendColumns, closeAppender, discardAppender, nanToNull } from "./column-append.js";

interface DsrInputs {
  /** combo ids (< 2^53, exact as doubles). */
  comboIds: Float64Array;
  sharpe: Float64Array;
  nDays: Float64Array;
  skew: Float64Array;
  kurtosis: Float64Array;
}

const toNumberOrNaN = (v: unknown): number => (v === null || v === undefined ? Number.NaN : Number(v));

async function readDsrInputs(conn: DuckDBConnection, jobId: string): Promise<DsrInputs> {
  // sized once from the count: typed arrays, not growing JS arrays of bigints and boxed numbers
  // (25 M rows took 4.5 GB that way; these five columns are 1 GB)
  const counted = await conn.runAndReadAll(
    "SELECT count(*)::DOUBLE FROM results WHERE job_id = $1",
    [jobId],
    [VARCHAR],
  );
  const n = Number(counted.getRowsJS()[0]![0]);
  const cols = [0, 1, 2, 3, 4].map(() => new Float64Array(n));
  const result = await conn.run(
    "SELECT combo_id::DOUBLE, sharpe, n_days::DOUBLE, skew, kurtosis FROM results WHERE job_id = $1 ORDER BY combo_id",
    [jobId],
    [VARCHAR],
  );
  // column vectors chunk by chunk: no row objects for jobs of millions of rows
  let at = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    if (at + chunk.rowCount > n) throw new Error(`job ${jobId}: rows were added while DSR was computed`);
    for (let c = 0; c < 5; c++) {
      const vector = chunk.getColumnVector(c);
      const out = cols[c]!;
      for (let r = 0; r < chunk.rowCount; r++) out[at + r] = toNumberOrNaN(vector.getItem(r));
    }
    at += chunk.rowCount;
  }
  const [comboIds, sharpe, nDays, skew, kurtosis] = cols as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return { comboIds, sharpe, nDays, skew, kurtosis };
}

/** Computes and stores `results.dsr` for every row of the job, in one transaction. */
export async function finalizeJobDsr(conn: DuckDBConnection, jobId: string): Promise<number> {
  await conn.run("BEGIN TRANSACTION");
  try {
    const inputs = await readDsrInputs(conn, jobId);
    const n = inputs.comboIds.length;
    const dsr = deflatedSharpeColumns(
      inputs.sharpe,
      inputs.nDays,
      inputs.skew,
      inputs.kurtosis,
      new Float64Array(n),
    );
    await conn.run("CREATE OR REPLACE TEMP TABLE dsr_update (combo_id BIGINT, dsr DOUBLE)");
    const appender = await conn.createAppender("dsr_update", "main", "temp");
    try {
      appendColumns(
        appender,
        [BIGINT, DOUBLE],
        [(r) => BigInt(inputs.comboIds[r]!), (r) => nanToNull(dsr[r]!)],
        n,
      );
    } catch (err) {
      discardAppender(appender);
      throw err;
    }
    closeAppender(appender);
    // every row is rewritten, NULL included, so a re-finalize after more rows leaves nothing stale
    await conn.run(
      "UPDATE results SET dsr = u.dsr FROM temp.dsr_update u " +
        "WHERE results.job_id = $1 AND results.combo_id = u.combo_id",
      [jobId],
      [VARCHAR],
    );
    await conn.run("DROP TABLE temp.dsr_update");
    await conn.run("COMMIT");
    return n;
  } catch (err) {
    await conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  }
}
