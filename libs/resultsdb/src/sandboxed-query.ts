// Read-only user SQL (`POST /query`). Each query runs in a child process with a DuckDB instance of
// its own (query-process.ts, query-child.ts), over the results file itself when it is open
// read-only or over a snapshot of it when this process writes it (query-snapshot.ts). So a query
// can neither take the server's memory nor hold up its writer: past the memory cap or the time
// limit the child is killed, and the server's DuckDB instance never runs user SQL. In the child the
// query is also screened (sql-screen.ts: one SELECT, no instance-changing function), its instance
// has no file or network access and locked settings, and its answer stops at a row cap.
import { QueryMemoryError, QueryTimeoutError } from "./query-limits.js";
import type { QueryJsonAnswer } from "./query-answer.js";
import { beforeDeadline, QueryProcess } from "./query-process.js";
import type { QuerySource } from "./query-snapshot.js";
import { SerialQueue } from "./serial-queue.js";

export { QueryMemoryError, QueryTimeoutError };
export type { QueryColumn, QueryJsonAnswer } from "./query-answer.js";

export interface SandboxOptions {
  /** Most rows an answer holds (default 10 000); a longer result is cut and marked `truncated`. */
  maxRows?: number;
  /** Longest a query may run, in ms (default 10 000); it is then stopped. */
  timeoutMs?: number;
  /** Most memory a query may take, in bytes (default 1 GB); it is then stopped. */
  memoryBytes?: number;
  /** Queries held at once, the running one included (default 8); one more is refused as busy. */
  maxPending?: number;
}

export interface QueryAnswer extends QueryJsonAnswer {
  elapsed_ms: number;
  /**
   * ISO time the snapshot read was taken: every write committed before it is in the answer (a
   * file being written is read through snapshots, query-snapshot.ts); null for a read-only file,
   * read as it is.
   */
  as_of: string | null;
}

export const SANDBOX_DEFAULTS: Required<SandboxOptions> = {
  maxRows: 10_000,
  timeoutMs: 10_000,
  memoryBytes: 1_000_000_000,
  maxPending: 8,
};

/** Below this DuckDB cannot open a file at all. */
export const MIN_QUERY_MEMORY = 16_000_000;

/** Too many queries already waiting: the caller should retry later. */
export class QueryBusyError extends Error {
  constructor(maxPending: number) {
    super(`too many queries at once (${maxPending} running or waiting); retry later`);
    this.name = "QueryBusyError";
  }
}

export class SandboxedQuery {
  /** One query process runs one query at a time; queries wait here, never in the writer's queue. */
  private readonly queue = new SerialQueue();
  private readonly process: QueryProcess;
  private pending = 0;
  private closed = false;

  private constructor(
    private readonly source: QuerySource,
    private readonly opts: Required<SandboxOptions>,
  ) {
    this.process = new QueryProcess(opts);
  }

  /** A sandbox reading `source`; its query process starts with the first query. */
  static open(source: QuerySource, opts: SandboxOptions = {}): SandboxedQuery {
    const o = { ...SANDBOX_DEFAULTS, ...opts };
    for (const [name, value] of Object.entries(o)) {
      if (!Number.isSafeInteger(value) || value < 1)
        throw new Error(`sandbox ${name} must be a positive integer`);
    }
    if (o.memoryBytes < MIN_QUERY_MEMORY)
      throw new Error(`sandbox memoryBytes must be ≥ ${MIN_QUERY_MEMORY}`);
    return new SandboxedQuery(source, o);
  }

  /**
   * Runs one SELECT and answers at most `maxRows` rows (default the sandbox's; a download asks
   * for more, under the same time and memory limits). Bad SQL is an InputError (path `sql`),
   * a query stopped at a limit a QueryTimeoutError or QueryMemoryError; the next call works.
   */
  run(sql: string, maxRows = this.opts.maxRows): Promise<QueryAnswer> {
    if (this.closed) return Promise.reject(new Error("query sandbox is closed"));
    if (this.pending >= this.opts.maxPending) return Promise.reject(new QueryBusyError(this.opts.maxPending));
    this.pending++;
    return this.queue
      .run(() => {
        if (this.closed) throw new Error("query sandbox is closed");
        return this.runNow(sql, maxRows);
      })
      .finally(() => this.pending--);
  }

  /** The time limit counts from here: a snapshot to remake and a process to start are in it. */
  private async runNow(sql: string, maxRows: number): Promise<QueryAnswer> {
    const started = performance.now();
    const deadline = started + this.opts.timeoutMs;
    this.process.warm();
    // a snapshot that comes too late is released unread (and is there for the next query)
    const file = await beforeDeadline(this.source.acquire(deadline), deadline, this.opts.timeoutMs, (f) =>
      f.release(),
    );
    try {
      const answer = await this.process.run({ file: file.path, sql, maxRows }, deadline);
      return {
        ...answer,
        elapsed_ms: Math.round(performance.now() - started),
        as_of: file.asOf?.toISOString() ?? null,
      };
    } finally {
      file.release();
    }
  }

  /**
   * Resolves once the query process is up. A query's time limit includes waiting for it: the
   * first query, and one right after a query was stopped, wait for a new process (DuckDB loads
   * in a fraction of a second, or a second or two on a busy machine).
   */
  ready(): Promise<void> {
    return this.process.ready();
  }

  /** Stops a running query (its process), then lets queued ones fail as closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.process.close();
    await this.queue.run(async () => undefined);
  }
}
