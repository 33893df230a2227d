// The robustness report as served (buildRobustnessReport: fold matrix streamed from DuckDB, top
// rows and their neighbours asked of SQL; robustness-streamed.ts) against the report computed
// over the whole job read into memory (robustnessOf(foldStats)): the same report, number for
// number — on a job with twins, rows without trades, a parameter that is sometimes off (null),
// grid cells missing, and chunks ingested out of order; in both fold layouts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { FOLD_WIDTH, N_STATS, PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import {
  buildRobustnessReport,
  type ChunkBatch,
  FOLD_COLUMNS,
  RESULT_COLUMNS,
  ResultsDb,
  robustnessOf,
} from "../src/index.js";
import { freshDbPath, newJob, P } from "./fixtures.js";

const F = 8;
const ENTRY = [1.5, 2, 2.5, 3];
const EXIT = [0, 0.25, 0.5];
const WINDOW = [20, 40, 60, 80];

/** A hash in [0, 1) of a few integers: deterministic noise. */
function noise(...k: number[]): number {
  let h = 2166136261;
  for (const v of k) h = Math.imul(h ^ (v + 0x9e3779b9), 16777619) >>> 0;
  return (h % 100000) / 100000;
}

/**
 * Combination id = e + 4·(x + 3·(w + 4·stop)): z_entry × z_exit × zscore_window × z_stop ∈ {null, 4}.
 * Behaviour b: every 5th row copies its lower neighbour along z_stop (a twin); every 9th trades never.
 */
function batch(ids: number[]): ChunkBatch {
  const k = ids.length;
  const params = new Float64Array(k * P).fill(Number.NaN);
  const stats = new Float64Array(k * N_STATS);
  const folds = new Float64Array(k * F * FOLD_WIDTH);
  const col = (name: string) => PARAM_NAMES.indexOf(name);
  ids.forEach((id, r) => {
    const e = id % 4;
    const x = Math.floor(id / 4) % 3;
    const w = Math.floor(id / 12) % 4;
    const stop = Math.floor(id / 48);
    params[r * P + col("z_entry")] = ENTRY[e]!;
    params[r * P + col("z_exit")] = EXIT[x]!;
    params[r * P + col("zscore_window")] = WINDOW[w]!;
    params[r * P + col("ols_window")] = 100;
    if (stop === 1) params[r * P + col("z_stop")] = 4;
    const b = stop === 1 && id % 5 === 0 ? id - 48 : id;
    const flat = b % 9 === 4;
    let pnl = 0;
    let sq = 0;
    let trades = 0;
    for (let f = 0; f < F; f++) {
      const p = flat ? 0 : (noise(b, f, 1) - 0.45) * 1000;
      const q = flat ? 0 : p * p * (1.5 + noise(b, f, 2));
      const n = flat ? 0 : 1 + Math.floor(noise(b, f, 3) * 9);
      folds.set([n, p, q, 20], (r * F + f) * FOLD_WIDTH);
      pnl += p;
      sq += q;
      trades += n;
    }
    STAT_NAMES.forEach((s, j) => {
      const i = r * N_STATS + j;
      if (s === "n_trades") stats[i] = trades;
      else if (s === "total_pnl") stats[i] = pnl;
      else if (s === "n_days") stats[i] = 20 * F;
      else if (s === "sharpe")
        stats[i] = flat ? Number.NaN : (pnl / (20 * F) / Math.sqrt(sq / (20 * F))) * 15.87;
      else if (s === "kurtosis") stats[i] = 3 + noise(b, 7);
      else if (s.startsWith("n_")) stats[i] = flat ? 0 : Math.floor(noise(b, j, 11) * 10);
      else stats[i] = flat ? 0 : noise(b, j, 11);
    });
  });
  return { comboIds: Float64Array.from(ids), params, stats, folds, nFolds: F };
}

/** Rows 0 … 95 but for a few missing cells, in chunks written last first. */
async function fillJob(db: ResultsDb, jobId: string): Promise<void> {
  await db.createJob(newJob(jobId));
  const ids = Array.from({ length: 96 }, (_, i) => i).filter((i) => i % 17 !== 3);
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += 10) chunks.push(ids.slice(i, i + 10));
  for (let c = chunks.length - 1; c >= 0; c--) await db.ingestChunk(jobId, c, batch(chunks[c]!));
  await db.finalizeDsr(jobId);
}

const QUERIES = [
  { by: "sharpe", limit: 20 },
  { by: "total_pnl", limit: 7 },
  { by: "sharpe", limit: 100, splits: 4, window: 3 },
  { by: "total_pnl", limit: 3, splits: 8, window: 7 },
];

async function compare(db: ResultsDb, jobId: string): Promise<void> {
  const fs = await db.foldStats(jobId);
  for (const q of QUERIES) {
    const served = await buildRobustnessReport(db, jobId, q);
    const reference = robustnessOf(fs, { ...q, by: q.by as "sharpe" | "total_pnl" });
    assert.deepEqual(served, reference, JSON.stringify(q));
  }
}

test("streamed report = in-memory report: PBO, walk-forward, top rows with DSR, stability, twins", async () => {
  const db = await ResultsDb.open(freshDbPath("robust-streamed"));
  await fillJob(db, "j1");
  const fs = await db.foldStats("j1");
  // the fixture holds what the test says it does
  assert.ok(
    Array.from(fs.sameAs).some((v) => !Number.isNaN(v)),
    "twins",
  );
  assert.ok(
    Array.from(fs.sharpe).some((v) => Number.isNaN(v)),
    "null Sharpes",
  );
  await compare(db, "j1");
  const report = await buildRobustnessReport(db, "j1", { by: "sharpe", limit: 20 });
  assert.ok(report!.top.some((r) => r.n_identical > 0));
  assert.ok(report!.top.some((r) => r.n_neighbours > 0));
  assert.deepEqual([...report!.params].sort(), ["z_entry", "z_exit", "z_stop", "zscore_window"]);
  await db.close();
});

test("the older layout (a results_folds table) streams the same report", async () => {
  const file = freshDbPath("robust-streamed-old");
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  const cols = (defs: typeof RESULT_COLUMNS) => defs.map((c) => `"${c.name}" ${c.sql}`).join(", ");
  await conn.run(`CREATE TABLE results (${cols(RESULT_COLUMNS)}, PRIMARY KEY (job_id, combo_id))`);
  await conn.run(`CREATE TABLE results_folds (${cols(FOLD_COLUMNS)})`);
  conn.closeSync();
  instance.closeSync();
  const db = await ResultsDb.open(file);
  await fillJob(db, "j2");
  await compare(db, "j2");
  await db.close();
});
