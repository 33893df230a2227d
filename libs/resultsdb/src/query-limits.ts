// The two limits of a `POST /query` query, its memory cap and its time limit, and the errors that
// say which one stopped it. Both errors are InputErrors on `sql` (HTTP 400): the query is what to
// change. Their one-line messages name the limit and its value, as set by --query-memory and
// --query-timeout.
import { InputError } from "@pairgrid/engine";
import { SQL_PATH } from "./sql-screen.js";

/** 1000-based like DuckDB's own "1GB" (a GiB is 1024³). */
const SIZE_UNITS: [string, number][] = [
  ["GB", 1e9],
  ["MB", 1e6],
  ["KB", 1e3],
];

/** 1_000_000_000 → "1 GB", 268_435_456 → "268.4 MB": the cap as a person reads it. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of SIZE_UNITS) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} B`;
}

/** 10_000 → "10 s", 2_500 → "2.5 s", 150 → "150 ms". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(2))} s` : `${ms} ms`;
}

/** The query ran past its time and was stopped. */
export class QueryTimeoutError extends InputError {
  constructor(readonly timeoutMs: number) {
    super(`query stopped at the time limit (${formatMs(timeoutMs)})`, SQL_PATH);
    this.name = "QueryTimeoutError";
  }
}

/** The query needed more memory than its cap and was stopped. */
export class QueryMemoryError extends InputError {
  constructor(readonly memoryBytes: number) {
    super(`query stopped at the memory cap (${formatBytes(memoryBytes)})`, SQL_PATH);
    this.name = "QueryMemoryError";
  }
}
