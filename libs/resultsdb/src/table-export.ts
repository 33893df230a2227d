// Downloads of a table the dashboard shows (ranked rows, a combination's trades or equity, a SQL
// result) as CSV or Parquet, written to a temporary file that the server streams and then
// deletes. CSV is written here (RFC 4180 quoting, NULL as an empty field); Parquet by an
// in-memory DuckDB of its own that reads the rows back from newline-delimited JSON with the
// column types given, so the server's results instance never runs anything of the export.
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { DuckDBInstance } from "@duckdb/node-api";
import { InputError } from "@pairgrid/engine";

export const EXPORT_FORMATS = ["csv", "parquet"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Most rows one download holds (a million rows of 40 columns is ~300 MB of CSV). */
export const MAX_EXPORT_ROWS = 1_000_000;

export interface ExportColumn {
  name: string;
  /** DuckDB type of the Parquet column (BIGINT, DOUBLE, VARCHAR, …); default: detected. */
  type?: string;
}

export interface ExportTable {
  columns: readonly ExportColumn[];
  /** Rows in column order; null (or undefined, NaN) is a missing value. */
  rows: Iterable<readonly unknown[]>;
}

/** A file ready to stream; `dispose` removes it and its folder. */
export interface ExportFile {
  path: string;
  contentType: string;
  dispose: () => Promise<void>;
}

export function checkExportFormat(format: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new InputError(`format: expected one of ${EXPORT_FORMATS.join(", ")}, got '${format}'`, "format");
  }
  return format as ExportFormat;
}

const missing = (v: unknown) => v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));

function csvField(v: unknown): string {
  if (missing(v)) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v as string | number | boolean | bigint);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function jsonCell(v: unknown): unknown {
  if (missing(v)) return null;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number" && !Number.isFinite(v)) return null; // ±Infinity has no JSON form
  return v;
}

/** Writes lines to `path`, waiting for the stream to drain so a big table never sits in memory. */
async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const line of lines) {
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

function* csvLines(t: ExportTable): Generator<string> {
  yield `${t.columns.map((c) => csvField(c.name)).join(",")}\n`;
  for (const row of t.rows) yield `${row.map(csvField).join(",")}\n`;
}

function* ndjsonLines(t: ExportTable): Generator<string> {
  for (const row of t.rows) {
    const o: Record<string, unknown> = {};
    t.columns.forEach((c, j) => (o[c.name] = jsonCell(row[j])));
    yield `${JSON.stringify(o)}\n`;
  }
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function writeParquet(t: ExportTable, dir: string, path: string): Promise<void> {
  const json = join(dir, "rows.ndjson");
  await writeLines(json, ndjsonLines(t));
  const typed = t.columns.every((c) => c.type !== undefined);
  const columns = typed
    ? `, columns = {${t.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type!)}`).join(", ")}}`
    : "";
  const instance = await DuckDBInstance.create(":memory:", { memory_limit: "512MB", threads: "1" });
  const conn = await instance.connect();
  try {
    const select = `SELECT ${t.columns.map((c) => `"${c.name.replaceAll('"', '""')}"`).join(", ")} FROM read_json(${sqlString(json)}, format = 'newline_delimited'${columns})`;
    await conn.run(`COPY (${select}) TO ${sqlString(path)} (FORMAT PARQUET)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
    await rm(json, { force: true });
  }
}

/**
 * A temporary file `name`.csv / .parquet written by `write(path)` (which may be DuckDB's own COPY:
 * see copyRankedRows); removed again if writing fails.
 */
export async function exportFile(
  format: ExportFormat,
  name: string,
  write: (path: string, dir: string) => Promise<void>,
): Promise<ExportFile> {
  const dir = await mkdtemp(join(tmpdir(), "pairgrid-export-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const path = join(dir, `${name}.${format}`);
    await write(path, dir);
    const contentType = format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.apache.parquet";
    return { path, contentType, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** Writes `t` as `format` to a temporary file named `name`.csv / .parquet. */
export function exportTable(t: ExportTable, format: ExportFormat, name: string): Promise<ExportFile> {
  return exportFile(format, name, (path, dir) =>
    format === "csv" ? writeLines(path, csvLines(t)) : writeParquet(t, dir, path),
  );
}

/** DuckDB's COPY options for a format (CSV with a header line, NULL as an empty field). */
export const COPY_OPTIONS: Record<ExportFormat, string> = {
  csv: "FORMAT CSV, HEADER",
  parquet: "FORMAT PARQUET",
};

export { sqlString };
