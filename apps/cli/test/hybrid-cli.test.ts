// `pairgrid hybrid` on 3 days of synthetic data with 1-second fast bars, through the real binary:
// --json has the backtest's statistic names and, with the dollar exits off, the backtest's very
// numbers; --compare matches trades by entry time and accounts for every trade; --trades writes
// fills at fast-bar closes; --curve-grid covers the spec's TP×SL axes; z-live runs; fast files that
// are missing or short are bad input (exit 2) naming the field.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { type CliResult, pairgrid } from "./cli-helpers.js";
import { BACKTEST_STATISTICS } from "./interface-names.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-hybrid-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { PAIRGRID_CACHE_DIR: join(dir, "cache") };

const synth = pairgrid([
  "data",
  "synth",
  "--out",
  join(dir, "data"),
  "--days",
  "3",
  "--seed",
  "9",
  "--fast-seconds",
  "1",
]);
assert.equal(synth.status, 0, synth.stderr);

function writeSpec(name: string, over: Record<string, unknown> = {}, dataDir = "data"): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      name: "hybrid-cli",
      data: {
        a: {
          symbol: "NQ",
          slow: `${dataDir}/NQ.csv`,
          fast: `${dataDir}/NQ_fast.csv`,
          multiplier: 20,
          tick_size: 0.25,
        },
        b: {
          symbol: "YM",
          slow: `${dataDir}/YM.csv`,
          fast: `${dataDir}/YM_fast.csv`,
          multiplier: 5,
          tick_size: 1,
        },
        bar_minutes: 5,
        fast_seconds: 1,
      },
      session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
      costs: { commission: 2.25, slippage_ticks: 0.5 },
      engine: "hybrid_dollar",
      params: {
        ols_window: 120,
        zscore_window: 40,
        z_entry: 2,
        z_exit: 0.5,
        dollar_tp: [300, null, 600],
        dollar_sl: [300, null],
      },
      ...over,
    }),
  );
  return path;
}
const spec = writeSpec("spec.json");

function ok(r: CliResult): CliResult {
  assert.equal(r.status, 0, r.stderr);
  return r;
}
const json = (r: CliResult) => JSON.parse(ok(r).stdout) as Record<string, unknown>;

test("--json: one object with the backtest's statistic names", () => {
  const stats = json(pairgrid(["hybrid", spec, "--json"], env));
  assert.deepEqual(Object.keys(stats).sort(), [...BACKTEST_STATISTICS].sort());
  assert.ok((stats.n_tp_dollar as number) + (stats.n_sl_dollar as number) > 0, "dollar exits happen");
});

test("dollar exits off: the hybrid statistics are the backtest's, exactly", () => {
  const sets = ["--set", "dollar_tp=null", "--set", "dollar_sl=null"];
  const hybrid = json(pairgrid(["hybrid", spec, "--json", ...sets], env));
  const slow = json(pairgrid(["backtest", spec, "--json", ...sets], env));
  assert.deepEqual(hybrid, slow);
});

test("--compare --json: statistics side by side and every trade accounted for", () => {
  const c = json(pairgrid(["hybrid", spec, "--compare", "--json"], env)) as {
    engine: string;
    statistics: Record<string, { slow: number; hybrid: number; diff: number }>;
    trades: {
      slow: number;
      hybrid: number;
      matched: number;
      moved: unknown[];
      slow_only: unknown[];
      hybrid_only: unknown[];
    };
    pnl_difference: number;
  };
  assert.equal(c.engine, "hybrid_dollar");
  const t = c.trades;
  assert.equal(t.matched + t.slow_only.length, t.slow);
  assert.equal(t.matched + t.hybrid_only.length, t.hybrid);
  assert.ok(t.moved.length > 0 && t.moved.length <= t.matched, "some exits moved");
  const total = c.statistics.total_pnl;
  assert.ok(Math.abs(total.hybrid - total.slow - total.diff) < 1e-9);
  assert.ok(Math.abs(c.pnl_difference - total.diff) < 1e-6);
  assert.equal(c.statistics.n_trades.slow, t.slow);
});

test("--compare in the terminal, and --trades with fills at fast-bar closes", () => {
  const tradesPath = join(dir, "trades.csv");
  const r = ok(pairgrid(["hybrid", spec, "--compare", "--trades", tradesPath], env));
  assert.match(r.stdout, /^Slow vs hybrid_dollar$/m);
  assert.match(r.stdout, /Exits that moved/);
  const lines = readFileSync(tradesPath, "utf8").trimEnd().split("\n");
  const header = lines[0].split(",");
  const col = (name: string) => header.indexOf(name);
  const rows = lines.slice(1).map((l) => l.split(","));
  const fast = rows.filter(
    (f) => f[col("reason")].endsWith("_DOLLAR") && Number(f[col("exit_ts")]) % 300_000 !== 0,
  );
  assert.ok(fast.length > 0, "dollar exits between slow closes");
  for (const f of fast) assert.equal(Math.abs(Number(f[col("pnl_gross")])), 300, "at the level");
});

test("--curve-grid --json: one cell per (dollar_tp, dollar_sl) of the spec, discretization checked", () => {
  const g = json(pairgrid(["hybrid", spec, "--curve-grid", "--json"], env)) as {
    discretization: { n_off: number };
    cells: { dollar_tp: number | null; dollar_sl: number | null; exact: boolean; n_trades: number }[];
  };
  assert.deepEqual(
    g.cells.map((c) => [c.dollar_tp, c.dollar_sl]),
    [
      [300, 300],
      [300, null],
      [null, 300],
      [null, null],
      [600, 300],
      [600, null],
    ],
  );
  assert.equal(g.discretization.n_off, 0);
  assert.ok(g.cells.every((c) => c.n_trades > 0));
  assert.equal(g.cells[3].exact, true, "both levels off: the slow run itself");
});

test("--engine hybrid_zlive runs the z-live engine", () => {
  const r = ok(
    pairgrid(
      ["hybrid", spec, "--engine", "hybrid_zlive", "--set", "dollar_tp=null", "--set", "dollar_sl=null"],
      env,
    ),
  );
  assert.match(r.stdout, /^hybrid_zlive: 1-second fast bars/m);
  assert.match(r.stdout, /TP_ZSCORE/);
});

test("fast files missing or short are bad input naming the field", () => {
  const noFast = writeSpec("nofast.json", {}, "data");
  const raw = JSON.parse(readFileSync(noFast, "utf8"));
  delete raw.data.b.fast;
  writeFileSync(noFast, JSON.stringify(raw));
  const r1 = pairgrid(["hybrid", noFast, "--json"], env);
  assert.equal(r1.status, 2);
  assert.match(r1.stderr, /data\.b\.fast/);

  // YM's fast file cut in half: it no longer covers the slow bars
  const short = join(dir, "short");
  mkdirSync(short);
  for (const f of ["NQ.csv", "YM.csv", "NQ_fast.csv"]) copyFileSync(join(dir, "data", f), join(short, f));
  const lines = readFileSync(join(dir, "data", "YM_fast.csv"), "utf8").split("\n");
  writeFileSync(join(short, "YM_fast.csv"), `${lines.slice(0, lines.length >> 1).join("\n")}\n`);
  const r2 = pairgrid(["hybrid", writeSpec("short.json", {}, "short"), "--json"], env);
  assert.equal(r2.status, 2, r2.stderr);
  assert.match(r2.stderr, /^pairgrid: data\.b\.fast: fast bars .* do not cover the slow bars/m);
});
