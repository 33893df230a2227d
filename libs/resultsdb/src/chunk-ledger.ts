// The exactly-once ledger's statements (the `chunks` table, schema.ts), prepared once per
// connection and run once per job per ingest transaction, whatever the number of chunks in it:
// a group commit of 8 chunks used to cost 24 round trips to DuckDB, each as dear as a small query.
import {
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  INTEGER,
  LIST,
  listValue,
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
    private readonly bump: DuckDBPreparedStatement,
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
      await conn.prepare("UPDATE jobs SET n_done = n_done + $2 WHERE job_id = $1"),
    );
  }

  /** Whether the job exists and which of `chunkIds` it has stored already, in one round trip. */
  async lookup(jobId: string, chunkIds: readonly number[]): Promise<LedgerState> {
    this.state.bindVarchar(1, jobId);
    this.state.bindList(2, listValue([...chunkIds]), INTEGER_LIST);
    const [jobs, stored] = (await this.state.runAndReadAll()).getRowsJS()[0]!;
    return { jobExists: jobs === 1, stored: new Set((stored as number[]).map(Number)) };
  }

  /** The ledger rows of a job's ingested chunks and the job's progress counter, two statements. */
  async record(jobId: string, chunks: readonly { chunkId: number; nRows: number }[]): Promise<void> {
    if (chunks.length === 0) return;
    this.insert.bindVarchar(1, jobId);
    this.insert.bindList(2, listValue(chunks.map((c) => c.chunkId)), INTEGER_LIST);
    this.insert.bindList(3, listValue(chunks.map((c) => c.nRows)), INTEGER_LIST);
    await this.insert.run();
    this.bump.bindVarchar(1, jobId);
    this.bump.bindBigInt(2, BigInt(chunks.reduce((n, c) => n + c.nRows, 0)));
    await this.bump.run();
  }

  destroy(): void {
    for (const statement of [this.state, this.insert, this.bump]) statement.destroySync();
  }
}
