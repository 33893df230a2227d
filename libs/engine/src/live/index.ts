export { type BarFeed, pairBarFeed, type ReplayBar } from "./bar-feed.js";
export {
  fastRowRange,
  type HybridEvent,
  hybridEventFeed,
  type HybridFastEvent,
  type HybridFeed,
  type HybridSlowEvent,
} from "./hybrid-feed.js";
export { HybridReplayEngine, type HybridReplayOptions, replayHybridFeed } from "./hybrid-replay-engine.js";
export { CME_GLOBEX_HOURS, type ExchangeHours, ExchangeSchedule } from "./exchange-schedule.js";
export {
  IncrementalIndicators,
  type IndicatorPlan,
  indicatorPlan,
  type IndicatorSnapshot,
} from "./incremental-indicators.js";
export { LookaheadFeed, type NextBarSchedule } from "./next-bar-schedule.js";
export {
  ReplayEngine,
  type ReplayEngineOptions,
  type ReplayFaultHooks,
  replayFeed,
} from "./replay-engine.js";
export { SignalStateMachine, type StepResult } from "./signal-state-machine.js";
export { convergenceBar, fixedWarmup, planWarmup, type WarmupPlan } from "./warmup-plan.js";
