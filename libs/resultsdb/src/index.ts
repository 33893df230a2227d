export type { ChunkBatch } from "./chunk-batch.js";
export type { JobRecord, NewJob, RunClaim } from "./job-records.js";
export {
  describeInterruption,
  HEARTBEAT_MS,
  type Interruption,
  interruption,
  type LivenessProbe,
  localProbe,
  pidAlive,
  resumeCommand,
  SHOWN_STATUSES,
  type ShownStatus,
  shownStatus,
  STALE_AFTER_MS,
} from "./job-liveness.js";
export {
  DUCKDB_MEMORY_LIMIT,
  duckdbMemoryLimit,
  ResultsDb,
  type OpenOptions,
  WRITER_MEMORY_LIMIT,
} from "./results-db.js";
export { copyCheckpointed, copyThroughDuckDB } from "./snapshot-copies.js";
export { type TwinGroup } from "./twin-groups.js";
export type { JsonValue } from "./query-json.js";
export { formatBytes, formatMs } from "./query-limits.js";
export {
  MIN_QUERY_MEMORY,
  QueryBusyError,
  QueryMemoryError,
  QueryTimeoutError,
  SANDBOX_DEFAULTS,
  type QueryAnswer,
  type QueryColumn,
  type SandboxOptions,
  SandboxedQuery,
} from "./sandboxed-query.js";
export {
  FOLD_COLUMNS,
  FOLD_LIST_COLUMNS,
  isCountStat,
  JOB_RUNNERS,
  JOB_STATUSES,
  type JobRunner,
  type JobStatus,
  RESULT_COLUMNS,
} from "./schema.js";
export { TOP_COLUMNS, type TopOptions } from "./top-query.js";
export { replayCommand, SPEC_PLACEHOLDER } from "./replay-command.js";
export {
  bestAscending,
  checkRankable,
  jobRanking,
  type Ranking,
  type RankingAsk,
  rankedRowsWhere,
  rankingExampleSql,
  rankOrderSql,
} from "./ranking.js";
export {
  checkCombo,
  type ComboReport,
  comboReport,
  type HybridSection,
  type TradeRow,
  UnknownComboError,
} from "./combo-report.js";
export { type EquityCurve, equityCurve, MAX_EQUITY_POINTS } from "./equity-downsample.js";
export {
  type AxisValues,
  countRows,
  GRID_STATS,
  type JobGrid,
  jobGrid,
  jobSpec,
  JobSpecError,
} from "./grid-axes.js";
export {
  type Heatmap,
  HEATMAP_AGGS,
  type HeatmapAgg,
  type HeatmapQuery,
  heatmap,
  MAX_HEATMAP_CELLS,
} from "./heatmap-query.js";
export { DataUnavailableError, hasFastData, type JobData, jobPlan, loadJobData } from "./job-data.js";
export {
  MAX_ROWS_LIMIT,
  type RowFilter,
  type RowsPage,
  type RowsQuery,
  copyRankedRows,
  rowsPage,
  storedRow,
} from "./rows-query.js";
export { type FoldStats, readFoldStats } from "./fold-stats.js";
export {
  buildRobustnessReport,
  type PboReport,
  type ParamValues,
  type RankedRow,
  type RobustnessQuery,
  type RobustnessReport,
  robustnessOf,
  type WalkForwardReport,
  type WalkForwardStepRow,
} from "./robustness-report.js";
export {
  checkExportFormat,
  EXPORT_FORMATS,
  type ExportColumn,
  type ExportFile,
  type ExportFormat,
  type ExportTable,
  exportFile,
  exportTable,
  MAX_EXPORT_ROWS,
} from "./table-export.js";
export { type SignalCurve, signalCurve } from "./signal-downsample.js";
export { type ImportanceReport, type ParamImportance, paramImportance } from "./param-importance.js";
