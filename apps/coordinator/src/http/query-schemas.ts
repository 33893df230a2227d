// Zod schemas of POST /query: the SQL in and the {columns, rows} answer out, and what /docs shows
// for them. Apart from the route so that their declarations need only zod: the dashboard derives
// its types from them (ui/src/types.ts).
import { z } from "zod";

export const MAX_SQL_LENGTH = 100_000;

export const queryBody = z.object({
  sql: z
    .string()
    .min(1)
    .max(MAX_SQL_LENGTH)
    .describe("exactly one SELECT statement (WITH … SELECT, VALUES and DESCRIBE count as one)"),
});

export const queryAnswer = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string().describe("DuckDB type, e.g. BIGINT") })),
  rows: z
    .array(z.array(z.unknown()))
    .describe("one array per row in column order; big integers as strings, times as ISO strings"),
  truncated: z.boolean().describe("true when the result had more rows than the cap"),
  elapsed_ms: z.number(),
  as_of: z
    .string()
    .nullable()
    .describe(
      "when the snapshot read was taken (ISO time; every write committed by then is in it): the " +
        "coordinator's file, which ingest writes, is read through a copy, behind while a job writes; " +
        "null for a read-only file",
    ),
});

export const exportFormat = z.enum(["csv", "parquet"]).default("csv").describe("csv or parquet");

export const queryExportBody = queryBody.extend({ format: exportFormat });
