// DuckDB's thread count on a writer's instance, switched between ingest and analysis (issue 19).
// An ingest group is one appender and a few small statements: DuckDB runs it on one thread, but
// with a pool of N threads each statement and each commit wakes the others to share tasks that
// are too small to share, and on a machine whose cores run the kernels that waking and waiting
// cost about a fifth of the ingest's CPU (bench/ingest-micro.mjs: 16 folds, 8,000-row commits,
// 2.4 CPU-s per 200 k rows with one thread against 3.1 with two). The analyses on the same file
// (finalize, top, heatmaps) scan millions of rows and want every core, so the pool is set back
// before them. Switching costs DuckDB a thread join or start, so the mode changes only when the
// kind of work does: switching at every commit gave back most of the gain.
import { type DuckDBConnection } from "@duckdb/node-api";

export class WriterThreads {
  private ingesting = false;

  private constructor(
    private readonly conn: DuckDBConnection,
    /** The instance's own thread count (DuckDB's default: the machine's cores, or its setting). */
    private readonly all: number,
  ) {}

  /** Reads the thread count the instance was opened with; the pool is left as it is. */
  static async of(conn: DuckDBConnection): Promise<WriterThreads> {
    const reader = await conn.runAndReadAll("SELECT current_setting('threads')::INTEGER");
    return new WriterThreads(conn, Number(reader.getRowsJS()[0]![0]));
  }

  /**
   * Before an ingest transaction: one thread. `conn` is the connection about to ingest (an ingest
   * lane's); the setting is the instance's, whichever connection sets it. The mode is noted before
   * the statement runs, so lanes starting together set it once.
   */
  async forIngest(conn: DuckDBConnection = this.conn): Promise<void> {
    if (this.ingesting || this.all <= 1) return;
    this.ingesting = true;
    await conn.run("SET threads = 1");
  }

  /** Before a query that scans a job's rows: the instance's whole pool again. */
  async forQueries(): Promise<void> {
    if (!this.ingesting) return;
    this.ingesting = false;
    await this.conn.run(`SET threads = ${this.all}`);
  }

  /** The thread count the pool has now (tests). */
  get current(): number {
    return this.ingesting ? 1 : this.all;
  }
}
