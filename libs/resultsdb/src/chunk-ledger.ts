// The exactly-once ledger's statements (the `chunks` table, schema.ts), prepared once per
// connection and run once per job per ingest transaction, whatever the number of chunks in it:
// a group commit of 8 chunks used to cost 24 round trips to DuckDB, each as dear as a small query.
// The job's progress counter (jobs.n_done) is not raised inside an ingest transaction: two ingest
// lanes (group-commit.ts) committing at once would both update the job's row, and DuckDB refuses
// the second ("Conflict on update"). The ledger is what counts; jobs.n_done is copied from it after
// each commit and when a writer opens the file (refreshProgress), and job reads take it from the
// ledger directly (job-records.ts), so a crash between a commit and its copy shows nothing stale.
import {
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  INTEGER,
  LIST,
  listValue,
  VARCHAR,
} from "@duckdb/node-api";

const INTEGER_LIST = LIST(INTEGER);

/** What the ledger holds for one job and some of its chunk ids. */
export interface LedgerState {
  jobExists: boolean;
  /** The ids asked about that are already in the ledger. */
  stored: Set<number>;
}

export class LedgerStatements {
  private constructor(
    private readonly state: DuckDBPreparedStatement,
    private readonly insert: DuckDBPreparedStatement,
  ) {}

  static async prepare(conn: DuckDBConnection): Promise<LedgerStatements> {
    return new LedgerStatements(
      await conn.prepare(
        "SELECT (SELECT count(*) FROM jobs WHERE job_id = $1)::INTEGER, " +
          "(SELECT coalesce(list(chunk_id), []) FROM chunks WHERE job_id = $1 AND list_contains($2, chunk_id))",
      ),
      // the two unnests of one SELECT advance together: row i is (chunk_ids[i], n_rows[i])
      await conn.prepare(
        "INSERT INTO chunks (job_id, chunk_id, n_rows) SELECT $1, unnest($2::INTEGER[]), unnest($3::INTEGER[])",
      ),
    );
  }

  /** Whether the job exists and which of `chunkIds` it has stored already, in one round trip. */
  async lookup(jobId: string, chunkIds: readonly number[]): Promise<LedgerState> {
    this.state.bindVarchar(1, jobId);
    this.state.bindList(2, listValue([...chunkIds]), INTEGER_LIST);
    const [jobs, stored] = (await this.state.runAndReadAll()).getRowsJS()[0]!;
    return { jobExists: jobs === 1, stored: new Set((stored as number[]).map(Number)) };
  }

  /** The ledger rows of a job's ingested chunks, one statement. */
  async record(jobId: string, chunks: readonly { chunkId: number; nRows: number }[]): Promise<void> {
    if (chunks.length === 0) return;
    this.insert.bindVarchar(1, jobId);
    this.insert.bindList(2, listValue(chunks.map((c) => c.chunkId)), INTEGER_LIST);
    this.insert.bindList(3, listValue(chunks.map((c) => c.nRows)), INTEGER_LIST);
    await this.insert.run();
  }

  destroy(): void {
    for (const statement of [this.state, this.insert]) statement.destroySync();
  }
}

/** A job's rows in the ledger: what jobs.n_done holds once copied (an SQL expression over `jobs`). */
export const LEDGER_N_DONE =
  "(SELECT coalesce(sum(c.n_rows), 0) FROM chunks c WHERE c.job_id = jobs.job_id)::BIGINT";

/**
 * Copies the ledger's row counts into jobs.n_done, for the jobs named (after a commit) or every
 * job whose counter differs (when a writer opens the file, after a crash between a commit and its
 * copy). Runs on the writer's main connection, never in an ingest lane's transaction.
 */
export async function refreshProgress(conn: DuckDBConnection, jobIds?: readonly string[]): Promise<void> {
  if (jobIds === undefined) {
    await conn.run(`UPDATE jobs SET n_done = ${LEDGER_N_DONE} WHERE n_done <> ${LEDGER_N_DONE}`);
    return;
  }
  for (const jobId of jobIds) {
    await conn.run(`UPDATE jobs SET n_done = ${LEDGER_N_DONE} WHERE job_id = $1`, [jobId], [VARCHAR]);
  }
}
