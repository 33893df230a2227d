// Deterministic synthetic NQ/YM pair data (ENGINE.md §1 formats), in memory or as files.
export { dayKind, EARLY_CLOSE_MINUTES, REGULAR_CLOSE_MINUTES } from "./cme-holidays.js";
export {
  type GeneratedPair,
  generatePair,
  type LegCounts,
  type LegIndex,
  type PairSink,
} from "./generate-pair.js";
export { type InstrumentSpec, LEG_A, LEG_B } from "./instruments.js";
export { COARSE_STEP_SECONDS, type LegIntrabar } from "./intrabar-path.js";
export {
  MARKET_MODEL,
  type MarketCloses,
  type MarketModelParams,
  simulateMarketCloses,
} from "./market-model.js";
export { intradayVolatility } from "./market/intraday-profile.js";
export { REGIME_MEAN_REVERTING, REGIME_RANDOM_WALK } from "./market/regime-spread.js";
export { PAIR_MODEL } from "./pair-model.js";
export { Rng } from "./prng.js";
export { buildSessionSchedule, SESSION_TZ, type SessionSchedule } from "./session-schedule.js";
export { type LegMeta, SIERRA_HEADER, type SynthFiles, type SynthMeta } from "./synth-meta.js";
export {
  DEFAULT_SYNTH_OPTIONS,
  resolveSynthOptions,
  SYNTH_MODELS,
  type SynthModel,
  type SynthOptions,
} from "./synth-options.js";
export { type SynthLegBars, type SynthPair, synthesizePair } from "./synthesize-pair.js";
export { SYNTH_META_FILE, writeSynthFiles } from "./write-synth-files.js";
export { SYNTH_ORIGIN_FILE, type SynthOrigin, synthOrigin } from "./synth-origin.js";
