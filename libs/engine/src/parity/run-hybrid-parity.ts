// `pairgrid parity` for the hybrid engines (ENGINE.md §8–9): the batch hybrid reference and the
// hybrid replay (merged slow/fast event stream, indicators on slow completions only) on the same
// bars of one combination, compared event by event, and diagnosed. Same decision window and
// warm-up plan as the slow parity (run-parity.ts): indicators only ever read slow bars.
import type { FastCloses } from "../loaders/fast-closes.js";
import { type BatchFaultHooks, type ParityData, runHybridBatchPath } from "./batch-trace.js";
import { diagnoseHybrid } from "./hybrid-diagnosis.js";
import { fastRowRange, hybridEventFeed } from "../live/hybrid-feed.js";
import { type HybridEngineName, HybridReplayEngine, replayHybridFeed } from "../live/hybrid-replay-engine.js";
import { indicatorPlan } from "../live/incremental-indicators.js";
import { compareTraces, DEFAULT_PARITY_THRESHOLDS } from "./parity-compare.js";
import { decisionWindow, type ParityOptions, type ParityOutcome } from "./run-parity.js";
import { fixedWarmup, planWarmup } from "../live/warmup-plan.js";

export interface HybridParityOptions extends Omit<
  ParityOptions,
  "nextBar" | "exchangeHours" | "replayHooks"
> {
  engine: HybridEngineName;
  batchHooks?: BatchFaultHooks;
}

export interface HybridParityOutcome extends ParityOutcome {
  engine: HybridEngineName;
  /** Fast rows of the decision window's span (the replay is sent each of them). */
  fastRows: number;
  /** Trace rows of each kind on the batch side. */
  rows: { fast: number; slow: number };
}

/** Bars after which z is first defined from a cold start. */
function zDefinedAfter(plan: ReturnType<typeof indicatorPlan>): number {
  return plan.hedge === "ols" ? plan.olsWindow + plan.zWindow - 2 : plan.zWindow - 1;
}

export async function runHybridParity(
  data: ParityData,
  fast: FastCloses,
  o: HybridParityOptions,
): Promise<HybridParityOutcome> {
  const thresholds = o.thresholds ?? DEFAULT_PARITY_THRESHOLDS;
  const window = decisionWindow(data, o.startDay ?? null, o.endDay ?? null);
  const plan = indicatorPlan(o.combo, o.settings);
  const planned = planWarmup(window.from, plan);
  const warmup = o.warmupBars == null ? planned : fixedWarmup(window.from, o.warmupBars, plan);

  const t0 = performance.now();
  const batch = runHybridBatchPath(o.engine, data, fast, o.combo, o.settings, o.cfg, window, o.batchHooks);
  const t1 = performance.now();
  const engine = new HybridReplayEngine({
    engine: o.engine,
    plan,
    cfg: o.cfg,
    calendar: data.calendar,
    barMs: data.barMs,
    fastMs: fast.barMs,
    firstIndex: warmup.start,
    decideFromTs: data.pair.ts[window.from]!,
  });
  const feed = hybridEventFeed(data.pair, data.barMs, fast, warmup.start, window.from, window.to);
  const replay = await replayHybridFeed(feed, engine);
  const t2 = performance.now();

  const comparison = compareTraces(batch.traces, replay, thresholds);
  const scheduleName = "feed look-ahead (slow and fast)";
  const findings = diagnoseHybrid(comparison, {
    warmupBars: window.from - warmup.start,
    plannedWarmupBars: window.from - planned.start,
    warmupBitIdentical: warmup.bitIdentical,
    zDefinedAfterBars: zDefinedAfter(plan),
    scheduleName,
  });
  const { lo, hi } = fastRowRange(data.pair, fast, data.barMs, window.from, window.to);
  let fastTraces = 0;
  for (const t of batch.traces) if (t.event === "fast") fastTraces++;
  return {
    engine: o.engine,
    window,
    warmup,
    scheduleName,
    batch,
    replay,
    comparison,
    findings,
    thresholds,
    ms: { batch: t1 - t0, replay: t2 - t1 },
    fastRows: hi - lo,
    rows: { fast: fastTraces, slow: batch.traces.length - fastTraces },
  };
}
