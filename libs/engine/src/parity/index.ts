export {
  type BatchFaultHooks,
  type BatchRun,
  type DecisionWindow,
  type HybridBatchRun,
  type ParityData,
  runBatchPath,
  runHybridBatchPath,
} from "./batch-trace.js";
export { diagnoseHybrid, zLiveLookahead } from "./hybrid-diagnosis.js";
export { type HybridParityOptions, type HybridParityOutcome, runHybridParity } from "./run-hybrid-parity.js";
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
  decisionWindow,
  type NextBarMode,
  type ParityOptions,
  type ParityOutcome,
  runParity,
} from "./run-parity.js";
export {
  hybridConfigHash,
  runConfigHash,
  type SignalTrace,
  traceDigest,
  traceJson,
  type TracePath,
  writeTraceJsonl,
} from "./signal-trace.js";
