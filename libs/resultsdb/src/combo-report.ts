// One combination of a finished (or running) job, re-run on demand: the reference engine's §7
// statistics, trade list, mark-to-market equity and drawdown, exit reasons, and, where the spec
// has fast data, the slow-vs-hybrid comparison `pairgrid hybrid --compare` prints. The same
// engine calls as `pairgrid backtest` / `pairgrid hybrid`, so the page and the CLI agree.
import {
  backtestInputs,
  type Combination,
  combinationAt,
  compareRuns,
  computeIndicators,
  configFor,
  EXIT_REASON_NAMES,
  type ExitReasonName,
  type HybridInputs,
  isValidCombination,
  type MovedExit,
  PARAM_NAMES,
  type ReferenceResult,
  runHybridDollarReference,
  runHybridZLiveReference,
  runReference,
  type StatisticPair,
  TRADE_COLUMNS,
  type Trade,
  type TradeBrief,
} from "@pairgrid/engine";
import { type EquityCurve, equityCurve, MAX_EQUITY_POINTS } from "./equity-downsample.js";
import type { JobData } from "./job-data.js";
import { type SignalCurve, signalCurve } from "./signal-downsample.js";

/** No such combination in the job's grid (id out of range, or one the §10 rules or constraints drop). */
export class UnknownComboError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownComboError";
  }
}

/** Moved exits and one-sided trades listed in a hybrid comparison (the counts are complete). */
export const MAX_LISTED_DIFFERENCES = 200;

export type TradeRow = Pick<Trade, (typeof TRADE_COLUMNS)[number]> & {
  entry_time: string;
  exit_time: string;
};

export interface HybridSection {
  engine: "hybrid_dollar" | "hybrid_zlive";
  /** The hybrid run's §7 statistics. */
  stats: Record<string, number | null>;
  /** Every statistic of both runs with hybrid − slow. */
  statistics: Record<string, StatisticPair>;
  trades_compared: {
    slow: number;
    hybrid: number;
    /** Trades entering at the same fill time in both runs. */
    matched: number;
    moved: number;
    slow_only: number;
    hybrid_only: number;
  };
  /** Hybrid total_pnl − slow total_pnl. */
  pnl_difference: number;
  /** The first MAX_LISTED_DIFFERENCES of each list, in entry order. */
  moved: MovedExit[];
  slow_only: TradeBrief[];
  hybrid_only: TradeBrief[];
  /** Aligned fast rows the hybrid run stepped through. */
  fast_rows: number;
}

export interface ComboReport {
  combo_id: number;
  /** Every parameter's value for this combination (as the job's rows store them). */
  params: Record<string, number | null>;
  /** The job's row for it, or null when it is not stored (yet). */
  stored: Record<string, unknown> | null;
  /** Reference engine: §7 statistics plus max_dd_mtm and sharpe_mtm. */
  stats: Record<string, number | null>;
  trades: TradeRow[];
  equity: EquityCurve;
  /** Spread and z-score at the equity's bar closes, exact around each trade's entry and exit. */
  signal: SignalCurve;
  /** The session's time zone (spec session.tz): the zone every time on the page is shown in. */
  session_tz: string;
  /** The job's hedge and engine: which parameters apply to it. */
  hedge: "ols" | "kalman";
  engine: string;
  /** Trades per exit reason, every reason present (0 when none). */
  reasons: Record<ExitReasonName, number>;
  hybrid: HybridSection | null;
}

/** The combination with id `comboId`, refused when the grid never runs it. */
export function checkCombo(data: Pick<JobData, "plan">, comboId: number): Combination {
  const { plan } = data;
  if (!Number.isSafeInteger(comboId) || comboId < 0 || comboId >= plan.total) {
    throw new UnknownComboError(`combination ${comboId}: the grid's ids run from 0 to ${plan.total - 1}`);
  }
  const combo = combinationAt(plan, comboId);
  if (!isValidCombination(plan, combo)) {
    throw new UnknownComboError(
      `combination ${comboId}: not run (the threshold rules or the spec's constraints rule it out)`,
    );
  }
  return combo;
}

