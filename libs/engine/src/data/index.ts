export { alignFast, alignSlow } from "./align.js";
export { allocBars, type Bars, type PairBars } from "./bars.js";
export { defaultCacheDir } from "./cache-dir.js";
export type { CsvColumns, LegFormat, LoadLegOptions, LoadReport, Roll, SkippedRow } from "./leg-format.js";
export { loadLeg } from "./load-leg.js";
export { resampleBars } from "./resample.js";
