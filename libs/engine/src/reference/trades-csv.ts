// CSV files of one backtest: the trade list (INTERFACE.md "Trade lists", then readable ISO times)
// and the mark-to-market equity curve with its drawdown. Numbers in shortest round-trip form, as
// the indicators CSV writes them, so a script reading the file gets the engine's exact doubles.
import { closeSync, openSync, writeSync } from "node:fs";
import { formatNumber } from "../indicators/indicators-csv.js";
import type { Trade } from "./trade.js";

/** Contract columns in INTERFACE.md order; `entry_time`, `exit_time` (ISO UTC) are extras. */
export const TRADE_COLUMNS = [
  "side",
  "entry_i",
  "exit_i",
  "entry_ts",
  "exit_ts",
  "entry_a",
  "entry_b",
  "exit_a",
  "exit_b",
  "beta_entry",
  "n_a",
  "n_b",
  "pnl_gross",
  "costs",
  "pnl_net",
  "reason",
  "bars_held",
  "mfe",
  "mae",
  "exit_day",
] as const satisfies readonly (keyof Trade)[];
export const TRADE_CSV_COLUMNS = [...TRADE_COLUMNS, "entry_time", "exit_time"] as const;

export const EQUITY_CSV_COLUMNS = ["ts", "equity", "drawdown"] as const;

const FLUSH_CHARS = 1 << 20;

/** Writes lines to `path` in blocks of about a megabyte, so a long equity curve never sits whole in a string. */
function writeLines(path: string, header: readonly string[], lines: Iterable<string>): void {
  const fd = openSync(path, "w");
  try {
    let buf = `${header.join(",")}\n`;
    for (const line of lines) {
      buf += `${line}\n`;
      if (buf.length > FLUSH_CHARS) {
        writeSync(fd, buf);
        buf = "";
      }
    }
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}

const isoTime = (ms: number) => new Date(ms).toISOString();

function tradeLine(t: Trade): string {
  const fields = TRADE_COLUMNS.map((c) => {
    const v = t[c];
    return typeof v === "number" ? formatNumber(v) : v;
  });
  return `${fields.join(",")},${isoTime(t.entry_ts)},${isoTime(t.exit_ts)}`;
}

export function writeTradesCsv(path: string, trades: readonly Trade[]): void {
  writeLines(path, TRADE_CSV_COLUMNS, trades.map(tradeLine));
}

/**
 * One row per slow bar: `ts` is the bar's close time (epoch ms UTC, when the engine marks to
 * market), `drawdown` the fall from the running peak in positive dollars. The peak starts at 0,
 * as for `max_dd_mtm`, so the largest drawdown here is that statistic.
 */
export function writeEquityCsv(
  path: string,
  barStartTs: Float64Array,
  barMs: number,
  equity: Float64Array,
): void {
  function* lines(): Generator<string> {
    let peak = 0;
    for (let i = 0; i < equity.length; i++) {
      const e = equity[i]!;
      peak = Math.max(peak, e);
      yield `${barStartTs[i]! + barMs},${formatNumber(e)},${formatNumber(peak - e)}`;
    }
  }
  writeLines(path, EQUITY_CSV_COLUMNS, lines());
}
