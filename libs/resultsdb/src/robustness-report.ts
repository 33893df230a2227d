// The robustness report of a job (`pairgrid robustness`, GET /jobs/:id/robustness, the dashboard):
// PBO by CSCV, walk-forward selection (anchored and rolling), and the top rows with Sharpe, DSR and
// the stability of their grid cell side by side. Reads the job once (fold-stats.ts), computes with
// the engine's pure functions, and returns plain JSON (null for a null statistic).
import {
  checkCscvGroups,
  checkFoldStatistic,
  checkWalkForwardWindow,
  cscvPbo,
  defaultCscvGroups,
  defaultWalkForwardWindow,
  type FoldMatrix,
  type FoldStatistic,
  gridNeighbours,
  InputError,
  PARAM_NAMES,
  type PboResult,
  rankRows,
  stabilityScores,
  walkForward,
  type WalkForwardMode,
  type WalkForwardResult,
} from "@pairgrid/engine";
import type { FoldStats } from "./fold-stats.js";
import type { ResultsDb } from "./results-db.js";

export interface RobustnessQuery {
  /** Statistic to select and rank by: sharpe (default) or total_pnl (FOLD_STATISTICS). */
  by?: string;
  /** CSCV groups S (even, 2 … min(F, 32)); default the largest even number ≤ min(F, 16). */
  splits?: number;
  /** Walk-forward window (rolling training folds, first test fold); default ⌊F/4⌋, at least 1. */
  window?: number;
  /** Top rows to list (default 20). */
  limit?: number;
}

/** Varying parameters of a combination by name (null = feature off). */
export type ParamValues = Record<string, number | null>;

export interface PboReport {
  /** S: groups the folds are cut into. */
  groups: number;
  n_splits: number;
  n_splits_total: number;
  /** True when a seeded sample of the C(S, S/2) splits was evaluated. */
  sampled: boolean;
  /** Share of splits whose IS winner ranks at or below the OOS median; null with < 2 combinations. */
  pbo: number | null;
  logits: number[];
  /** λ histogram: counts[k] holds λ in (edges[k], edges[k+1]]; left half = PBO. */
  logit_histogram: { edges: number[]; counts: number[] };
  /** IS winner's statistic and its OOS statistic, one pair per split (for a scatter plot). */
  degradation: {
    is: number[];
    oos: (number | null)[];
    slope: number | null;
    intercept: number | null;
    prob_oos_loss: number | null;
  };
}

export interface WalkForwardStepRow {
  train_from: number;
  train_to: number;
  test_fold: number;
  /** Chosen combination; null when none had a defined statistic on the training folds. */
  combo_id: number | null;
  params: ParamValues | null;
  is_sharpe: number | null;
  is_pnl: number | null;
  oos_sharpe: number | null;
  oos_pnl: number | null;
  oos_n_trades: number;
  oos_n_days: number;
}

export interface WalkForwardReport {
  mode: WalkForwardMode;
  steps: WalkForwardStepRow[];
  /** The chosen combinations' test folds end to end. */
  stitched: { sharpe: number | null; pnl: number; n_days: number; n_trades: number };
  /** Best over all folds, and what it did over the same test folds. */
  in_sample_best: {
    combo_id: number | null;
    params: ParamValues | null;
    sharpe: number | null;
    pnl: number | null;
    oos_period_sharpe: number | null;
    oos_period_pnl: number | null;
    /** Its PnL in each step's test fold (steps order): the hindsight curve the stitched one is drawn against. */
    test_fold_pnl: number[];
  };
}

export interface RankedRow {
  rank: number;
  combo_id: number;
  params: ParamValues;
  sharpe: number | null;
  dsr: number | null;
  /** Median of the grid neighbours' statistic − own (≈ 0 plateau, ≪ 0 lone spike); engine stability.ts. */
  stability: number | null;
  n_neighbours: number;
  total_pnl: number | null;
  n_trades: number | null;
  /** Other rows of the job with identical statistics (same_as this row): "+N identical". */
  n_identical: number;
}

