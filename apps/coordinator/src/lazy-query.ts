// POST /query's runner over a results file: the sandbox (ResultsDb.sandbox, sandboxed-query.ts) is
// opened on the first query, not at start, because opening it locks the DuckDB instance's settings
// down for good; a server nobody queries keeps its instance as it was.
import type { QueryAnswer, ResultsDb, SandboxedQuery, SandboxOptions } from "@pairgrid/resultsdb";

/** `opts`: the limits (--query-memory, --query-timeout); unset ones take the sandbox's defaults. */
export function lazyQuery(
  db: Pick<ResultsDb, "sandbox">,
  opts?: SandboxOptions,
): (sql: string, maxRows?: number) => Promise<QueryAnswer> {
  let sandbox: Promise<SandboxedQuery> | null = null;
  return async (sql, maxRows) => {
    sandbox ??= db.sandbox(opts);
    const opened = await sandbox.catch((err: unknown) => {
      sandbox = null; // a failed open is tried again on the next query
      throw err;
    });
    return opened.run(sql, maxRows);
  };
}
