// The human-readable `pairgrid backtest` report: what was run, the §7 summary, how trades ended
// and the first and last trades. Plain text with aligned columns (no table library is installed);
// scripts use `--json` and the CSV files instead, so this layout is free to change.
import {
  type Combination,
  EXIT_REASON_COUNTS,
  PARAM_NAMES,
  type ReferenceResult,
  type Trade,
} from "@pairgrid/engine";

export interface BacktestReportInput {
  specName: string;
  symbols: [string, string];
  barMinutes: number;
  hedge: "ols" | "kalman";
  combo: Combination;
  result: ReferenceResult;
  nBars: number;
  firstDay: string;
  lastDay: string;
  /** Session time zone name, for the trade table's header. */
  tzName: string;
  /** `YYYY-MM-DD HH:MM` of an epoch-ms instant in the session time zone. */
  localTime: (ms: number) => string;
}

/** Trades shown at each end of the list; longer lists elide the middle. */
const TRADES_AT_EACH_END = 5;
const LINE_WIDTH = 100;

const DOLLARS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const NONE = "—";

export function dollars(v: number | null): string {
  if (v === null) return NONE;
  const s = DOLLARS.format(Math.abs(v));
  // −0.004 rounds to 0.00: no minus sign on a zero
  return v < 0 && s !== "0.00" ? `-$${s}` : `$${s}`;
}
const fixed = (v: number | null, digits = 2) => (v === null ? NONE : v.toFixed(digits));
const percent = (v: number | null) => (v === null ? NONE : `${(v * 100).toFixed(1)}%`);
const count = (v: number | null) => (v === null ? NONE : COUNT.format(v));

type Align = "left" | "right";

/** Rows of cells as lines, each column padded to its widest cell; two spaces between columns. */
export function alignedRows(rows: string[][], align: Align[], indent = "  "): string[] {
  const widths = align.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => {
    const cells = align.map((a, c) => {
      const cell = r[c] ?? "";
      return a === "right" ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!);
    });
    return (indent + cells.join("  ")).trimEnd();
  });
}

/** `k=v` for every parameter in use, wrapped; Kalman settings only under a Kalman hedge. */
function parameterLines(combo: Combination, hedge: "ols" | "kalman"): string[] {
  const kalmanOnly = new Set(["delta", "ve"]);
  // exits that are off (null, or max_hold 0) are listed apart, so the k=v line shows what acts
  const off = ["z_stop", "max_hold", "dollar_tp", "dollar_sl"].filter((k) => !combo[k]);
  const pairs = PARAM_NAMES.filter((k) => combo[k] !== null && combo[k] !== undefined && !off.includes(k))
    .filter((k) => hedge === "kalman" || !kalmanOnly.has(k))
    .map((k) => `${k}=${combo[k]}`);
  const label = "parameters  ";
  const lines: string[] = [];
  let line = label;
  for (const p of pairs) {
    if (line.length > label.length && line.length + p.length + 1 > LINE_WIDTH) {
      lines.push(line.trimEnd());
      line = " ".repeat(label.length);
    }
    line += `${p} `;
  }
  lines.push(line.trimEnd());
  if (off.length > 0) lines.push(`${" ".repeat(label.length)}off: ${off.join(", ")}`);
  return lines;
}

type Stats = Record<string, number | null>;
const statOf = (s: Stats) => (name: string) => s[name] ?? null;

function summaryLines(s: Stats): string[] {
  const v = statOf(s);
  const rows = [
    ["trades", count(v("n_trades")), `${count(v("n_long"))} long, ${count(v("n_short"))} short`],
    ["win rate", percent(v("win_rate")), `${count(v("n_wins"))} winning trades`],
    ["total PnL", dollars(v("total_pnl")), "net of costs"],
    ["avg PnL", dollars(v("avg_pnl")), "per trade"],
    ["gross profit", dollars(v("gross_profit")), "sum of winning trades"],
    ["gross loss", dollars(v("gross_loss")), "sum of losing trades"],
    ["profit factor", fixed(v("profit_factor")), ""],
    ["max DD", dollars(v("max_dd")), "closed trades"],
    ["MTM max DD", dollars(v("max_dd_mtm")), "marked to market at every bar close"],
    ["Sharpe", fixed(v("sharpe")), "daily PnL, annualized (√252)"],
    ["Sortino", fixed(v("sortino")), ""],
    ["MTM Sharpe", fixed(v("sharpe_mtm")), "daily change of end-of-day MTM equity"],
    ["exposure", percent(v("exposure")), "of bars in a position"],
    ["avg bars held", fixed(v("avg_bars_held"), 1), ""],
    ["days", count(v("n_days")), ""],
    ["skew", fixed(v("skew")), "daily PnL"],
    ["kurtosis", fixed(v("kurtosis")), "daily PnL, not excess (normal = 3)"],
  ];
  return ["Summary", ...alignedRows(rows, ["left", "right", "left"])];
}

function exitReasonLines(s: Stats): string[] {
  const n = s.n_trades ?? 0;
  const rows = EXIT_REASON_COUNTS.map((col) => {
    const k = s[col] ?? 0;
    return [col.slice(2).toUpperCase(), count(k), n > 0 ? percent(k / n) : NONE];
  });
  return ["Exit reasons", ...alignedRows(rows, ["left", "right", "right"])];
}

function tradeRow(t: Trade, k: number, localTime: (ms: number) => string): string[] {
  return [
    String(k + 1),
    t.side === 1 ? "LONG" : "SHORT",
    localTime(t.entry_ts),
    localTime(t.exit_ts),
    String(t.bars_held),
    `${t.n_a}×${t.n_b}`,
    dollars(t.pnl_net),
    t.reason,
  ];
}

function tradeLines(r: BacktestReportInput): string[] {
  const trades = r.result.trades;
  if (trades.length === 0) return ["Trades", "  none"];
  const header = [
    "#",
    "side",
    `entry (${r.tzName})`,
    "exit",
    "bars",
    `${r.symbols[0]}×${r.symbols[1]}`,
    "pnl_net",
    "reason",
  ];
  const rows = [header];
  const elide = trades.length > 2 * TRADES_AT_EACH_END + 2;
  trades.forEach((t, k) => {
    if (!elide || k < TRADES_AT_EACH_END || k >= trades.length - TRADES_AT_EACH_END) {
      rows.push(tradeRow(t, k, r.localTime));
    } else if (k === TRADES_AT_EACH_END) {
      rows.push(["…", `${trades.length - 2 * TRADES_AT_EACH_END} more`]);
    }
  });
  const title = elide ? `Trades (first and last ${TRADES_AT_EACH_END} of ${trades.length})` : "Trades";
  return [title, ...alignedRows(rows, ["right", "left", "left", "left", "right", "right", "right", "left"])];
}

/** The whole report, ending in a newline. */
export function backtestReport(r: BacktestReportInput): string {
  const head =
    `${r.specName}: ${r.symbols[0]} / ${r.symbols[1]}, ${r.barMinutes}-minute bars, ${r.hedge} hedge, ` +
    `${r.firstDay} … ${r.lastDay} (${count(r.nBars)} bars)`;
  const sections = [
    [head, ...parameterLines(r.combo, r.hedge)],
    summaryLines(r.result.stats),
    exitReasonLines(r.result.stats),
    tradeLines(r),
  ];
  return `${sections.map((s) => s.join("\n")).join("\n\n")}\n`;
}