export interface RobustnessReport {
  job_id: string;
  by: FoldStatistic;
  /** Combinations with a result row. */
  n_combos: number;
  n_folds: number;
  /** Parameters that vary over the rows: the keys of every `params` object. */
  params: string[];
  /** null with fewer than 2 folds or 2 combinations. */
  pbo: PboReport | null;
  /** null with fewer than 2 folds. */
  walk_forward: { window: number; anchored: WalkForwardReport; rolling: WalkForwardReport } | null;
  top: RankedRow[];
}

const DEFAULT_LIMIT = 20;
const orNull = (v: number) => (Number.isFinite(v) ? v : null);
const list = (a: ArrayLike<number>) => Array.from(a, (v) => orNull(v));

/**
 * The report of job `jobId`, or null when the file has no such job. Bad query values are
 * InputErrors whose path is the query field (`by`, `splits`, `window`, `limit`).
 */
export async function buildRobustnessReport(
  db: ResultsDb,
  jobId: string,
  q: RobustnessQuery = {},
): Promise<RobustnessReport | null> {
  const by = checkFoldStatistic(q.by ?? "sharpe");
  const limit = q.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new InputError(`limit must be an integer ≥ 1, got ${limit}`, "limit");
  }
  const job = await db.getJob(jobId);
  if (!job) return null;
  // a job's report changes only when its rows or status do: the same question about the same
  // state is answered from the cache (and a second asker waits for the first one's computation)
  const key = JSON.stringify([jobId, job.status, job.n_done, job.finished_at, by, limit, q.splits, q.window]);
  let cache = reportCaches.get(db);
  if (!cache) reportCaches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  // streamed: the job's fold matrix is never held whole (robustness-streamed.ts); robustnessOf
  // below is the same report over a job read into memory, the reference it is tested against
  const report = db.robustness(jobId, { ...q, by, limit });
  cache.set(key, report);
  report.catch(() => cache.delete(key));
  // oldest first out: Maps keep insertion order
  while (cache.size > REPORT_CACHE) cache.delete(cache.keys().next().value!);
  return report;
}

/** Reports kept per results file (a few hundred KB each at most). */
const REPORT_CACHE = 16;
const reportCaches = new WeakMap<ResultsDb, Map<string, Promise<RobustnessReport>>>();

/** The report from data already read (pure: no database). */
export function robustnessOf(
  fs: FoldStats,
  q: RobustnessQuery & { by: FoldStatistic; limit: number },
): RobustnessReport {
  const { by, limit } = q;
  const F = fs.folds.nFolds;
  const N = fs.nRows;
  // the options are checked against the job even where the section is then left out
  if (q.splits !== undefined) checkCscvGroups(q.splits, F);
  if (q.window !== undefined) checkWalkForwardWindow(q.window, F);
  const nb = gridNeighbours(fs.params, PARAM_NAMES.length, N);
  const axes = Array.from(nb.axes);
  const paramsOf = (row: number): ParamValues =>
    Object.fromEntries(axes.map((j) => [PARAM_NAMES[j]!, orNull(fs.params[row * PARAM_NAMES.length + j]!)]));

  let pbo: PboReport | null = null;
  if (F >= 2 && N >= 2) pbo = pboReport(cscvPbo(fs.folds, { by, groups: q.splits ?? defaultCscvGroups(F) }));

  let walk: RobustnessReport["walk_forward"] = null;
  if (F >= 2) {
    const window = q.window ?? defaultWalkForwardWindow(F);
    const run = (mode: WalkForwardMode) =>
      walkReport(walkForward(fs.folds, { by, mode, window }), fs, paramsOf);
    walk = { window, anchored: run("anchored"), rolling: run("rolling") };
  }

  // full-sample statistic from the results table, the one `pairgrid top` ranks by
  const values = by === "sharpe" ? fs.sharpe : fs.totalPnl;
  const stab = stabilityScores(nb, values);
  // each group of twins (same_as) ranks once, by its first row, as in `pairgrid top`
  const { firstRows, twins } = twinCounts(fs);
  const firstValues = Float64Array.from(firstRows, (row) => values[row]!);
  const ranked = Array.from(rankRows(firstValues, limit), (k) => firstRows[k]!);
  const top = ranked.map((row, i) => ({
    rank: i + 1,
    combo_id: fs.comboIds[row]!,
    params: paramsOf(row),
    sharpe: orNull(fs.sharpe[row]!),
    dsr: orNull(fs.dsr[row]!),
    stability: orNull(stab.stability[row]!),
    n_neighbours: stab.nNeighbours[row]!,
    total_pnl: orNull(fs.totalPnl[row]!),
    n_trades: orNull(fs.nTrades[row]!),
    n_identical: twins.get(fs.comboIds[row]!) ?? 0,
  }));
  return {
    job_id: fs.jobId,
    by,
    n_combos: N,
    n_folds: F,
    params: axes.map((j) => PARAM_NAMES[j]!),
    pbo,
    walk_forward: walk,
    top,
  };
}

