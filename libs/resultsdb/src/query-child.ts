// The process a `POST /query` query runs in (forked by query-process.ts): a DuckDB instance of its
// own over a results file opened READ_ONLY, so the query's memory and CPU are this process's, never
// the server's. DuckDB's memory_limit only covers its buffer manager, and an interrupt is only seen
// between chunks: `SELECT count(*) FROM (SELECT unnest(range(100000000)))` grew past 9 GB under a
// 1 GB memory_limit and ran 30 s past its interrupt. The parent's watchdog therefore kills this
// process; everything here is only what a killed process may lose.
//
// argv[2]: the memory cap in bytes (DuckDB's memory_limit; spilling to disk is off, so a sort or a
// join bigger than that fails at once instead of filling the disk). Messages in: {file, sql,
// maxRows}; out: {ok: true, answer} or {ok: false, kind, message}.
import { writeFileSync } from "node:fs";
import { setPriority } from "node:os";
import { type DuckDBConnection, DuckDBInstance, type DuckDBPreparedStatement } from "@duckdb/node-api";
import { InputError } from "@pairgrid/engine";
import { JSON_CELLS, type JsonValue } from "./query-json.js";
import type { QueryColumn } from "./query-answer.js";
import { firstLine, prepareSelect } from "./sql-screen.js";

export interface ChildRequest {
  file: string;
  sql: string;
  maxRows: number;
}

/** input: the query's fault (400); memory: DuckDB's memory_limit; engine: DuckDB's own (500). */
export type ChildReply =
  | { ok: true; columns: QueryColumn[]; rows: JsonValue[][]; truncated: boolean }
  | { ok: false; kind: "input" | "memory" | "engine"; message: string };

/** DuckDB's own failures, not the query's: they stay errors (HTTP 500), never a 400. */
const ENGINE_FAILURE = /^(INTERNAL|FATAL) Error/;
const OUT_OF_MEMORY = /^Out of Memory Error/;

/**
 * Set at creation, in this order (enable_external_access must come after temp_directory, and
 * lock_configuration last): no file or network access but the database itself, no extension
 * loaded behind the query's back, and no setting the query could change back.
 */
const lockedConfig = (memoryBytes: number): Record<string, string> => ({
  access_mode: "READ_ONLY",
  memory_limit: `${memoryBytes}B`,
  temp_directory: "",
  enable_external_access: "false",
  autoinstall_known_extensions: "false",
  autoload_known_extensions: "false",
  lock_configuration: "true",
});

const memoryBytes = Number(process.argv[2]);

let open: { file: string; instance: DuckDBInstance; conn: DuckDBConnection } | null = null;

/** The connection over `file`: a new snapshot of the writer's file closes the previous one. */
async function connection(file: string): Promise<DuckDBConnection> {
  if (open?.file === file) return open.conn;
  if (open) {
    open.conn.closeSync();
    open.instance.closeSync();
    open = null;
  }
  const instance = await DuckDBInstance.create(file, lockedConfig(memoryBytes));
  open = { file, instance, conn: await instance.connect() };
  return open.conn;
}

async function answer({ file, sql, maxRows }: ChildRequest): Promise<ChildReply> {
  let conn: DuckDBConnection;
  try {
    conn = await connection(file);
  } catch (err) {
    return { ok: false, kind: "engine", message: `${file}: ${firstLine(err)}` };
  }
  try {
    const prepared = await prepareSelect(conn, sql);
    try {
      return { ok: true, ...(await readCapped(prepared, maxRows)) };
    } finally {
      prepared.destroySync();
    }
  } catch (err) {
    const message = firstLine(err);
    if (err instanceof InputError) return { ok: false, kind: "input", message };
    if (OUT_OF_MEMORY.test(message)) return { ok: false, kind: "memory", message };
    if (ENGINE_FAILURE.test(message)) return { ok: false, kind: "engine", message };
    // a failure while running (a bad cast, a division error) is the query's
    return { ok: false, kind: "input", message };
  }
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

if (process.send) {
  // the server's ingest wins the CPU over a heavy query, and should memory run out between two
  // looks of the watchdog, the kernel kills this process rather than the server
  try {
    setPriority(10);
  } catch {
    /* not allowed here: the query runs at the server's priority */
  }
  try {
    writeFileSync("/proc/self/oom_score_adj", "1000");
  } catch {
    /* not Linux */
  }
  // one query at a time: the parent sends the next only after this one's reply
  process.on("message", (req: ChildRequest) => {
    void answer(req).then((reply) => process.send!(reply));
  });
  process.on("disconnect", () => process.exit(0));
  process.send({ ready: true });
}
