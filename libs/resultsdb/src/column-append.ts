// Feeding typed-array columns to a DuckDB appender a data chunk at a time. One `appendDataChunk`
// per ≤ 2048 rows instead of one native call per value; NaN in a column becomes NULL.
import {
  type DuckDBAppender,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  DuckDBVector,
} from "@duckdb/node-api";

/** Value of one column at a row; `null` is SQL NULL. */
export type ColumnSource = (row: number) => DuckDBValue | null;

export const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/**
 * Appends `nRows` rows whose column `c` (in the table's storage order) is `sources[c](row)`.
 * `types` are the table's column types in the same order.
 */
export function appendColumns(
  appender: DuckDBAppender,
  types: readonly DuckDBType[],
  sources: readonly ColumnSource[],
  nRows: number,
): void {
  const chunkRows = DuckDBVector.standardSize();
  for (let start = 0; start < nRows; start += chunkRows) {
    const count = Math.min(chunkRows, nRows - start);
    const chunk = DuckDBDataChunk.create(types, count);
    for (let c = 0; c < sources.length; c++) {
      const vector = chunk.getColumnVector(c);
      const source = sources[c]!;
      for (let r = 0; r < count; r++) vector.setItem(r, source(start + r));
      // setItem writes a JS-side buffer; flush copies values and validity into the native vector
      vector.flush();
    }
    appender.appendDataChunk(chunk);
  }
}

/**
 * Flushes and closes an appender. On failure the unflushed rows are cleared first: an appender
 * left for the garbage collector flushes whatever it still holds when it is destroyed, which
 * could land in a later transaction of the same connection.
 */
export function closeAppender(appender: DuckDBAppender): void {
  try {
    appender.closeSync();
  } catch (err) {
    discardAppender(appender);
    throw err;
  }
}

/** Drops an appender's buffered rows without writing them (error paths). */
export function discardAppender(appender: DuckDBAppender): void {
  try {
    appender.clear();
    appender.closeSync();
  } catch {
    // already closed or invalidated by the failed flush: nothing left to write
  }
}
