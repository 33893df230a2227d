// Terminal renderings of `pairgrid hybrid`: the slow-vs-hybrid comparison (--compare) and the
// precomputed-curve TP×SL grid (--curve-grid). Plain aligned text, as backtest-report.ts; scripts
// use --json instead, so this layout is free to change.
import type { CurveGridResult, MovedExit, RunComparison, TradeBrief } from "@pairgrid/engine";
import { alignedRows, dollars } from "./backtest-report.js";

const SHOWN = 10;
const NONE = "—";

function number(v: number | null, digits: number): string {
  return v === null ? NONE : v.toFixed(digits);
}

/** Statistics shown side by side, with how to print them. */
const COMPARED: [string, (v: number | null) => string][] = [
  ["n_trades", (v) => number(v, 0)],
  ["win_rate", (v) => (v === null ? NONE : `${(v * 100).toFixed(1)}%`)],
  ["total_pnl", dollars],
  ["avg_pnl", dollars],
  ["profit_factor", (v) => number(v, 2)],
  ["max_dd", dollars],
  ["sharpe", (v) => number(v, 2)],
  ["sortino", (v) => number(v, 2)],
  ["avg_bars_held", (v) => number(v, 1)],
  ["exposure", (v) => (v === null ? NONE : `${(v * 100).toFixed(1)}%`)],
  ["n_tp_zscore", (v) => number(v, 0)],
  ["n_sl_zscore", (v) => number(v, 0)],
  ["n_tp_dollar", (v) => number(v, 0)],
  ["n_sl_dollar", (v) => number(v, 0)],
  ["n_max_hold", (v) => number(v, 0)],
  ["n_flat_eod", (v) => number(v, 0)],
  ["n_end_of_data", (v) => number(v, 0)],
];

function signed(fmt: (v: number | null) => string, v: number | null): string {
  if (v === null) return NONE;
  if (v === 0) return "0";
  return v > 0 ? `+${fmt(v)}` : fmt(v);
}

function movedRow(m: MovedExit, time: (ms: number) => string): string[] {
  return [
    m.side === 1 ? "LONG" : "SHORT",
    time(m.entry_ts),
    `${time(m.slow.exit_ts)} ${m.slow.reason}`,
    `${time(m.hybrid.exit_ts)} ${m.hybrid.reason}`,
    signed(dollars, m.pnl_diff),
  ];
}

function onlyRows(title: string, ts: TradeBrief[], time: (ms: number) => string): string[] {
  if (ts.length === 0) return [];
  const rows = ts
    .slice(0, SHOWN)
    .map((t) => [
      t.side === 1 ? "LONG" : "SHORT",
      time(t.entry_ts),
      time(t.exit_ts),
      t.reason,
      dollars(t.pnl_net),
    ]);
  const more = ts.length > SHOWN ? ` (first ${SHOWN})` : "";
  return [`${title}: ${ts.length}${more}`, ...alignedRows(rows, ["left", "left", "left", "left", "right"])];
}

/** `time` formats an epoch-ms fill time for the reader (session time zone, to the second). */
export function comparisonReport(c: RunComparison, engine: string, time: (ms: number) => string): string {
  const statRows = [["", "slow", engine, "difference"]];
  for (const [name, fmt] of COMPARED) {
    const s = c.statistics[name];
    if (s) statRows.push([name, fmt(s.slow), fmt(s.hybrid), signed(fmt, s.diff)]);
  }
  const t = c.trades;
  const lines = [
    `Slow vs ${engine}`,
    ...alignedRows(statRows, ["left", "right", "right", "right"]),
    "",
    `Trades: ${t.slow} slow, ${t.hybrid} hybrid; ${t.matched} enter at the same time, ` +
      `${t.moved.length} of them exit differently; PnL difference ${signed(dollars, c.pnl_difference)}`,
  ];
  if (t.moved.length > 0) {
    const rows = [["side", "entry", "slow exit", "hybrid exit", "Δ pnl_net"]];
    for (const m of t.moved.slice(0, SHOWN)) rows.push(movedRow(m, time));
    const more = t.moved.length > SHOWN ? ` (first ${SHOWN} of ${t.moved.length})` : "";
    lines.push(`Exits that moved${more}`, ...alignedRows(rows, ["left", "left", "left", "left", "right"]));
  }
  lines.push(...onlyRows("Only in the slow run", t.slow_only, time));
  lines.push(...onlyRows("Only in the hybrid run", t.hybrid_only, time));
  return `${lines.join("\n")}\n`;
}

export function curveGridReport(g: CurveGridResult): string {
  const level = (v: number | null) => (v === null ? "off" : dollars(v));
  const rows = [
    ["dollar_tp", "dollar_sl", "trades", "total_pnl", "sharpe", "moved", "at risk", "gap", "exact"],
  ];
  for (const c of g.cells) {
    rows.push([
      level(c.dollarTp),
      level(c.dollarSl),
      number(c.stats.n_trades ?? null, 0),
      dollars(c.stats.total_pnl ?? null),
      number(c.stats.sharpe ?? null, 2),
      String(c.moved),
      String(c.atRisk),
      String(c.gapExits),
      c.exact ? "yes" : "no",
    ]);
  }
  const d = g.discretization;
  return [
    `Precomputed-curve TP×SL grid over ${g.slow.trades.length} slow trades (dollar exits off in the slow run)`,
    ...alignedRows(rows, ["right", "right", "right", "right", "right", "right", "right", "right", "left"]),
    "",
    `Discretization check (curve's last point − slow gross PnL): ${d.nOff} of ${d.perTrade.length} trades off, ` +
      `largest ${dollars(d.maxAbsDiff)}`,
    "at risk: moved exits after which the exact hybrid engine would enter before the next slow trade;",
    "exact = yes: the cell's trades are provably the exact hybrid dollar engine's.",
    "",
  ].join("\n");
}

const nullIfNaN = (v: number) => (Number.isNaN(v) ? null : v);

/** `--curve-grid --json`: the discretization check and one object per cell (§7 names). */
export function curveGridJson(g: CurveGridResult): object {
  const d = g.discretization;
  return {
    slow_trades: g.slow.trades.length,
    discretization: { n_off: d.nOff, max_abs_diff: d.maxAbsDiff, per_trade: [...d.perTrade].map(nullIfNaN) },
    cells: g.cells.map((c) => ({
      dollar_tp: c.dollarTp,
      dollar_sl: c.dollarSl,
      moved: c.moved,
      at_risk: c.atRisk,
      gap_exits: c.gapExits,
      exact: c.exact,
      ...c.stats,
    })),
  };
}
