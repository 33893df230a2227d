// Probability of Backtest Overfitting by CSCV (Bailey, Borwein, López de Prado, Zhu 2015), over
// the fold statistics of a job. For each split: the combination that is best in-sample (IS), its
// relative rank ω̄ = rank / (N + 1) among all N combinations out-of-sample (OOS), and the logit
// λ = ln(ω̄ / (1 − ω̄)). PBO is the share of splits with λ ≤ 0: how often the IS winner does no
// better than the OOS median. The IS-vs-OOS pairs of the winners measure performance degradation.
import { InputError } from "../errors.js";
import {
  binomial,
  checkCscvGroups,
  CSCV_SEED,
  cscvHalves,
  defaultCscvGroups,
  foldGroups,
} from "./cscv-splits.js";
import { checkFoldMatrix, type FoldMatrix } from "./fold-matrix.js";
import { type FoldStatistic, rowTotals, splitStatistics } from "./fold-statistic.js";
import { bestRow, midRank } from "./ranking.js";

export interface PboOptions {
  /** Statistic the IS winner is chosen by and ranked by OOS (default sharpe). */
  by?: FoldStatistic;
  /** S, the number of groups (even, 2 ≤ S ≤ min(F, 32)); default defaultCscvGroups(F). */
  groups?: number;
  /** Most splits to evaluate (rounded down to even); default defaultMaxSplits(N, F). */
  maxSplits?: number;
  seed?: number;
  /** Bins of the λ histogram (even, so that 0 is an edge); default 20. */
  bins?: number;
}

export interface LogitHistogram {
  /** bins + 1 edges from −ln N to ln N (the most extreme λ possible); 0 is the middle one. */
  edges: Float64Array;
  /** counts[k]: λ in (edges[k], edges[k+1]], the first bin also taking −ln N itself. */
  counts: Int32Array;
}

export interface Degradation {
  /** OLS of OOS on IS over the splits where both are defined; NaN with < 2 such or no IS spread. */
  slope: number;
  intercept: number;
  /** Share of the winners whose OOS statistic is below 0 (among those where it is defined). */
  probOosLoss: number;
}

export interface PboResult {
  groups: number;
  /** C(S, S/2). */
  nSplitsTotal: number;
  /** Splits evaluated (those where some combination had a defined IS statistic). */
  nSplits: number;
  sampled: boolean;
  /** Share of splits with λ ≤ 0; NaN with fewer than 2 combinations or no split evaluated. */
  pbo: number;
  /** Per evaluated split: λ, the winner's row, its IS and OOS statistic (OOS NaN = null). */
  logits: Float64Array;
  winners: Int32Array;
  isBest: Float64Array;
  oosOfBest: Float64Array;
  histogram: LogitHistogram;
  degradation: Degradation;
}

/** Budget of a default evaluation, in splits × N·F (a split costs about N·F/4 cell reads). */
const CSCV_WORK = 5e8;
const MIN_DEFAULT_SPLITS = 100;
/** C(16, 8): every split of the default S = 16, for jobs small enough to afford them all. */
const MAX_DEFAULT_SPLITS = 12_870;

/**
 * Default cap on the splits: all of them for small jobs, fewer as N·F grows (a job of 1e6
 * combinations × 16 folds evaluates 100 splits, seconds rather than minutes), never fewer than
 * 100, which puts PBO within about ±0.05 (one standard error at PBO = 0.5) of its full value.
 */
export function defaultMaxSplits(nRows: number, nFolds: number): number {
  const byWork = Math.floor(CSCV_WORK / Math.max(1, nRows * nFolds));
  return Math.max(MIN_DEFAULT_SPLITS, Math.min(MAX_DEFAULT_SPLITS, byWork));
}

/** What a CSCV evaluation runs over, from the options checked against the job's shape. */
export interface CscvPlan {
  by: FoldStatistic;
  groups: number;
  nSplitsTotal: number;
  bins: number;
  /** The in-sample halves A (each evaluated with its complement B) as 0/1 masks over the folds. */
  foldMasks: Uint8Array[];
}

export function cscvPlan(nRows: number, nFolds: number, opts: PboOptions = {}): CscvPlan {
  const by = opts.by ?? "sharpe";
  const S = opts.groups ?? defaultCscvGroups(nFolds);
  checkCscvGroups(S, nFolds);
  const maxSplits = opts.maxSplits ?? defaultMaxSplits(nRows, nFolds);
  if (!Number.isSafeInteger(maxSplits) || maxSplits < 2) {
    throw new InputError(`maxSplits must be an integer ≥ 2, got ${maxSplits}`, "maxSplits");
  }
  const bins = opts.bins ?? 20;
  if (!Number.isSafeInteger(bins) || bins < 2 || bins % 2 !== 0) {
    throw new RangeError(`bins must be an even integer ≥ 2, got ${bins}`);
  }
  const halves = cscvHalves(S, Math.floor(maxSplits / 2), opts.seed ?? CSCV_SEED);
  const groupOf = foldGroups(nFolds, S);
  const foldMasks = halves.map((half) => Uint8Array.from(groupOf, (g) => half[g]!));
  return { by, groups: S, nSplitsTotal: binomial(S, S / 2), bins, foldMasks };
}