/** Rows that are no other row's twin (same_as NULL), and how many twins point at each combo id. */
function twinCounts(fs: FoldStats): { firstRows: Int32Array; twins: Map<number, number> } {
  const twins = new Map<number, number>();
  let nFirst = 0;
  for (let row = 0; row < fs.nRows; row++) {
    const first = fs.sameAs[row]!;
    if (Number.isNaN(first)) nFirst++;
    else twins.set(first, (twins.get(first) ?? 0) + 1);
  }
  const firstRows = new Int32Array(nFirst);
  for (let row = 0, k = 0; row < fs.nRows; row++) if (Number.isNaN(fs.sameAs[row]!)) firstRows[k++] = row;
  return { firstRows, twins };
}

export function pboReport(r: PboResult): PboReport {
  return {
    groups: r.groups,
    n_splits: r.nSplits,
    n_splits_total: r.nSplitsTotal,
    sampled: r.sampled,
    pbo: orNull(r.pbo),
    logits: Array.from(r.logits),
    logit_histogram: { edges: Array.from(r.histogram.edges), counts: Array.from(r.histogram.counts) },
    degradation: {
      is: Array.from(r.isBest),
      oos: list(r.oosOfBest),
      slope: orNull(r.degradation.slope),
      intercept: orNull(r.degradation.intercept),
      prob_oos_loss: orNull(r.degradation.probOosLoss),
    },
  };
}

/** The rows a walk-forward result's row numbers refer to: the job's (FoldStats) or a streamed selection's. */
export interface WalkForwardRows {
  comboIds: ArrayLike<number>;
  folds: FoldMatrix;
}

export function walkReport(
  r: WalkForwardResult,
  fs: WalkForwardRows,
  paramsOf: (row: number) => ParamValues,
): WalkForwardReport {
  const best = r.inSampleBest;
  return {
    mode: r.mode,
    steps: r.steps.map((s) => ({
      train_from: s.trainFrom,
      train_to: s.trainTo,
      test_fold: s.testFold,
      combo_id: s.row >= 0 ? fs.comboIds[s.row]! : null,
      params: s.row >= 0 ? paramsOf(s.row) : null,
      is_sharpe: orNull(s.isSharpe),
      is_pnl: orNull(s.isPnl),
      oos_sharpe: orNull(s.oosSharpe),
      oos_pnl: orNull(s.oosPnl),
      oos_n_trades: s.oosNTrades,
      oos_n_days: s.oosNDays,
    })),
    stitched: {
      sharpe: orNull(r.stitched.sharpe),
      pnl: r.stitched.pnl,
      n_days: r.stitched.nDays,
      n_trades: r.stitched.nTrades,
    },
    in_sample_best: {
      combo_id: best.row >= 0 ? fs.comboIds[best.row]! : null,
      params: best.row >= 0 ? paramsOf(best.row) : null,
      sharpe: orNull(best.sharpe),
      pnl: orNull(best.pnl),
      oos_period_sharpe: orNull(best.oosPeriodSharpe),
      oos_period_pnl: orNull(best.oosPeriodPnl),
      test_fold_pnl:
        best.row >= 0 ? r.steps.map((st) => fs.folds.pnl[best.row * fs.folds.nFolds + st.testFold]!) : [],
    },
  };
}
