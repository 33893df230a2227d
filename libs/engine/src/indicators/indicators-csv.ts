// Writes `pairgrid indicators` output: the INTERFACE.md columns, numbers in shortest round-trip
// form (so a reader gets the exact doubles back), NaN as an empty field, +∞ as `inf`.
import { closeSync, openSync, writeSync } from "node:fs";
import { dayNumberToIso } from "../calendar/index.js";
import type { SlowPair } from "../loaders/load-slow-pair.js";
import type { IndicatorSeries } from "./compute-indicators.js";

export const INDICATOR_COLUMNS = [
  "ts",
  "a",
  "b",
  "beta",
  "alpha",
  "spread",
  "mu",
  "sigma",
  "z",
  "corr",
  "hurst",
  "half_life",
  "adf_stat",
  "adf_pvalue",
  "trading_day",
  "eod",
  "window_ok",
] as const;

export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return "";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return String(v);
}

/** Writes the CSV to `path` (or stdout for `-`), streaming in large blocks. */
export function writeIndicatorsCsv(path: string, sp: SlowPair, ind: IndicatorSeries): void {
  const fd = path === "-" ? 1 : openSync(path, "w");
  const cols = [ind.corr, ind.hurst, ind.halfLife, ind.adfStat, ind.adfPvalue];
  let buf = `${INDICATOR_COLUMNS.join(",")}\n`;
  const n = sp.pair.ts.length;
  for (let i = 0; i < n; i++) {
    let line = `${sp.pair.ts[i]},${formatNumber(sp.pair.a.close[i]!)},${formatNumber(sp.pair.b.close[i]!)},`;
    line += `${formatNumber(ind.beta[i]!)},${formatNumber(ind.alpha[i]!)},${formatNumber(ind.spread[i]!)},`;
    line += `${formatNumber(ind.mu[i]!)},${formatNumber(ind.sigma[i]!)},${formatNumber(ind.z[i]!)}`;
    for (const col of cols) line += `,${col ? formatNumber(col[i]!) : ""}`;
    line += `,${dayNumberToIso(sp.tradingDay[i]!)},${sp.eod[i]},${sp.windowOk[i]}\n`;
    buf += line;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = "";
    }
  }
  writeSync(fd, buf);
  if (fd !== 1) closeSync(fd);
}
