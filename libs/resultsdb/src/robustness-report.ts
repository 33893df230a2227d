// The robustness report of a job (`pairgrid robustness`, GET /jobs/:id/robustness, the dashboard):
// PBO by CSCV, walk-forward selection (anchored and rolling), and the top rows with Sharpe, DSR and
// the stability of their grid cell side by side. Served streamed (robustness-streamed.ts: memory
// independent of the job's size); robustnessOf computes the same report over a job read into
// memory (fold-stats.ts) with the engine's pure functions: the reference the streamed one is
// tested against.
import {
  checkCscvGroups,
  checkFoldStatistic,
  checkWalkForwardWindow,
  cscvPbo,
  foldMatrixRows,
  defaultCscvGroups,
  defaultWalkForwardWindow,
  type FoldStatistic,
  gridNeighbours,
  InputError,
  PARAM_NAMES,
  rankRows,
  stabilityScores,
  walkForward,
  type WalkForwardMode,
} from "@pairgrid/engine";
import type { FoldStats } from "./fold-stats.js";
import type { ResultsDb } from "./results-db.js";
import {
  type ParamValues,
  type PboReport,
  pboReport,
  type RobustnessQuery,
  type RobustnessReport,
  walkReport,
} from "./robustness-json.js";

export type {
  ParamValues,
  PboReport,
  RankedRow,
  RobustnessQuery,
  RobustnessReport,
  WalkForwardReport,
  WalkForwardStepRow,
} from "./robustness-json.js";

const DEFAULT_LIMIT = 20;
const orNull = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * The report of job `jobId`, or null when the file has no such job. Bad query values are
 * InputErrors whose path is the query field (`by`, `splits`, `window`, `limit`). `onProgress`
 * follows the rows read (robustness-streamed.ts); a report answered from the cache, or already
 * being computed for another caller, reports none.
 */
export async function buildRobustnessReport(
  db: ResultsDb,
  jobId: string,
  q: RobustnessQuery = {},
  onProgress?: (done: number, total: number) => void,
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
  const report = db.robustness(jobId, { ...q, by, limit }, onProgress);
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

  // PBO and walk-forward rank results, not rows: each group of twins (same_as) once, by its
  // first row, as in `pairgrid top` (INTERFACE.md)
  const { firstRows, twins } = twinCounts(fs);
  const distinct = {
    comboIds: Float64Array.from(firstRows, (row) => fs.comboIds[row]!),
    folds: foldMatrixRows(fs.folds, firstRows),
  };
  let pbo: PboReport | null = null;
  if (F >= 2 && firstRows.length >= 2)
    pbo = pboReport(cscvPbo(distinct.folds, { by, groups: q.splits ?? defaultCscvGroups(F) }));

  let walk: RobustnessReport["walk_forward"] = null;
  if (F >= 2) {
    const window = q.window ?? defaultWalkForwardWindow(F);
    const run = (mode: WalkForwardMode) =>
      walkReport(walkForward(distinct.folds, { by, mode, window }), distinct, (k) => paramsOf(firstRows[k]!));
    walk = { window, anchored: run("anchored"), rolling: run("rolling") };
  }

  // full-sample statistic from the results table, the one `pairgrid top` ranks by
  const values = by === "sharpe" ? fs.sharpe : fs.totalPnl;
  const stab = stabilityScores(nb, values);
  // each group of twins ranks once too
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
    n_distinct: firstRows.length,
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
