// `pairgrid backtest` on 20 days of synthetic data, through the real binary: the --json contract
// (INTERFACE.md statistic names, nothing else on stdout), the trade and equity CSVs against the
// statistics and the data files, bad input, and the human report's sections.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type CliResult, pairgrid } from "./cli-helpers.js";
import { BACKTEST_STATISTICS } from "./interface-names.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-bt-"));
const env = { PAIRGRID_CACHE_DIR: join(dir, "cache") };
const specPath = join(dir, "spec.json");
const tradesPath = join(dir, "trades.csv");
const equityPath = join(dir, "equity.csv");

const TRADE_COLUMNS = [
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
];

const synth = pairgrid(["data", "synth", "--out", join(dir, "data"), "--days", "20", "--seed", "5"]);
assert.equal(synth.status, 0, synth.stderr);
writeFileSync(
  specPath,
  JSON.stringify({
    name: "bt",
    data: {
      a: { symbol: "NQ", slow: "data/NQ.csv", multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "data/YM.csv", multiplier: 5, tick_size: 1 },
      bar_minutes: 5,
    },
    session: {
      tz: "America/New_York",
      day_roll: "18:00",
      flat_time: "16:55",
      entry_start: "09:30",
      entry_end: "15:00",
    },
    costs: { commission: 2.5, slippage_ticks: 1 },
    params: { ols_window: 120, zscore_window: 40, z_entry: [1.5, 2], z_exit: 0, z_stop: 3.5, max_hold: 30 },
  }),
);

let jsonRun: CliResult | undefined;
/** One run writes both CSVs and prints the JSON; the tests below read what it left. */
function runJson(): { stats: Record<string, number | null>; r: CliResult } {
  jsonRun ??= pairgrid(["backtest", specPath, "--json", "--trades", tradesPath, "--equity", equityPath], env);
  assert.equal(jsonRun.status, 0, jsonRun.stderr);
  return { stats: JSON.parse(jsonRun.stdout), r: jsonRun };
}

function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  return { header: lines[0]!.split(","), rows: lines.slice(1).map((l) => l.split(",")) };
}

test("--json prints one object with every statistic, and nothing else on stdout", () => {
  const { stats, r } = runJson();
  assert.equal(r.stdout.trimEnd().split("\n").length, 1, "one line of JSON");
  assert.deepEqual(Object.keys(stats).sort(), [...BACKTEST_STATISTICS].sort());
  for (const name of BACKTEST_STATISTICS) {
    const v = stats[name];
    assert.ok(v === null || Number.isFinite(v), `${name}: ${v}`);
  }
  assert.ok(stats.n_trades! > 5, `a strategy that trades (${stats.n_trades} trades)`);
  assert.match(r.stderr, /leg a: .*NQ\.csv/, "load reports go to stderr");
});

test("--trades: the contract columns, one row per trade, pnl_net summing to total_pnl", () => {
  const { stats } = runJson();
  const { header, rows } = readCsv(tradesPath);
  assert.deepEqual(header.slice(0, TRADE_COLUMNS.length), TRADE_COLUMNS);
  assert.deepEqual(header.slice(TRADE_COLUMNS.length), ["entry_time", "exit_time"]);
  assert.equal(rows.length, stats.n_trades);
  const col = (name: string) => header.indexOf(name);
  const sum = rows.reduce((s, r) => s + Number(r[col("pnl_net")]), 0);
  assert.ok(Math.abs(sum - stats.total_pnl!) <= 1e-6, `Σ pnl_net ${sum} vs total_pnl ${stats.total_pnl}`);
  for (const r of rows) {
    assert.equal(new Date(r[col("exit_time")]!).getTime(), Number(r[col("exit_ts")]), "ISO time = epoch ms");
    assert.ok(["1", "-1"].includes(r[col("side")]!));
    assert.match(r[col("exit_day")]!, /^\d{4}-\d{2}-\d{2}$/);
  }
});

test("--equity: one row per aligned bar, at its close, drawdown peaking at max_dd_mtm", () => {
  const { stats } = runJson();
  // aligned bars = timestamps present in both Sierra files (no start/end in the spec)
  const stamps = (file: string) =>
    new Set(
      readFileSync(join(dir, "data", file), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",").slice(0, 2).join(" ").trim()),
    );
  const b = stamps("YM.csv");
  const nBars = [...stamps("NQ.csv")].filter((s) => b.has(s)).length;

  const { header, rows } = readCsv(equityPath);
  assert.deepEqual(header, ["ts", "equity", "drawdown"]);
  assert.equal(rows.length, nBars);
  const ts = rows.map((r) => Number(r[0]));
  assert.ok(
    ts.every((t, i) => i === 0 || t > ts[i - 1]!),
    "close times increase",
  );
  assert.equal(ts[0]! % (5 * 60_000), 0, "on the 5-minute grid");
  const maxDrawdown = Math.max(...rows.map((r) => Number(r[2])));
  assert.ok(Math.abs(maxDrawdown - stats.max_dd_mtm!) <= 1e-6, `${maxDrawdown} vs ${stats.max_dd_mtm}`);
  // every position is closed by the last bar (END_OF_DATA), so the curve ends at the realized total
  assert.ok(Math.abs(Number(rows.at(-1)![1]) - stats.total_pnl!) <= 1e-6);
});

test("an invalid --set exits 2 with one line naming the parameter", () => {
  const bad = pairgrid(["backtest", specPath, "--set", "z_exit=5", "--json"], env);
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, "");
  assert.equal(bad.stderr.trimEnd().split("\n").length, 1, bad.stderr);
  assert.match(bad.stderr, /z_exit/);

  const gate = pairgrid(["backtest", specPath, "--set", "min_corr=0.5"], env);
  assert.equal(gate.status, 2, gate.stderr);
  assert.match(gate.stderr, /^pairgrid: corr_window: required/);
});

test("the report names the combination and has summary, exit-reason and trade sections", () => {
  const r = pairgrid(["backtest", specPath, "--set", "z_entry=2"], env);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /z_entry=2 /, "the --set value, not the axis's first value");
  assert.match(out, /^Summary$/m);
  assert.match(out, /^Exit reasons$/m);
  for (const reason of ["TP_ZSCORE", "SL_ZSCORE", "MAX_HOLD", "FLAT_EOD", "END_OF_DATA"]) {
    assert.match(out, new RegExp(`^  ${reason} +\\d+ +(\\d+\\.\\d%|—)$`, "m"), reason);
  }
  assert.match(out, /^ {2}total PnL +-?\$[\d,]+\.\d\d/m, "dollars with 2 decimals");
  assert.match(out, /^Trades/m);
  assert.doesNotMatch(r.stdout, /leg a:/, "load reports stay on stderr");
});
