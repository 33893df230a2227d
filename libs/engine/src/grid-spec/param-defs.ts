// The strategy parameters a grid may vary, with their domains. One table, so the schema, the
// `--set` parser, the DuckDB column list and the kernels' config vector all agree on names.

export type ParamKind = "int" | "number";

export interface ParamDef {
  name: string;
  kind: ParamKind;
  /** null allowed: the feature it controls can be switched off. */
  nullable: boolean;
  /** Value used when the spec does not mention the parameter. */
  default: number | null;
  /** Domain check on one value; returns the reason it is out of range, or null. */
  check: (v: number) => string | null;
  doc: string;
}

const positive = (v: number) => (v > 0 ? null : "must be > 0");
const atLeast = (n: number) => (v: number) => (v >= n ? null : `must be ≥ ${n}`);
const inRange = (lo: number, hi: number) => (v: number) =>
  v >= lo && v <= hi ? null : `must be between ${lo} and ${hi}`;
const any = () => null;

function def(
  name: string,
  kind: ParamKind,
  nullable: boolean,
  dflt: number | null,
  check: (v: number) => string | null,
  doc: string,
): ParamDef {
  return { name, kind, nullable, default: dflt, check, doc };
}

/** Order matters: it is the column order of results tables and of `--set` help. */
export const PARAM_DEFS: readonly ParamDef[] = [
  def("ols_window", "int", false, null, atLeast(2), "OLS hedge window in bars (hedge: ols)"),
  def("delta", "number", false, 1e-4, inRange(1e-12, 0.999999), "Kalman state noise δ (hedge: kalman)"),
  def("ve", "number", false, 1e-3, positive, "Kalman observation variance (hedge: kalman)"),
  def("zscore_window", "int", false, null, atLeast(2), "z-score window in bars"),
  def("z_entry", "number", false, null, positive, "entry threshold |z| ≥ z_entry"),
  def("z_exit", "number", false, 0, any, "signed exit level (long exits at z ≥ −z_exit)"),
  def("z_stop", "number", true, null, positive, "z stop-loss level, null = off"),
  def("max_hold", "int", true, null, atLeast(0), "maximum bars held, 0 or null = off"),
  def("dollar_tp", "number", true, null, positive, "take profit in dollars, null = off"),
  def("dollar_sl", "number", true, null, positive, "stop loss in dollars, null = off"),
  def("corr_window", "int", true, null, atLeast(2), "log-return correlation window (returns)"),
  def("min_corr", "number", true, null, inRange(-1, 1), "gate: corr ≥ min_corr"),
  def("hurst_window", "int", true, null, atLeast(2), "Hurst window (values per lag)"),
  def("max_hurst", "number", true, null, any, "gate: H ≤ max_hurst"),
  def("hl_window", "int", true, null, atLeast(3), "half-life window (pairs)"),
  def("hl_min", "number", true, null, positive, "gate: HL ≥ hl_min (bars)"),
  def("hl_max", "number", true, null, positive, "gate: HL ≤ hl_max (bars)"),
  def("adf_window", "int", true, null, atLeast(3), "ADF window (pairs)"),
  def("adf_max_stat", "number", true, null, any, "gate: ADF statistic ≤ adf_max_stat"),
  def("adf_max_pvalue", "number", true, null, inRange(0, 1), "gate: ADF p-value ≤ adf_max_pvalue"),
  def("min_gates", "int", true, null, atLeast(0), "confidence filter: at least this many gates pass"),
];

export const PARAM_NAMES: readonly string[] = PARAM_DEFS.map((d) => d.name);
export const PARAM_BY_NAME: ReadonlyMap<string, ParamDef> = new Map(PARAM_DEFS.map((d) => [d.name, d]));

/** Gates: threshold parameters and the window each one needs (ENGINE.md §4, §10). */
export const GATES = [
  { name: "corr", thresholds: ["min_corr"], window: "corr_window" },
  { name: "hurst", thresholds: ["max_hurst"], window: "hurst_window" },
  { name: "half_life", thresholds: ["hl_min", "hl_max"], window: "hl_window" },
  { name: "adf_stat", thresholds: ["adf_max_stat"], window: "adf_window" },
  { name: "adf_pvalue", thresholds: ["adf_max_pvalue"], window: "adf_window" },
] as const;

/** One combination: every parameter resolved to a number or null. */
export type Combination = Record<string, number | null>;
