// The live replay engine and the parity gate (ENGINE.md §9). Named exports only: the one-bar
// helpers (gate filter, state machine parts) stay internal, so their generic names never clash
// with the other engines' exports.
export { type BarFeed, pairBarFeed, type ReplayBar } from "./bar-feed.js";
export {
  type BatchFaultHooks,
  type BatchRun,
  type DecisionWindow,
  type ParityData,
  runBatchPath,
} from "./batch-trace.js";
export { type HybridBatchRun, runHybridBatchPath } from "./hybrid-batch-trace.js";
export { diagnoseHybrid, zLiveLookahead } from "./hybrid-diagnosis.js";
export {
  fastRowRange,
  type HybridEvent,
  hybridEventFeed,
  type HybridFastEvent,
  type HybridFeed,
  type HybridSlowEvent,
} from "./hybrid-feed.js";
export { HybridReplayEngine, type HybridReplayOptions, replayHybridFeed } from "./hybrid-replay-engine.js";
export { type HybridParityOptions, type HybridParityOutcome, runHybridParity } from "./run-hybrid-parity.js";
export { CME_GLOBEX_HOURS, type ExchangeHours, ExchangeSchedule } from "./exchange-schedule.js";
export {
  IncrementalIndicators,
  type IndicatorPlan,
  indicatorPlan,
  type IndicatorSnapshot,
} from "./incremental-indicators.js";
export { LookaheadFeed, type NextBarSchedule } from "./next-bar-schedule.js";
export {
  compareTraces,
  DEFAULT_PARITY_THRESHOLDS,
  type ParityComparison,
  type ParityMetrics,
  type ParityRow,
  type ParityThresholds,
} from "./parity-compare.js";
export { diagnose, type DiagnosisContext, type Finding, type FindingCode } from "./parity-diagnosis.js";
export { PARITY_DIFF_COLUMNS, writeParityDiffCsv } from "./parity-diff-csv.js";
export {
  ReplayEngine,
  type ReplayEngineOptions,
  type ReplayFaultHooks,
  replayFeed,
} from "./replay-engine.js";
export {
  decisionWindow,
  type NextBarMode,
  type ParityOptions,
  type ParityOutcome,
  runParity,
} from "./run-parity.js";
export { SignalStateMachine, type StepResult } from "./signal-state-machine.js";
export {
  hybridConfigHash,
  runConfigHash,
  type SignalTrace,
  traceDigest,
  traceJson,
  type TracePath,
  writeTraceJsonl,
} from "./signal-trace.js";
export { convergenceBar, fixedWarmup, planWarmup, type WarmupPlan } from "./warmup-plan.js";