const iso = (ms: number) => new Date(ms).toISOString();

function tradeRow(t: Trade): TradeRow {
  const row = {} as Record<string, unknown>;
  for (const c of TRADE_COLUMNS) row[c] = t[c];
  return {
    ...(row as Pick<Trade, (typeof TRADE_COLUMNS)[number]>),
    entry_time: iso(t.entry_ts),
    exit_time: iso(t.exit_ts),
  };
}

function reasonCounts(trades: readonly Trade[]): Record<ExitReasonName, number> {
  const out = Object.fromEntries(EXIT_REASON_NAMES.map((r) => [r, 0])) as Record<ExitReasonName, number>;
  for (const t of trades) out[t.reason]++;
  return out;
}

function hybridSection(
  data: JobData,
  slowRun: ReferenceResult,
  h: HybridInputs,
  cfg: Float64Array,
): HybridSection {
  // a hybrid job compares with its own engine; a slow job's fast files get dollar mode, as the CLI,
  // and so does a hybrid_curve job's combination: the exact engine its row approximates
  const engine = data.spec.engine === "hybrid_zlive" ? "hybrid_zlive" : "hybrid_dollar";
  const folds = data.spec.rank.folds;
  const run =
    engine === "hybrid_zlive"
      ? runHybridZLiveReference(h, cfg, folds)
      : runHybridDollarReference(h, cfg, folds);
  const c = compareRuns(slowRun, run);
  return {
    engine,
    stats: run.stats,
    statistics: c.statistics,
    trades_compared: {
      slow: c.trades.slow,
      hybrid: c.trades.hybrid,
      matched: c.trades.matched,
      moved: c.trades.moved.length,
      slow_only: c.trades.slow_only.length,
      hybrid_only: c.trades.hybrid_only.length,
    },
    pnl_difference: c.pnl_difference,
    moved: c.trades.moved.slice(0, MAX_LISTED_DIFFERENCES),
    slow_only: c.trades.slow_only.slice(0, MAX_LISTED_DIFFERENCES),
    hybrid_only: c.trades.hybrid_only.slice(0, MAX_LISTED_DIFFERENCES),
    fast_rows: h.fast.n,
  };
}

/** Runs combination `comboId` on the job's data (what `pairgrid backtest --set …` runs). */
export function comboReport(
  data: JobData,
  comboId: number,
  stored: Record<string, unknown> | null,
  /** Points of the equity and signal curves (a download takes every bar). */
  maxPoints = MAX_EQUITY_POINTS,
): ComboReport {
  const combo = checkCombo(data, comboId);
  const { spec, slow } = data;
  const ind = computeIndicators(slow.pair, combo, { hedge: spec.hedge, hurstLags: spec.gates.hurst_lags });
  const inputs = backtestInputs(slow, ind);
  const cfg = configFor(spec, combo);
  const result = runReference(inputs, cfg, spec.rank.folds);
  let hybrid: HybridSection | null = null;
  if (data.fast && data.fastCalendar) {
    const h: HybridInputs = {
      slow: inputs,
      alpha: ind.alpha,
      mu: ind.mu,
      sigma: ind.sigma,
      fast: data.fast.fast,
      ...data.fastCalendar,
    };
    hybrid = hybridSection(data, result, h, cfg);
  }
  return {
    combo_id: comboId,
    params: Object.fromEntries(PARAM_NAMES.map((p) => [p, combo[p] ?? null])),
    stored,
    stats: result.stats,
    trades: result.trades.map(tradeRow),
    equity: equityCurve(inputs.ts, inputs.barMs, result.equity, maxPoints),
    signal: signalCurve(
      inputs.ts,
      inputs.barMs,
      ind.z,
      ind.spread,
      result.trades.flatMap((t) => [t.entry_i, t.exit_i]),
      maxPoints,
    ),
    session_tz: spec.session.tz,
    hedge: spec.hedge,
    engine: spec.engine,
    reasons: reasonCounts(result.trades),
    hybrid,
  };
}
