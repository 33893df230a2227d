// Small deterministic batches and throwaway database files for the resultsdb tests.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { FOLD_WIDTH, N_STATS, PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import type { ChunkBatch } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-resultsdb-"));
let counter = 0;

/** One turn of the event loop: lets queued callbacks and I/O run before the test goes on. */
export const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A fresh file path per call, so tests never see each other's rows. */
export function freshDbPath(label: string): string {
  return join(dir, `${label}-${++counter}.duckdb`);
}

export const P = PARAM_NAMES.length;
export const paramIndex = (name: string) => PARAM_NAMES.indexOf(name);
export const statIndex = (name: string) => (STAT_NAMES as readonly string[]).indexOf(name);

/** A statistic that is a pure function of the combo id, so tests can predict every stored value. */
export function statValue(comboId: number, stat: string): number {
  const j = statIndex(stat);
  if (stat.startsWith("n_")) return (comboId * 7 + j) % 40;
  if (stat === "sharpe") return comboId % 5 === 4 ? Number.NaN : Math.sin(comboId) * 2;
  if (stat === "skew") return Math.cos(comboId) * 0.5;
  if (stat === "kurtosis") return 3 + (comboId % 3);
  if (stat === "profit_factor") return comboId % 4 === 0 ? Number.NaN : 1 + comboId / 100;
  return comboId + j / 100;
}

/** Parameter values: z_entry varies, ols_window is constant, z_stop is always null. */
export function paramValue(comboId: number, param: string): number {
  if (param === "z_entry") return 1 + (comboId % 3) * 0.5;
  if (param === "zscore_window") return 20 + (comboId % 2) * 10;
  if (param === "ols_window") return 60;
  return Number.NaN;
}

export interface BatchOptions {
  nFolds?: number;
  /** Override a statistic for some rows. */
  stat?: (comboId: number, stat: string) => number;
}

export function makeBatch(comboIds: number[], opts: BatchOptions = {}): ChunkBatch {
  const k = comboIds.length;
  const nFolds = opts.nFolds ?? 3;
  const stat = opts.stat ?? statValue;
  const params = new Float64Array(k * P);
  const stats = new Float64Array(k * N_STATS);
  const folds = new Float64Array(k * nFolds * FOLD_WIDTH);
  comboIds.forEach((id, r) => {
    PARAM_NAMES.forEach((p, j) => (params[r * P + j] = paramValue(id, p)));
    STAT_NAMES.forEach((s, j) => (stats[r * N_STATS + j] = stat(id, s)));
    for (let f = 0; f < nFolds; f++) {
      const o = (r * nFolds + f) * FOLD_WIDTH;
      folds.set([f + 1, id + f / 10, (id + f / 10) ** 2, 5 + f], o);
    }
  });
  return { comboIds: Float64Array.from(comboIds), params, stats, folds, nFolds };
}

export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

export const newJob = (job_id: string, spec: unknown = { name: job_id }) => ({
  job_id,
  name: `grid ${job_id}`,
  spec,
  n_combos: 100,
  n_chunks: 10,
});

/**
 * Runs SQL on a closed results file through a separate read-only DuckDB instance: what another
 * process would find in the file, independent of ResultsDb's own reading code.
 */
export async function inspect(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(file, { access_mode: "READ_ONLY" });
  try {
    const conn = await instance.connect();
    try {
      const rows = (await conn.runAndReadAll(sql)).getRowObjectsJS();
      return rows.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
      );
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Row counts of the three tables an ingest writes, plus the job's n_done. */
export async function counts(file: string, jobId: string) {
  const [row] = await inspect(
    file,
    `SELECT (SELECT count(*) FROM results WHERE job_id = '${jobId}') AS results,
            (SELECT count(*) FROM results_folds WHERE job_id = '${jobId}') AS folds,
            (SELECT count(*) FROM chunks WHERE job_id = '${jobId}') AS chunks,
            (SELECT n_done FROM jobs WHERE job_id = '${jobId}') AS n_done`,
  );
  return row!;
}
