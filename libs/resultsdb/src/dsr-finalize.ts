// Deflated Sharpe Ratio for every row of a job (ENGINE.md §7). It depends on all N rows (through N
// and the variance of the Sharpes), so it runs once the job's rows are in: read four columns,
// compute with the engine's column function, write back through a temp table and one UPDATE.
import { BIGINT, DOUBLE, type DuckDBConnection, VARCHAR } from "@duckdb/node-api";
import { deflatedSharpeColumns } from "@pairgrid/engine";
import { appendColumns, closeAppender, discardAppender, nanToNull } from "./column-append.js";

interface DsrInputs {
  comboIds: bigint[];
  sharpe: Float64Array;
  nDays: Float64Array;
  skew: Float64Array;
  kurtosis: Float64Array;
}

const toNumberOrNaN = (v: unknown): number => (v === null || v === undefined ? Number.NaN : Number(v));

async function readDsrInputs(conn: DuckDBConnection, jobId: string): Promise<DsrInputs> {
  const result = await conn.run(
    "SELECT combo_id, sharpe, n_days, skew, kurtosis FROM results WHERE job_id = $1 ORDER BY combo_id",
    [jobId],
    [VARCHAR],
  );
  const comboIds: bigint[] = [];
  const cols: number[][] = [[], [], [], []];
  // column vectors chunk by chunk: no row objects for jobs of millions of rows
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const ids = chunk.getColumnVector(0);
    for (let r = 0; r < chunk.rowCount; r++) comboIds.push(ids.getItem(r) as bigint);
    for (let c = 0; c < 4; c++) {
      const vector = chunk.getColumnVector(c + 1);
      const out = cols[c]!;
      for (let r = 0; r < chunk.rowCount; r++) out.push(toNumberOrNaN(vector.getItem(r)));
    }
  }
  const [sharpe, nDays, skew, kurtosis] = cols.map((c) => Float64Array.from(c)) as [
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
      appendColumns(appender, [BIGINT, DOUBLE], [(r) => inputs.comboIds[r]!, (r) => nanToNull(dsr[r]!)], n);
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
