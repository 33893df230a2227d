// What user SQL must be before it runs: exactly one SELECT, calling nothing that acts on the DuckDB
// instance instead of reading data. Every check uses DuckDB's own parser (a regex cannot tell a
// keyword from a string literal or a comment), and every refusal is an InputError on `sql`.
import { type DuckDBConnection, type DuckDBPreparedStatement, StatementType } from "@duckdb/node-api";
import { InputError } from "@pairgrid/engine";

/** The field every refusal names: the request's `sql`. */
export const SQL_PATH = "sql";

const ONE_SELECT = "only one SELECT statement is allowed";

/**
 * Functions a SELECT may call that change the instance rather than read data: logging and
 * profiling switches, which lock_configuration does not cover (enable_logging to a file makes every
 * later statement, the writer's included, fail on the file system lock); checkpoints
 * (force_checkpoint aborts the writer's open transaction); write_log; and the ones that run SQL
 * from a string, which would hide any of these from this check.
 */
const DENIED_FUNCTIONS = new Set([
  "enable_logging",
  "disable_logging",
  "truncate_duckdb_logs",
  "write_log",
  "enable_profiling",
  "disable_profiling",
  "enable_peg_parser",
  "disable_peg_parser",
  "checkpoint",
  "force_checkpoint",
  "query",
  "json_execute_serialized_sql",
  "arrow_scan",
  "arrow_scan_dumb",
]);

const refusal = (reason: string) => new InputError(reason, SQL_PATH);

/** First line of a DuckDB error ("Catalog Error: Table with name x does not exist!"). */
export const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split("\n")[0]!;

/**
 * Parses, screens and prepares `sql` on `conn`. Refuses (InputError, path `sql`) a parse error,
 * zero or several statements, anything but a SELECT (PRAGMA, EXPLAIN, SET, COPY, ATTACH…), a denied
 * function, a binding error (unknown table; a file read while external access is disabled) or a
 * parameter placeholder. The caller destroys the statement.
 */
export async function prepareSelect(conn: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  let extracted: Awaited<ReturnType<DuckDBConnection["extractStatements"]>>;
  try {
    extracted = await conn.extractStatements(sql);
  } catch (err) {
    // node-api reports zero statements as an opaque native error, a parse error with this prefix
    const message = firstLine(err);
    const prefix = "Failed to extract statements: ";
    throw refusal(message.startsWith(prefix) ? message.slice(prefix.length) : "no SQL statement found");
  }
  if (extracted.count !== 1) throw refusal(`${ONE_SELECT} (found ${extracted.count})`);
  // before binding, so a statement that is not a plain SELECT is never even planned
  await screenSyntaxTree(conn, sql);

  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await extracted.prepare(0);
  } catch (err) {
    throw refusal(firstLine(err));
  }
  // the syntax tree said SELECT; the planner has the last word (PRAGMA, for one, plans as a SELECT)
  const reason =
    prepared.statementType !== StatementType.SELECT
      ? ONE_SELECT
      : prepared.parameterCount > 0
        ? "parameters ($1, ?) are not supported: write the values into the query"
        : null;
  if (reason) {
    prepared.destroySync();
    throw refusal(reason);
  }
  return prepared;
}

interface SerializedSql {
  error: boolean;
  error_message?: string;
  statements?: unknown[];
}

/**
 * DuckDB's json_serialize_sql gives the parsed statement as JSON, and refuses anything that is not
 * a SELECT (PIVOT, PRAGMA, EXPLAIN…). Every function call in it, scalar or table, anywhere in the
 * tree (subqueries, CTEs, lambdas), is an object with a `function_name`.
 */
async function screenSyntaxTree(conn: DuckDBConnection, sql: string): Promise<void> {
  const reader = await conn.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR)", [sql]);
  const tree = JSON.parse(String(reader.getRows()[0]![0])) as SerializedSql;
  if (tree.error) {
    const message = tree.error_message ?? "";
    throw refusal(message.startsWith("Only SELECT statements") ? ONE_SELECT : firstLine(message));
  }
  for (const name of functionNames(tree.statements)) {
    if (DENIED_FUNCTIONS.has(name)) throw refusal(`function ${name}() is not allowed here`);
  }
}

function* functionNames(node: unknown): Generator<string> {
  if (Array.isArray(node)) {
    for (const item of node) yield* functionNames(item);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "function_name" && typeof value === "string") yield value.toLowerCase();
      else yield* functionNames(value);
    }
  }
}
