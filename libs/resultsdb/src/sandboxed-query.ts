// Read-only user SQL (`POST /query`) on its own connection of the results database's DuckDB
// instance: it sees committed rows and never waits in the writer's serial queue. Sandboxed by
// DuckDB settings (no file or network access, configuration locked), by sql-screen.ts (one
// SELECT, no instance-changing function), by a READ ONLY transaction, a row cap and a timeout.
import type { DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement } from "@duckdb/node-api";
import { InputError } from "@pairgrid/engine";
import { JSON_CELLS, type JsonValue } from "./query-json.js";
import { SerialQueue } from "./serial-queue.js";
import { firstLine, prepareSelect, SQL_PATH } from "./sql-screen.js";

export interface SandboxOptions {
  /** Most rows an answer holds (default 10 000); a longer result is cut and marked `truncated`. */
  maxRows?: number;
  /** Longest a query may run, in ms (default 10 000); it is then interrupted. */
  timeoutMs?: number;
  /** Queries held at once, the running one included (default 8); one more is refused as busy. */
  maxPending?: number;
}

export interface QueryColumn {
  name: string;
  /** DuckDB's type name: `BIGINT`, `DOUBLE`, `DECIMAL(18,3)`, `VARCHAR[]`… */
  type: string;
}

export interface QueryAnswer {
  columns: QueryColumn[];
  /** One array per row, in column order. */
  rows: JsonValue[][];
  /** True when the result had more rows than `maxRows`. */
  truncated: boolean;
  elapsed_ms: number;
}

export const SANDBOX_DEFAULTS: Required<SandboxOptions> = {
  maxRows: 10_000,
  timeoutMs: 10_000,
  maxPending: 8,
};

/** The query ran past its time and was interrupted. An InputError: the query is what to change. */
export class QueryTimeoutError extends InputError {
  constructor(readonly timeoutMs: number) {
    super(`query interrupted after ${timeoutMs} ms (the time limit)`, SQL_PATH);
    this.name = "QueryTimeoutError";
  }
}

/** Too many queries already waiting: the caller should retry later. */
export class QueryBusyError extends Error {
  constructor(maxPending: number) {
    super(`too many queries at once (${maxPending} running or waiting); retry later`);
    this.name = "QueryBusyError";
  }
}

/** DuckDB's own failures, not the query's: they stay errors (HTTP 500), never a 400. */
const ENGINE_FAILURE = /^(INTERNAL|FATAL) Error/;

export class SandboxedQuery {
  /** One connection runs one query at a time; queries wait here, never in the writer's queue. */
  private readonly queue = new SerialQueue();
  private pending = 0;
  private closed = false;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly opts: Required<SandboxOptions>,
  ) {}

  /**
   * Opens a connection on `instance` and locks the instance down. enable_external_access and
   * lock_configuration are instance-wide in DuckDB (scope GLOBAL, and lock_configuration cannot be
   * undone), so from here on no connection of the instance, the writer's included, can read or
   * write files other than the database itself or change a setting; the writer needs neither.
   */
  static async open(instance: DuckDBInstance, opts: SandboxOptions = {}): Promise<SandboxedQuery> {
    const o = { ...SANDBOX_DEFAULTS, ...opts };
    for (const [name, value] of Object.entries(o)) {
      if (!Number.isSafeInteger(value) || value < 1)
        throw new Error(`sandbox ${name} must be a positive integer`);
    }
    const conn = await instance.connect();
    try {
      await lockDown(conn);
    } catch (err) {
      conn.closeSync();
      throw err;
    }
    return new SandboxedQuery(conn, o);
  }

  /**
   * Runs one SELECT and answers at most `maxRows` rows. Bad SQL is an InputError (path `sql`),
   * running past `timeoutMs` a QueryTimeoutError; either way the next call works.
   */
  run(sql: string): Promise<QueryAnswer> {
    if (this.closed) return Promise.reject(new Error("query sandbox is closed"));
    if (this.pending >= this.opts.maxPending) return Promise.reject(new QueryBusyError(this.opts.maxPending));
    this.pending++;
    return this.queue
      .run(() => {
        if (this.closed) throw new Error("query sandbox is closed");
        return this.runNow(sql);
      })
      .finally(() => this.pending--);
  }

  private async runNow(sql: string): Promise<QueryAnswer> {
    const started = performance.now();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.conn.interrupt();
    }, this.opts.timeoutMs);
    try {
      // READ ONLY: even a SELECT that reaches a writing function (nextval…) cannot change a row
      await this.conn.run("BEGIN TRANSACTION READ ONLY");
      const prepared = await prepareSelect(this.conn, sql);
      try {
        const { columns, rows, truncated } = await readCapped(prepared, this.opts.maxRows);
        return { columns, rows, truncated, elapsed_ms: Math.round(performance.now() - started) };
      } finally {
        prepared.destroySync();
      }
    } catch (err) {
      if (timedOut) throw new QueryTimeoutError(this.opts.timeoutMs);
      if (err instanceof InputError || ENGINE_FAILURE.test(firstLine(err))) throw err;
      // a failure while running (a bad cast, division error, out of memory) is the query's
      throw new InputError(firstLine(err), SQL_PATH);
    } finally {
      // before the rollback: an interrupt landing on it would leave the transaction open
      clearTimeout(timer);
      // also discards a result left unread past the row cap
      await this.conn.run("ROLLBACK").catch(() => undefined);
    }
  }

  /** Interrupts a running query, waits for the queue to drain, and closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.conn.interrupt();
    await this.queue.run(async () => this.conn.closeSync());
  }
}

/** Instance-wide settings: see SandboxedQuery.open. A second sandbox finds them already set. */
async function lockDown(conn: DuckDBConnection): Promise<void> {
  const reader = await conn.runAndReadAll(
    "SELECT current_setting('lock_configuration'), current_setting('enable_external_access')",
  );
  const [locked, externalAccess] = reader.getRows()[0]!;
  if (locked === true) {
    if (externalAccess !== false) throw new Error("configuration locked with external access enabled");
    return;
  }
  await conn.run("SET enable_external_access = false");
  // no extension may come in behind a query's back (those it needs are built in)
  await conn.run("SET autoinstall_known_extensions = false");
  await conn.run("SET autoload_known_extensions = false");
  await conn.run("SET lock_configuration = true");
}

/** Streams the result chunk by chunk and stops reading once `maxRows` are in hand. */
async function readCapped(prepared: DuckDBPreparedStatement, maxRows: number) {
  const result = await prepared.stream();
  const columns: QueryColumn[] = result
    .columnNames()
    .map((name, i) => ({ name, type: result.columnType(i).toString() }));
  const rows: JsonValue[][] = [];
  let truncated = false;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const room = maxRows - rows.length;
    const cells = chunk.convertRows(JSON_CELLS) as JsonValue[][];
    if (cells.length > room) {
      rows.push(...cells.slice(0, room));
      truncated = true;
      break;
    }
    rows.push(...cells);
  }
  return { columns, rows, truncated };
}
