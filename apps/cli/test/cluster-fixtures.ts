// Grids for the cluster tests: a small one for exact equality, and a demo-sized one whose chunks
// take long enough (tenths of a second) that a kill always lands in the middle of one.
import { join } from "node:path";
import { type RunDir, runToEnd, specObject, writeSpec } from "./run-fixtures.js";

export const SMALL_PARAMS = {
  ols_window: [500, 1000],
  zscore_window: [50, 100],
  z_entry: { from: 1.5, to: 3.0, step: 0.25 },
  z_exit: [-0.5, 0, 0.5],
  z_stop: [null, 3.5, 4.5],
  max_hold: [0, 100],
  corr_window: 300,
  min_corr: [null, 0.5],
};

/**
 * The demo grid's axes (16 groups × 6,804 threshold sets): 64 chunks of ≈ 1,700 combinations,
 * each a few tenths of a second on 250 days, so a kill always lands in the middle of one.
 */
export const LONG_PARAMS = {
  ols_window: [500, 1000, 2000, 4000],
  zscore_window: [50, 100, 200, 400],
  z_entry: { from: 1.5, to: 3.0, step: 0.25 },
  z_exit: [-0.5, 0, 0.5],
  z_stop: [null, 3.5, 4.5],
  max_hold: [0, 100, 300],
  dollar_tp: [null, 500, 1000],
  dollar_sl: [null, 500, 1000],
  corr_window: 500,
  min_corr: [null, 0.6],
  hl_window: 500,
  hl_max: [null, 200],
};

/** Writes the spec, runs it locally (2 threads) and returns its file, results file and job id. */
export function localBaseline(rd: RunDir, name: string, params: Record<string, unknown>) {
  const spec = specObject(params, { name });
  const file = writeSpec(rd, `${name}.json`, spec);
  const db = join(rd.dir, `${name}-local.duckdb`);
  const { jobId } = runToEnd(rd, [file, "--db", db, "--threads", "2", "--quiet"]);
  return { spec, file, db, jobId };
}
