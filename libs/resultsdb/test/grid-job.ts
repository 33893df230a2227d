// A small job on a 4 × 3 × 4 × 2 grid with the awkward cases of real ones: twins (rows that copy
// another's behaviour), rows that never trade (null Sharpe), a parameter that is sometimes off
// (null), missing cells, statistics with many ties, chunks ingested out of order.
import { FOLD_WIDTH, N_STATS, PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import type { ChunkBatch, ResultsDb } from "../src/index.js";
import { newJob, P } from "./fixtures.js";

export const GRID_FOLDS = 8;
const F = GRID_FOLDS;
export const ENTRY = [1.5, 2, 2.5, 3];
export const EXIT = [0, 0.25, 0.5];
export const WINDOW = [20, 40, 60, 80];

/** The job's varying axes as grid-axes.ts describes them (heatmaps take them). */
export const GRID_JOB_AXES = {
  params: [
    { name: "zscore_window", values: WINDOW },
    { name: "z_entry", values: ENTRY },
    { name: "z_exit", values: EXIT },
    { name: "z_stop", values: [null, 4] },
  ],
  fixed: {},
};

/** A hash in [0, 1) of a few integers: deterministic noise. */
function noise(...k: number[]): number {
  let h = 2166136261;
  for (const v of k) h = Math.imul(h ^ (v + 0x9e3779b9), 16777619) >>> 0;
  return (h % 100000) / 100000;
}

/**
 * Combination id = e + 4·(x + 3·(w + 4·stop)): z_entry × z_exit × zscore_window × z_stop ∈ {null, 4}.
 * Behaviour b: every 5th row with a stop copies its twin without one; every 9th trades never.
 * Statistics other than the fold-derived ones are quarters (many ties).
 */
export function gridBatch(ids: number[]): ChunkBatch {
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
      else stats[i] = flat ? 0 : Math.round(noise(b, j, 11) * 4) / 4;
    });
  });
  return { comboIds: Float64Array.from(ids), params, stats, folds, nFolds: F };
}

/** Rows 0 … 95 but for a few missing cells, in chunks written last first. */
export async function fillGridJob(db: ResultsDb, jobId: string): Promise<void> {
  await db.createJob(newJob(jobId));
  const ids = Array.from({ length: 96 }, (_, i) => i).filter((i) => i % 17 !== 3);
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += 10) chunks.push(ids.slice(i, i + 10));
  for (let c = chunks.length - 1; c >= 0; c--) await db.ingestChunk(jobId, c, gridBatch(chunks[c]!));
  await db.finalizeDsr(jobId);
}
