// The two ways a writer copies its results file for query processes (query-snapshot.ts, results-db.ts
// snapshotHost), here so that bench/snapshot-copy.mjs times exactly these: the file's bytes after a
// checkpoint (while the caller holds every write), and DuckDB's own copy (the fallback).
import { statSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import type { DuckDBInstance } from "@duckdb/node-api";
import { ident } from "./schema.js";

/** Size of a file's write-ahead log, 0 when it has none. */
export function walBytes(file: string): number {
  try {
    return statSync(`${file}.wal`).size;
  } catch {
    return 0;
  }
}

/**
 * Checkpoints (on a connection of its own: reads on the others go on), then copies `file`'s bytes
 * to `path`. The caller holds every write of the file, so nothing changes it meanwhile. False,
 * copying nothing, when the checkpoint fails or leaves a WAL (commits the file alone would lack).
 */
export async function copyCheckpointed(
  instance: DuckDBInstance,
  file: string,
  path: string,
): Promise<boolean> {
  const conn = await instance.connect();
  try {
    await conn.run("CHECKPOINT");
  } catch {
    return false;
  } finally {
    conn.closeSync();
  }
  if (walBytes(file) > 0) return false;
  await copyFile(file, path);
  return true;
}

/** DuckDB's own copy of what is committed (one transaction on a connection of its own). */
export async function copyThroughDuckDB(instance: DuckDBInstance, path: string): Promise<void> {
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll("SELECT current_database()");
    const source = ident(String(reader.getRows()[0]![0]));
    await conn.run(`ATTACH '${path.replaceAll("'", "''")}' AS __pairgrid_snapshot`);
    try {
      await conn.run(`COPY FROM DATABASE ${source} TO __pairgrid_snapshot`);
    } finally {
      await conn.run("DETACH __pairgrid_snapshot");
    }
  } finally {
    conn.closeSync();
  }
}
