// The dashboard's analysis routes (grid, heatmap, rows, combos) over a real results file: two
// grids run by the real `pairgrid run` on synthetic data (one with fast files), served by
// buildServer with the read-only job service, checked against SQL written here (not the code
// under test) and against `pairgrid backtest` / `pairgrid hybrid --compare` for the combination
// pages.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ResultsDb } from "@pairgrid/resultsdb";
import { Registry } from "prom-client";
import { buildServer } from "../src/http/index.js";
import { ReadOnlyJobs } from "../src/read-only-jobs.js";
import { ResultsDbReader } from "../src/results-reader.js";
import { hasStackTrace } from "./http-fake-jobs.js";

const root =
  process.env.PAIRGRID_ROOT ?? resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../..");
const bin = resolve(root, "apps/cli/bin/pairgrid.js");
const dir = mkdtempSync(join(tmpdir(), "pairgrid-analysis-"));
const env = { ...process.env, PAIRGRID_CACHE_DIR: join(dir, "cache") };

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  assert.equal(r.status, 0, `pairgrid ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

const leg = (symbol: string, multiplier: number, tick: number, fast: boolean) => ({
  symbol,
  slow: `data/${symbol}.csv`,
  ...(fast ? { fast: `data/${symbol}_fast.csv` } : {}),
  multiplier,
  tick_size: tick,
});

function writeSpec(file: string, params: object, fast: boolean): string {
  const spec = {
    name: file,
    data: {
      a: leg("NQ", 20, 0.25, fast),
      b: leg("YM", 5, 1, fast),
      bar_minutes: 5,
      ...(fast ? { fast_seconds: 60 } : {}),
    },
    session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
    costs: { commission: 2.25, slippage_ticks: 0.5 },
    params,
    rank: { by: "sharpe", min_trades: 5, folds: 4 },
  };
  writeFileSync(join(dir, file), JSON.stringify(spec));
  return file;
}

const jobIdOf = (stdout: string) => /^job ([0-9a-f]{8})$/m.exec(stdout)![1]!;

// the simple model: the paging and filter checks need rows with a positive Sharpe in 25 days
cli([
  "data",
  "synth",
  "--out",
  "data",
  "--days",
  "25",
  "--seed",
  "5",
  "--fast-seconds",
  "60",
  "--model",
  "simple",
]);
// 48 combinations, every one valid; dollar_tp gives a null-valued axis and moves hybrid exits
const FAST_SPEC = writeSpec(
  "fast.json",
  {
    ols_window: [60, 120],
    zscore_window: [20, 40],
    z_entry: [1.5, 2, 2.5],
    z_exit: [0, 0.5],
    dollar_tp: [null, 400],
  },
  true,
);
// 6 ids, 5 valid: z_entry 0.5 with z_exit 1 breaks |z_exit| < z_entry (id 1)
const SLOW_SPEC = writeSpec(
  "slow.json",
  { ols_window: 60, zscore_window: 30, z_entry: [0.5, 1.5, 2], z_exit: [0, 1] },
  false,
);
const DB = join(dir, "results.duckdb");
const fastJob = jobIdOf(cli(["run", FAST_SPEC, "--db", DB, "--quiet"]));
const slowJob = jobIdOf(cli(["run", SLOW_SPEC, "--db", DB, "--quiet"]));

const db = await ResultsDb.open(DB, { readOnly: true });
const serverFor = () =>
  buildServer({ jobs: new ReadOnlyJobs(db), metrics: new Registry(), results: new ResultsDbReader(db) });
const app = serverFor();
after(async () => {
  await app.close();
  await db.close();
});

async function get(url: string, status = 200) {
  const res = await app.inject({ method: "GET", url });
  assert.ok(!hasStackTrace(res.body), res.body);
  assert.equal(res.statusCode, status, `${url}: ${res.body}`);
  return res.json();
}

const q = (o: Record<string, unknown>) =>
  new URLSearchParams(
    Object.entries(o).map(([k, v]): [string, string] => [
      k,
      typeof v === "object" ? JSON.stringify(v) : String(v),
    ]),
  ).toString();

/** SQL written here, run on the file's connection: the routes' answers are checked against it. */
async function sql(text: string, ...values: (string | number)[]): Promise<Record<string, unknown>[]> {
  return db.read(async (conn) => {
    const rows = (await conn.runAndReadAll(text, values)).getRowObjectsJS();
    return rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
    );
  });
}

const key = (x: unknown, y: unknown) => `${x}|${y}`;

test("GET /jobs/:id/grid lists the varying axes in spec order, the fixed ones and the statistics", async () => {
  const g = await get(`/jobs/${fastJob}/grid`);
  assert.deepEqual(
    g.params.map((p: { name: string }) => p.name),
    ["ols_window", "zscore_window", "z_entry", "z_exit", "dollar_tp"],
  );
  assert.deepEqual(g.params[4].values, [null, 400]);
  assert.deepEqual(g.fixed, {});
  assert.equal(g.n_rows, 48);
  // the data came from `pairgrid data synth`: the dashboard says so
  assert.equal(g.data_origin, "synthetic data (model simple, seed 5)");
  assert.ok(g.stats.includes("sharpe") && g.stats.includes("dsr") && g.stats.includes("n_tp_zscore"));

  const s = await get(`/jobs/${slowJob}/grid`);
  assert.deepEqual(s.fixed, { ols_window: 60, zscore_window: 30 });
  assert.deepEqual(s.params, [
    { name: "z_entry", values: [0.5, 1.5, 2] },
    { name: "z_exit", values: [0, 1] },
  ]);
  assert.equal(s.n_rows, 5);
  await get("/jobs/nope/grid", 404);
});

test("heatmap agg=max and agg=median equal GROUP BY in SQL; max cells name a combination reaching them", async () => {
  for (const agg of ["max", "median"] as const) {
    const h = await get(
      `/jobs/${fastJob}/heatmap?${q({ x: "z_entry", y: "zscore_window", stat: "sharpe", agg, min_trades: 5 })}`,
    );
    const want = await sql(
      `SELECT z_entry AS x, zscore_window AS y, ${agg}(sharpe) AS v, count(*)::INTEGER AS n FROM results ` +
        "WHERE job_id = $1 AND n_trades >= 5 GROUP BY ALL",
      fastJob,
    );
    assert.equal(want.length, 6, "every cell has rows");
    const byCell = new Map(want.map((r) => [key(r.x, r.y), r]));
    h.y.values.forEach((y: number, j: number) =>
      h.x.values.forEach((x: number, i: number) => {
        const w = byCell.get(key(x, y))!;
        assert.ok(Math.abs(h.cells[j][i] - (w.v as number)) < 1e-12, `${agg} cell ${x},${y}`);
        assert.equal(h.counts[j][i], w.n);
      }),
    );
    if (agg === "median") assert.ok(h.combo_ids.flat().every((c: unknown) => c === null));
    if (agg === "max") {
      for (let j = 0; j < 2; j++)
        for (let i = 0; i < 3; i++) {
          const [row] = await sql(
            "SELECT * FROM results WHERE job_id = $1 AND combo_id = $2",
            fastJob,
            h.combo_ids[j][i],
          );
          assert.equal(row!.sharpe, h.cells[j][i]);
          assert.equal(row!.z_entry, h.x.values[i]);
          assert.equal(row!.zscore_window, h.y.values[j]);
        }
      const top = Math.max(...h.cells.flat());
      assert.equal(h.best.value, top);
      const [best] = await sql(
        "SELECT combo_id FROM results WHERE job_id = $1 ORDER BY sharpe DESC, combo_id LIMIT 1",
        fastJob,
      );
      assert.equal(h.best.combo_id, best!.combo_id);
    }
  }
});

test("heatmap with fix: the fixed parameters filter, the others aggregate (null is a value)", async () => {
  const fix = { dollar_tp: null, ols_window: 120 };
  const h = await get(
    `/jobs/${fastJob}/heatmap?${q({ x: "z_exit", y: "z_entry", stat: "total_pnl", agg: "mean", fix })}`,
  );
  const want = await sql(
    "SELECT z_exit AS x, z_entry AS y, avg(total_pnl) AS v, count(*)::INTEGER AS n FROM results " +
      "WHERE job_id = $1 AND dollar_tp IS NULL AND ols_window = 120 GROUP BY ALL",
    fastJob,
  );
  const byCell = new Map(want.map((r) => [key(r.x, r.y), r]));
  h.y.values.forEach((y: number, j: number) =>
    h.x.values.forEach((x: number, i: number) => {
      const w = byCell.get(key(x, y))!;
      assert.ok(Math.abs(h.cells[j][i] - (w.v as number)) < 1e-9);
      assert.equal(h.counts[j][i], 2, "only zscore_window left to aggregate");
    }),
  );
});

test("heatmap agg=fixed shows single rows, with their combo ids, and no cell for an invalid combination", async () => {
  const fix = { ols_window: 60, zscore_window: 40, dollar_tp: 400 };
  const h = await get(
    `/jobs/${fastJob}/heatmap?${q({ x: "z_entry", y: "z_exit", stat: "n_trades", agg: "fixed", fix })}`,
  );
  const rows = await sql(
    "SELECT combo_id, z_entry, z_exit, n_trades FROM results WHERE job_id = $1 AND ols_window = 60 " +
      "AND zscore_window = 40 AND dollar_tp = 400",
    fastJob,
  );
  assert.equal(rows.length, 6);
  for (const r of rows) {
    const i = h.x.values.indexOf(r.z_entry);
    const j = h.y.values.indexOf(r.z_exit);
    assert.equal(h.cells[j][i], r.n_trades);
    assert.equal(h.combo_ids[j][i], r.combo_id);
    assert.equal(h.counts[j][i], 1);
  }

  const s = await get(
    `/jobs/${slowJob}/heatmap?${q({ x: "z_entry", y: "z_exit", stat: "sharpe", agg: "fixed" })}`,
  );
  assert.equal(s.cells[1][0], null, "z_entry 0.5, z_exit 1 is never run");
  assert.equal(s.counts[1][0], 0);
  assert.equal(s.combo_ids[1][0], null);
  assert.equal(
    s.counts.flat().reduce((a: number, b: number) => a + b, 0),
    5,
  );
});

test("heatmap refusals name the query field at fault", async () => {
  const base = { x: "z_entry", y: "zscore_window", stat: "sharpe" };
  const cases: [Record<string, unknown>, string][] = [
    [{ ...base, agg: "fixed" }, "query.fix.ols_window"],
    [{ ...base, agg: "fixed", fix: { ols_window: 60, z_exit: 0 } }, "query.fix.dollar_tp"],
    [{ ...base, x: "z_entri" }, "query.x"],
    [{ ...base, x: "zscore_window" }, "query.y"],
    [{ ...base, x: "delta" }, "query.x"], // a parameter, but not an axis of this grid
    [{ ...base, stat: "sharpe; DROP TABLE results" }, "query.stat"],
    [{ ...base, agg: "sum" }, "query.agg"],
    [{ ...base, fix: "{not json" }, "query.fix"],
    [{ ...base, fix: { z_exit: "0" } }, "query.fix.z_exit"],
    [{ ...base, fix: { z_exit: 0.25 } }, "query.fix.z_exit"],
    [{ ...base, fix: { z_entry: 2 } }, "query.fix.z_entry"],
    [{ ...base, min_trades: -1 }, "query.min_trades"],
  ];
  for (const [query, path] of cases) {
    const body = await get(`/jobs/${fastJob}/heatmap?${q(query)}`, 400);
    assert.equal(body.path, path, JSON.stringify(query));
    assert.equal(body.error, "bad_request");
  }
  await get(`/jobs/nope/heatmap?${q(base)}`, 404);
  const [{ n }] = (await sql("SELECT count(*)::INTEGER AS n FROM results WHERE job_id = $1", fastJob)) as [
    { n: number },
  ];
  assert.equal(n, 48, "nothing was dropped");
});

test("GET /jobs/:id/rows pages, sorts and filters like ORDER BY … LIMIT … OFFSET in SQL", async () => {
  const all = await sql(
    "SELECT combo_id FROM results WHERE job_id = $1 AND n_trades >= 5 AND z_entry = 2 AND sharpe >= 0 " +
      "ORDER BY sharpe DESC NULLS LAST, combo_id",
    fastJob,
  );
  const filter = { z_entry: 2, sharpe: { min: 0 } };
  const page1 = await get(`/jobs/${fastJob}/rows?${q({ by: "sharpe", limit: 5, min_trades: 5, filter })}`);
  const page2 = await get(
    `/jobs/${fastJob}/rows?${q({ by: "sharpe", limit: 5, offset: 5, min_trades: 5, filter })}`,
  );
  assert.equal(page1.total, all.length);
  assert.deepEqual(
    [...page1.rows, ...page2.rows].map((r: { combo_id: number }) => r.combo_id),
    all.slice(0, 10).map((r) => r.combo_id),
  );
  const row = page1.rows[0];
  for (const col of ["combo_id", "z_entry", "dollar_tp", "delta", "sharpe", "dsr", "n_end_of_data"])
    assert.ok(col in row, col);

  // max_dd sorts ascending by default; a null filter keeps unset values; ranges on a parameter
  const dd = await get(
    `/jobs/${fastJob}/rows?${q({ by: "max_dd", limit: 100, filter: { dollar_tp: null, z_exit: { max: 0 } } })}`,
  );
  const wantDd = await sql(
    "SELECT combo_id FROM results WHERE job_id = $1 AND dollar_tp IS NULL AND z_exit <= 0 ORDER BY max_dd ASC NULLS LAST, combo_id",
    fastJob,
  );
  assert.equal(dd.total, 12);
  assert.deepEqual(
    dd.rows.map((r: { combo_id: number }) => r.combo_id),
    wantDd.map((r) => r.combo_id),
  );
  const asc = await get(`/jobs/${fastJob}/rows?${q({ by: "combo_id", order: "asc", limit: 3 })}`);
  assert.deepEqual(
    asc.rows.map((r: { combo_id: number }) => r.combo_id),
    [0, 1, 2],
  );
  assert.equal(asc.total, 48);
});

test("rows refusals name the query field at fault", async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ by: "sharpness" }, "query.by"],
    [{ filter: { nope: 1 } }, "query.filter.nope"],
    [{ filter: { sharpe: {} } }, "query.filter.sharpe"],
    [{ filter: { sharpe: { min: "1" } } }, "query.filter.sharpe"],
    [{ filter: "[1" }, "query.filter"],
    [{ limit: 0 }, "query.limit"],
    [{ order: "up" }, "query.order"],
  ];
  for (const [query, path] of cases) {
    const body = await get(`/jobs/${fastJob}/rows?${q(query)}`, 400);
    assert.equal(body.path, path, JSON.stringify(query));
  }
  await get("/jobs/nope/rows", 404);
});

/** `--set` arguments replaying a combination's varying parameters. */
const setsOf = (params: Record<string, number | null>, names: string[]) =>
  names.flatMap((n) => ["--set", `${n}=${params[n] === null ? "null" : params[n]}`]);

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const cols = head!.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i]!, v])));
}

test("a combination's page equals pairgrid backtest: statistics, trades, equity; the stored row agrees", async () => {
  const [best] = await sql(
    "SELECT combo_id FROM results WHERE job_id = $1 AND dollar_tp = 400 ORDER BY sharpe DESC, combo_id LIMIT 1",
    fastJob,
  );
  const combo = await get(`/jobs/${fastJob}/combos/${best!.combo_id}`);
  assert.equal(combo.combo_id, best!.combo_id);
  assert.equal(combo.params.dollar_tp, 400);
  const names = ["ols_window", "zscore_window", "z_entry", "z_exit", "dollar_tp"];
  for (const n of names) assert.equal(combo.params[n], combo.stored[n], n);

  const eq = join(dir, "equity.csv");
  const tr = join(dir, "trades.csv");
  const stats = JSON.parse(
    cli(["backtest", FAST_SPEC, ...setsOf(combo.params, names), "--json", "--equity", eq, "--trades", tr]),
  );
  assert.deepEqual(combo.stats, stats);
  // the grid kernel's row and the reference run agree on every §7 statistic
  for (const [name, v] of Object.entries(stats)) {
    if (!(name in combo.stored)) continue;
    if (v === null) assert.equal(combo.stored[name], null, name);
    else
      assert.ok(
        Math.abs(combo.stored[name] - (v as number)) <= 1e-9 * Math.max(1, Math.abs(v as number)),
        name,
      );
  }

  const trades = csvRows(tr);
  assert.equal(combo.trades.length, trades.length);
  assert.ok(trades.length > 10);
  combo.trades.forEach((t: Record<string, unknown>, k: number) => {
    for (const c of ["entry_ts", "exit_ts", "pnl_net", "bars_held", "n_a"])
      assert.equal(t[c], Number(trades[k]![c]), `${k} ${c}`);
    assert.equal(t.reason, trades[k]!.reason);
    assert.equal(t.entry_time, trades[k]!.entry_time);
  });
  const reasons = Object.entries(combo.reasons).filter(([, n]) => (n as number) > 0);
  assert.equal(
    reasons.reduce((s, [, n]) => s + (n as number), 0),
    trades.length,
  );
  assert.equal(combo.reasons.TP_DOLLAR, stats.n_tp_dollar);

  // downsampled from every bar: a subset of the full curve keeping its ends, extremes and max drawdown
  const full = csvRows(eq).map((r) => ({
    ts: Number(r.ts),
    equity: Number(r.equity),
    drawdown: Number(r.drawdown),
  }));
  const e = combo.equity;
  assert.equal(e.n_bars, full.length);
  assert.ok(full.length > 5000 && e.downsampled, `${full.length} bars`);
  assert.ok(e.ts.length <= 5000 && e.ts.length > 1000, `${e.ts.length} points`);
  const byTs = new Map(full.map((p) => [p.ts, p]));
  e.ts.forEach((ts: number, k: number) => {
    const p = byTs.get(ts)!;
    assert.ok(p, `point ${ts} is a bar close`);
    assert.equal(e.equity[k], p.equity);
    assert.equal(e.drawdown[k], p.drawdown);
    if (k > 0) assert.ok(ts > e.ts[k - 1]);
  });
  assert.equal(e.ts[0], full[0]!.ts);
  assert.equal(e.ts.at(-1), full.at(-1)!.ts);
  assert.equal(Math.max(...e.drawdown), stats.max_dd_mtm);
  assert.equal(Math.max(...e.equity), Math.max(...full.map((p) => p.equity)));
  assert.equal(Math.min(...e.equity), Math.min(...full.map((p) => p.equity)));
});

test("with fast files the page has the slow-vs-hybrid comparison of pairgrid hybrid --compare", async () => {
  const [row] = await sql(
    "SELECT combo_id FROM results WHERE job_id = $1 AND dollar_tp = 400 ORDER BY n_trades DESC, combo_id LIMIT 1",
    fastJob,
  );
  const combo = await get(`/jobs/${fastJob}/combos/${row!.combo_id}`);
  const names = ["ols_window", "zscore_window", "z_entry", "z_exit", "dollar_tp"];
  const cmp = JSON.parse(cli(["hybrid", FAST_SPEC, ...setsOf(combo.params, names), "--compare", "--json"]));
  const h = combo.hybrid;
  assert.equal(h.engine, cmp.engine);
  assert.deepEqual(h.statistics, cmp.statistics);
  assert.equal(h.pnl_difference, cmp.pnl_difference);
  assert.deepEqual(h.trades_compared, {
    slow: cmp.trades.slow,
    hybrid: cmp.trades.hybrid,
    matched: cmp.trades.matched,
    moved: cmp.trades.moved.length,
    slow_only: cmp.trades.slow_only.length,
    hybrid_only: cmp.trades.hybrid_only.length,
  });
  assert.deepEqual(h.moved, cmp.trades.moved.slice(0, 200));
  assert.ok(h.trades_compared.matched > 0);
  for (const [name, pair] of Object.entries(cmp.statistics))
    assert.equal(h.stats[name], (pair as { hybrid: unknown }).hybrid);

  const slow = await get(`/jobs/${slowJob}/combos/0`);
  assert.equal(slow.hybrid, null, "no fast files, no comparison");
  assert.equal(slow.stats.n_trades, slow.stored.n_trades);
});

test("combination ids the grid does not run are 404; a missing data file is a 409 naming it", async () => {
  const outside = await get(`/jobs/${fastJob}/combos/48`, 404);
  assert.match(outside.message, /0 to 47/);
  const invalid = await get(`/jobs/${slowJob}/combos/1`, 404);
  assert.match(invalid.message, /not run/);
  await get(`/jobs/nope/combos/0`, 404);
  await get(`/jobs/${slowJob}/combos/x`, 400);

  // a fresh server: the one above keeps the job's data loaded, as it should
  const cold = serverFor();
  const file = join(dir, "data", "NQ.csv");
  renameSync(file, `${file}.moved`);
  try {
    const res = await cold.inject({ method: "GET", url: `/jobs/${slowJob}/combos/0` });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error, "data_unavailable");
    assert.match(res.json().message, /data\.a\.slow .*NQ\.csv/);
  } finally {
    renameSync(`${file}.moved`, file);
  }
  try {
    // the failed load was not kept: with the file back, the page works
    const res = await cold.inject({ method: "GET", url: `/jobs/${slowJob}/combos/0` });
    assert.equal(res.statusCode, 200, res.body);
  } finally {
    await cold.close();
  }
});

test("the analysis routes are in the OpenAPI document", async () => {
  const doc = await get("/docs/json");
  for (const path of [
    "/jobs/{id}/grid",
    "/jobs/{id}/heatmap",
    "/jobs/{id}/rows",
    "/jobs/{id}/combos/{combo}",
  ]) {
    assert.ok(doc.paths[path]?.get, path);
  }
  const names = doc.paths["/jobs/{id}/heatmap"].get.parameters.map((p: { name: string }) => p.name);
  for (const n of ["x", "y", "stat", "agg", "min_trades", "fix"]) assert.ok(names.includes(n), n);
});

/** A download: status, attachment name and body bytes. */
async function download(url: string, status = 200) {
  const res = await app.inject({ method: "GET", url });
  assert.equal(res.statusCode, status, `${url}: ${res.body}`);
  return { res, body: res.rawPayload };
}

/** A Parquet file read back by DuckDB's own reader (not the code under test). */
async function parquetRows(bytes: Buffer): Promise<Record<string, unknown>[]> {
  const file = join(dir, `read-${Math.random().toString(36).slice(2)}.parquet`);
  writeFileSync(file, bytes);
  return sql(`SELECT * FROM read_parquet('${file}')`);
}

test("one ranking: /results and /rows default to the job's rank.by and rank.min_trades, ties by combo_id", async () => {
  const want = await sql(
    "SELECT combo_id FROM results WHERE job_id = $1 AND n_trades >= 5 ORDER BY sharpe DESC NULLS LAST, combo_id",
    fastJob,
  );
  const results = await get(`/jobs/${fastJob}/results?limit=1000`);
  assert.deepEqual(
    results.map((r: { combo_id: number }) => r.combo_id),
    want.map((r) => r.combo_id),
  );
  const rows = await get(`/jobs/${fastJob}/rows?limit=1000`);
  assert.deepEqual(
    rows.rows.map((r: { combo_id: number }) => r.combo_id),
    want.map((r) => r.combo_id),
  );
  const g = await get(`/jobs/${fastJob}/grid`);
  assert.deepEqual(
    { ...g.rank, example_sql: undefined },
    {
      by: "sharpe",
      min_trades: 5,
      order: "desc",
      example_sql: undefined,
    },
  );
  // the SQL box's example ranks the same rows in the same order
  const example = await sql(g.rank.example_sql);
  assert.deepEqual(
    example.map((r) => r.combo_id),
    want.slice(0, 20).map((r) => r.combo_id),
  );
});

test("ranked rows download as CSV and Parquet: every row passing the filters, in ranked order", async () => {
  const filter = { dollar_tp: 400 };
  const page = await get(`/jobs/${fastJob}/rows?${q({ by: "total_pnl", filter, limit: 1000 })}`);
  const csv = await download(`/jobs/${fastJob}/rows/export?${q({ by: "total_pnl", filter, format: "csv" })}`);
  assert.match(String(csv.res.headers["content-disposition"]), /attachment; filename=".*-rows\.csv"/);
  const lines = csv.body.toString("utf8").trimEnd().split("\n");
  const header = lines[0]!.split(",");
  assert.equal(header[0], "combo_id");
  assert.ok(header.includes("sharpe") && header.includes("dsr"));
  assert.equal(lines.length - 1, page.total);
  const ids = lines.slice(1).map((l) => Number(l.split(",")[0]));
  assert.deepEqual(
    ids,
    page.rows.map((r: { combo_id: number }) => r.combo_id),
  );
  const pnlAt = header.indexOf("total_pnl");
  assert.equal(Number(lines[1]!.split(",")[pnlAt]), page.rows[0].total_pnl);

  const pq = await download(
    `/jobs/${fastJob}/rows/export?${q({ by: "total_pnl", filter, format: "parquet" })}`,
  );
  assert.equal(pq.res.headers["content-type"], "application/vnd.apache.parquet");
  const back = await parquetRows(pq.body);
  assert.deepEqual(
    back.map((r) => r.combo_id),
    ids,
  );
  assert.equal(back[0]!.total_pnl, page.rows[0].total_pnl);
  assert.equal(back[0]!.dollar_tp, 400);
  await download(`/jobs/${fastJob}/rows/export?format=xlsx`, 400);
  await download(`/jobs/nope/rows/export?format=csv`, 404);
});

test("a combination's trades and full equity download, equal to its page and pairgrid backtest", async () => {
  const [best] = await sql(
    "SELECT combo_id FROM results WHERE job_id = $1 ORDER BY sharpe DESC NULLS LAST, combo_id LIMIT 1",
    fastJob,
  );
  const id = best!.combo_id as number;
  const combo = await get(`/jobs/${fastJob}/combos/${id}`);
  // the replay command names every varying axis with this combination's values
  assert.match(
    combo.command,
    /^pairgrid backtest \S*fast\.json --set ols_window=\d+ --set zscore_window=\d+ /,
  );
  for (const n of ["ols_window", "zscore_window", "z_entry", "z_exit", "dollar_tp"])
    assert.ok(combo.command.includes(`--set ${n}=${combo.params[n] ?? "null"}`), n);
  assert.equal(combo.session_tz, "America/New_York");
  assert.equal(combo.hedge, "ols");
  // the signal: same x as the equity where not downsampled, exact at every trade's entry bar
  assert.equal(combo.signal.n_bars, combo.equity.n_bars);
  const sigTs = new Set(combo.signal.ts);
  for (const t of combo.trades) assert.ok(sigTs.has(t.entry_ts), `entry ${t.entry_ts} kept`);

  const trades = await download(`/jobs/${fastJob}/combos/${id}/export?table=trades&format=csv`);
  const tl = trades.body.toString("utf8").trimEnd().split("\n");
  assert.equal(tl.length - 1, combo.trades.length);
  const th = tl[0]!.split(",");
  const netAt = th.indexOf("pnl_net");
  tl.slice(1).forEach((l, k) => assert.equal(Number(l.split(",")[netAt]), combo.trades[k].pnl_net));

  const eq = await download(`/jobs/${fastJob}/combos/${id}/export?table=equity&format=parquet`);
  const curve = await parquetRows(eq.body);
  assert.equal(curve.length, combo.equity.n_bars, "every bar, not the chart's points");
  assert.equal(Math.max(...curve.map((r) => r.drawdown as number)), combo.stats.max_dd_mtm);
  await download(`/jobs/${fastJob}/combos/${id}/export?table=nope&format=csv`, 400);
});

test("parameter importance: each axis's η² of the statistic over the ranked rows, as SQL computes it", async () => {
  const imp = await get(`/jobs/${fastJob}/importance?stat=sharpe`);
  assert.equal(imp.stat, "sharpe");
  const [n] = await sql(
    "SELECT count(*)::INTEGER AS n FROM results WHERE job_id = $1 AND n_trades >= 5 AND sharpe IS NOT NULL",
    fastJob,
  );
  assert.equal(imp.n_rows, n!.n);
  assert.deepEqual(imp.params.map((p: { param: string }) => p.param).sort(), [
    "dollar_tp",
    "ols_window",
    "z_entry",
    "z_exit",
    "zscore_window",
  ]);
  for (const p of imp.params as { param: string; share: number; n_values: number }[]) {
    const [want] = await sql(
      `WITH r AS (SELECT ${p.param} AS v, sharpe FROM results WHERE job_id = $1 AND n_trades >= 5 AND sharpe IS NOT NULL), ` +
        "g AS (SELECT v, count(*) AS n, avg(sharpe) AS m FROM r GROUP BY v) " +
        "SELECT (SELECT sum(n * (m - (SELECT avg(sharpe) FROM r)) ^ 2) FROM g) / (SELECT sum((sharpe - (SELECT avg(sharpe) FROM r)) ^ 2) FROM r) AS share, (SELECT count(*)::INTEGER FROM g) AS k",
      fastJob,
    );
    assert.ok(Math.abs(p.share - (want!.share as number)) < 1e-9, `${p.param}: ${p.share} vs ${want!.share}`);
    assert.equal(p.n_values, want!.k);
  }
  // largest share first
  const shares = imp.params.map((p: { share: number }) => p.share);
  assert.deepEqual(
    shares,
    [...shares].sort((a: number, b: number) => b - a),
  );
  await get(`/jobs/${fastJob}/importance?stat=nope`, 400);
});
