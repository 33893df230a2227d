export * from "./fast-closes.js";
export * from "./fast-coverage.js";
export * from "./load-fast-closes.js";
export * from "./leg-load-options.js";
export * from "./load-fast-pair.js";
export * from "./load-slow-pair.js";
export { alignFast, alignSlow } from "./align.js";
export { allocBars, type Bars, type PairBars } from "./bars.js";
export { defaultCacheDir } from "./cache-dir.js";
export {
  type CsvColumns,
  DEFAULT_MAX_JUMP,
  type LegFormat,
  type LoadLegOptions,
  type LoadReport,
  type Roll,
  SKIP_KINDS,
  type SkipKind,
  type SkippedRow,
} from "./leg-format.js";
export { dataFilesStamp } from "./leg-files-stamp.js";
export { loadLeg } from "./load-leg.js";
export { resampleBars } from "./resample.js";
