// `pairgrid parity` through the real binary on 30 days of synthetic data: the report and its exit
// codes (0 pass, 1 past a threshold or off its golden file, 2 bad input), --json, the --diff CSV,
// the --trace JSONL (and PAIRGRID_TRACE), a microscope window, and a failing run's diagnosis.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pairgrid } from "./cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-parity-"));
const env = { PAIRGRID_CACHE_DIR: join(dir, "cache") };
const specPath = join(dir, "spec.json");

const synth = pairgrid(["data", "synth", "--out", join(dir, "data"), "--days", "30", "--seed", "5"]);
assert.equal(synth.status, 0, synth.stderr);
writeFileSync(
  specPath,
  JSON.stringify({
    name: "parity-cli",
    data: {
      a: { symbol: "NQ", slow: "data/NQ.csv", multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "data/YM.csv", multiplier: 5, tick_size: 1 },
      bar_minutes: 5,
    },
    session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
    costs: { commission: 2.25, slippage_ticks: 0.5 },
    params: {
      ols_window: [400, 800],
      zscore_window: 80,
      z_entry: 1.75,
      z_exit: 0.5,
      z_stop: 3.5,
      dollar_tp: 500,
    },
  }),
);

const WINDOW = ["--start", "2024-01-29", "--end", "2024-02-02"];

test("a passing run: the report's checks, PASS, exit 0", () => {
  const r = pairgrid(["parity", specPath, "--set", "ols_window=800"], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^parity parity-cli: NQ \/ YM, 5-minute bars, ols hedge/);
  for (const check of ["divergent decisions", "\\|Δz\\| max", "\\|Δsize\\| max", "\\|ΔPnL\\| max"]) {
    assert.match(r.stdout, new RegExp(`${check} .* ok`), check);
  }
  assert.match(r.stdout, /digests {2}(\w{16}) \(batch\) = \1 \(replay\)/);
  assert.match(r.stdout, /PASS: the replay made the batch's decision at every bar\n$/);
  assert.match(r.stderr, /leg a: .*NQ\.csv/);
});

test("--json: one object with the window, warm-up, metrics, digests and decision counts", () => {
  const r = pairgrid(["parity", specPath, "--json", ...WINDOW], env);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.pass, true);
  assert.equal(s.window.first_day, "2024-01-29");
  assert.equal(s.window.last_day, "2024-02-02");
  assert.ok(s.warmup.bars > 0 && s.warmup.bit_identical, "warm-up taken from before the window");
  assert.equal(s.metrics.maxAbsDz, 0);
  assert.equal(s.metrics.both, s.window.bars);
  assert.equal(s.digests.batch, s.digests.replay);
  const entries = (s.decisions.ENTER_LONG ?? 0) + (s.decisions.ENTER_SHORT ?? 0);
  assert.ok(entries > 0 && s.n_trades > 0, JSON.stringify(s.decisions));
  assert.deepEqual(s.findings, []);
});

test("--diff CSV and PAIRGRID_TRACE JSONL: one row per bar, the two paths' lines side by side", () => {
  const diff = join(dir, "diff.csv");
  const trace = join(dir, "trace.jsonl");
  const r = pairgrid(["parity", specPath, "--json", "--diff", diff, ...WINDOW], {
    ...env,
    PAIRGRID_TRACE: trace,
  });
  assert.equal(r.status, 0, r.stderr);
  const bars = JSON.parse(r.stdout).window.bars;
  const rows = readFileSync(diff, "utf8").trimEnd().split("\n");
  const header = rows[0]!.split(",");
  assert.deepEqual(header.slice(0, 6), ["ts", "time_utc", "i", "present", "decision_differs", "abs_dz"]);
  assert.ok(
    header.includes("decision_batch") && header.includes("z_replay") && header.includes("n_b_replay"),
  );
  assert.equal(rows.length, bars + 1);
  assert.ok(rows.slice(1).every((l) => l.split(",")[header.indexOf("present")] === "both"));

  const lines = readFileSync(trace, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 2 * bars);
  for (let k = 0; k < lines.length; k += 2) {
    assert.equal(lines[k].path, "batch");
    assert.equal(lines[k + 1].path, "replay");
    assert.equal(lines[k].ts, lines[k + 1].ts);
    assert.equal(lines[k].decision, lines[k + 1].decision);
  }
  assert.ok(lines.every((t) => typeof t.config_hash === "string" && /^[0-9a-f]{16}$/.test(t.inputs_hash)));
});

test("a replay without warm-up in a microscope window: exit 1, FAIL, diagnosed as a short warm-up", () => {
  // ols_window 400 (the axis's first value) + zscore_window 80 − 2 bars before z is defined
  const r = pairgrid(["parity", specPath, ...WINDOW, "--warmup", "0"], env);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /z on one side only +\d[\d,]* +0 +FAIL/);
  assert.match(r.stdout, /cause WARMUP_SHORT: the replay's z is undefined for the first 478 decision bars/);
  assert.match(r.stdout, /FAIL:\n {2}\d+ divergent decisions/);
});

test("threshold flags: the bit-identical run passes even with zero tolerance everywhere", () => {
  const r = pairgrid(["parity", specPath, "--z-tol", "0", "--z-ulps", "0", "--pnl-tol", "0", "--json"], env);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).thresholds, {
    maxDivergent: 0,
    zTol: 0,
    zUlps: 0,
    sizeTol: 0,
    pnlTol: 0,
  });
});

test("--golden: written by --update-golden, then checked; a changed figure fails with exit 1", () => {
  const golden = join(dir, "golden.json");
  const w = pairgrid(["parity", specPath, "--json", "--golden", golden, "--update-golden"], env);
  assert.equal(w.status, 0, w.stderr);
  const g = JSON.parse(readFileSync(golden, "utf8"));
  assert.deepEqual(Object.keys(g), ["bars", "n_trades", "decisions", "trace_digest"]);
  const ok = pairgrid(["parity", specPath, "--json", "--golden", golden], env);
  assert.equal(ok.status, 0, ok.stderr);
  writeFileSync(golden, JSON.stringify({ ...g, n_trades: g.n_trades + 1 }));
  const bad = pairgrid(["parity", specPath, "--json", "--golden", golden], env);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /golden .*: n_trades \d+, golden \d+/);
});

test("bad input exits 2 with one line naming the flag", () => {
  for (const [args, flag] of [
    [["--start", "2024-13-01"], "--start"],
    [["--start", "2024-02-02", "--end", "2024-01-29"], "--end"],
    [["--z-tol", "-1"], "--z-tol"],
    [["--warmup", "1.5"], "--warmup"],
    [["--next-bar", "psychic"], "--next-bar"],
    [["--start", "2030-01-02"], "--start"],
  ] as const) {
    const r = pairgrid(["parity", specPath, ...args], env);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^pairgrid: ${flag}`, "m"));
    assert.equal(
      r.stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("pairgrid:")).length,
      1,
    );
  }
});
