// The shape of a sandboxed query's answer, shared by the server side (sandboxed-query.ts,
// query-process.ts) and the child process (query-child.ts) without either importing the other.
import type { JsonValue } from "./query-json.js";

export interface QueryColumn {
  name: string;
  /** DuckDB's type name: `BIGINT`, `DOUBLE`, `DECIMAL(18,3)`, `VARCHAR[]`… */
  type: string;
}

/** What the query process answers. */
export interface QueryJsonAnswer {
  columns: QueryColumn[];
  /** One array per row, in column order. */
  rows: JsonValue[][];
  /** True when the result had more rows than `maxRows`. */
  truncated: boolean;
}
