// `pairgrid parity` without the command line: both paths on the same bars of one combination,
// the comparison and its diagnosis. The decision window is a range of trading days (the whole
// series by default); the batch computes its indicators over every loaded bar, the replay is fed
// from the start of its warm-up, by default the latest start that makes it bit-identical (so any
// |Δz| > 0 is a bug), and both trade only inside the window, starting flat.
import { InputError } from "../errors.js";
import type { IndicatorSettings } from "../indicators/compute-indicators.js";
import type { Combination } from "../grid-spec/param-defs.js";
import { type BarFeed, pairBarFeed } from "../live/bar-feed.js";
import {
  type BatchFaultHooks,
  type BatchRun,
  type DecisionWindow,
  type ParityData,
  runBatchPath,
} from "./batch-trace.js";
import { CME_GLOBEX_HOURS, type ExchangeHours, ExchangeSchedule } from "../live/exchange-schedule.js";
import { type IndicatorPlan, indicatorPlan } from "../live/incremental-indicators.js";
import { LookaheadFeed, type NextBarSchedule } from "../live/next-bar-schedule.js";
import {
  compareTraces,
  DEFAULT_PARITY_THRESHOLDS,
  type ParityComparison,
  type ParityThresholds,
} from "./parity-compare.js";
import { diagnose, type Finding } from "./parity-diagnosis.js";
import { type ReplayFaultHooks, ReplayEngine, replayFeed } from "../live/replay-engine.js";
import type { SignalTrace } from "./signal-trace.js";
import { fixedWarmup, planWarmup, type WarmupPlan } from "../live/warmup-plan.js";

/** How the replay learns about the next bar (next-bar-schedule.ts). */
export type NextBarMode = "lookahead" | "exchange";

export interface ParityOptions {
  combo: Combination;
  settings: IndicatorSettings;
  /** Config vector of the combination (configFor). */
  cfg: Float64Array;
  /** First and last trading day (day numbers) that may trade; null = from the first / to the last bar. */
  startDay?: number | null;
  endDay?: number | null;
  /** Warm-up bars before the window; null = the bit-identical plan (warmup-plan.ts). */
  warmupBars?: number | null;
  nextBar?: NextBarMode;
  /** Session hours for `nextBar: "exchange"` (default: CME Globex, synthetic holiday rules). */
  exchangeHours?: ExchangeHours;
  thresholds?: ParityThresholds;
  /** Fault injection, for the gate's own tests only. */
  batchHooks?: BatchFaultHooks;
  replayHooks?: ReplayFaultHooks;
}

export interface ParityOutcome {
  window: DecisionWindow;
  warmup: WarmupPlan;
  scheduleName: string;
  batch: BatchRun;
  replay: SignalTrace[];
  comparison: ParityComparison;
  findings: Finding[];
  thresholds: ParityThresholds;
  /** Wall time of each path, ms. */
  ms: { batch: number; replay: number };
}

/** Bars whose trading day lies in [startDay, endDay]. */
export function decisionWindow(
  data: ParityData,
  startDay: number | null,
  endDay: number | null,
): DecisionWindow {
  const { ts } = data.pair;
  const day = (i: number) => data.calendar.tradingDay(ts[i]! + data.barMs);
  let from = 0;
  let to = ts.length;
  if (startDay !== null) while (from < to && day(from) < startDay) from++;
  if (endDay !== null) while (to > from && day(to - 1) > endDay) to--;
  if (to === from) throw new InputError("--start/--end: no bars in that range of trading days", "--start");
  return { from, to };
}

/** Bars after which z is first defined from a cold start. */
function zDefinedAfter(plan: IndicatorPlan): number {
  return plan.hedge === "ols" ? plan.olsWindow + plan.zWindow - 2 : plan.zWindow - 1;
}

function scheduleFor(
  mode: NextBarMode,
  source: BarFeed,
  data: ParityData,
  window: DecisionWindow,
  hours: ExchangeHours,
): { schedule: NextBarSchedule; feed: BarFeed } {
  if (mode === "lookahead") {
    const lookahead = new LookaheadFeed(source);
    return { schedule: lookahead, feed: lookahead };
  }
  const lastDay = data.calendar.tradingDay(data.pair.ts[window.to - 1]! + data.barMs);
  return { schedule: new ExchangeSchedule(hours, data.barMs, data.calendar, lastDay), feed: source };
}

export async function runParity(data: ParityData, o: ParityOptions): Promise<ParityOutcome> {
  const thresholds = o.thresholds ?? DEFAULT_PARITY_THRESHOLDS;
  const window = decisionWindow(data, o.startDay ?? null, o.endDay ?? null);
  const plan = indicatorPlan(o.combo, o.settings);
  const planned = planWarmup(window.from, plan);
  const warmup = o.warmupBars == null ? planned : fixedWarmup(window.from, o.warmupBars, plan);

  const t0 = performance.now();
  const batch = runBatchPath(data, o.combo, o.settings, o.cfg, window, o.batchHooks);
  const t1 = performance.now();
  const source = pairBarFeed(data.pair, warmup.start, window.to);
  const { schedule, feed } = scheduleFor(
    o.nextBar ?? "lookahead",
    source,
    data,
    window,
    o.exchangeHours ?? CME_GLOBEX_HOURS,
  );
  const engine = new ReplayEngine({
    plan,
    cfg: o.cfg,
    calendar: data.calendar,
    barMs: data.barMs,
    schedule,
    firstIndex: warmup.start,
    decideFromTs: data.pair.ts[window.from]!,
    hooks: o.replayHooks,
  });
  const replay = await replayFeed(feed, engine);
  const t2 = performance.now();

  const comparison = compareTraces(batch.traces, replay, thresholds);
  const findings = diagnose(comparison, {
    warmupBars: window.from - warmup.start,
    plannedWarmupBars: window.from - planned.start,
    warmupBitIdentical: warmup.bitIdentical,
    zDefinedAfterBars: zDefinedAfter(plan),
    scheduleName: schedule.name,
  });
  return {
    window,
    warmup,
    scheduleName: schedule.name,
    batch,
    replay,
    comparison,
    findings,
    thresholds,
    ms: { batch: t1 - t0, replay: t2 - t1 },
  };
}