/** One evaluated split: the IS winner, its IS and OOS statistic, and its OOS mid-rank. */
export interface CscvSplit {
  winner: number;
  is: number;
  oos: number;
  oosRank: number;
}

/** The result from the evaluated splits (in plan order: per half, IS = A then IS = B). */
export function pboFromSplits(plan: CscvPlan, nRows: number, splits: readonly CscvSplit[]): PboResult {
  const logits = splits.map((s) => {
    const omega = s.oosRank / (nRows + 1);
    return Math.log(omega / (1 - omega));
  });
  const isBest = splits.map((s) => s.is);
  const oosOfBest = splits.map((s) => s.oos);
  const nSplits = logits.length;
  const atOrBelowZero = logits.filter((l) => l <= 0).length;
  return {
    groups: plan.groups,
    nSplitsTotal: plan.nSplitsTotal,
    nSplits,
    sampled: plan.foldMasks.length * 2 < plan.nSplitsTotal,
    pbo: nRows >= 2 && nSplits > 0 ? atOrBelowZero / nSplits : Number.NaN,
    logits: Float64Array.from(logits),
    winners: Int32Array.from(splits, (s) => s.winner),
    isBest: Float64Array.from(isBest),
    oosOfBest: Float64Array.from(oosOfBest),
    histogram: logitHistogram(logits, nRows, plan.bins),
    degradation: degradation(isBest, oosOfBest),
  };
}

export function cscvPbo(m: FoldMatrix, opts: PboOptions = {}): PboResult {
  checkFoldMatrix(m);
  const plan = cscvPlan(m.nRows, m.nFolds, opts);
  const N = m.nRows;
  const splits: CscvSplit[] = [];
  const statA = new Float64Array(N);
  const statB = new Float64Array(N);
  const totals = rowTotals(m);
  for (const inA of plan.foldMasks) {
    splitStatistics(m, inA, plan.by, statA, statB, totals);
    // both splits of the complementary pair: IS = A, OOS = B; then IS = B, OOS = A
    for (const [is, oos] of [
      [statA, statB],
      [statB, statA],
    ] as const) {
      const best = bestRow(is);
      if (best < 0) continue;
      splits.push({ winner: best, is: is[best]!, oos: oos[best]!, oosRank: midRank(oos, best) });
    }
  }
  return pboFromSplits(plan, N, splits);
}

/**
 * Equal bins over [−ln N, ln N]. A λ ≤ 0 always lands in the left half and a λ > 0 in the right,
 * so the left half's counts add up to exactly PBO × nSplits.
 */
export function logitHistogram(logits: readonly number[], nRows: number, bins: number): LogitHistogram {
  const L = nRows >= 2 ? Math.log(nRows) : 1;
  const edges = new Float64Array(bins + 1);
  for (let k = 0; k <= bins; k++) edges[k] = -L + (2 * L * k) / bins;
  edges[bins / 2] = 0;
  const counts = new Int32Array(bins);
  const mid = bins / 2;
  for (const l of logits) {
    let k = Math.ceil(((l + L) / (2 * L)) * bins) - 1;
    k = l <= 0 ? Math.min(Math.max(k, 0), mid - 1) : Math.max(Math.min(k, bins - 1), mid);
    counts[k]!++;
  }
  return { edges, counts };
}

export function degradation(is: readonly number[], oos: readonly number[]): Degradation {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let losses = 0;
  let defined = 0;
  for (let i = 0; i < is.length; i++) {
    const y = oos[i]!;
    if (Number.isNaN(y)) continue;
    defined++;
    if (y < 0) losses++;
    n++;
    sx += is[i]!;
    sy += y;
  }
  const probOosLoss = defined > 0 ? losses / defined : Number.NaN;
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN, probOosLoss };
  // centred second pass: IS winners' statistics cluster tightly, so Σx² − n·x̄² would cancel
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < is.length; i++) {
    const y = oos[i]!;
    if (Number.isNaN(y)) continue;
    const dx = is[i]! - mx;
    sxx += dx * dx;
    sxy += dx * (y - my);
  }
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  return { slope, intercept: Number.isNaN(slope) ? Number.NaN : my - slope * mx, probOosLoss };
}
