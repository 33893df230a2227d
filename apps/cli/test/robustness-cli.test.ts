// `pairgrid robustness` on a real grid run (`pairgrid run` over synthetic data): the --json report
// against a recomputation in SQL over results_folds and results (walk-forward picks and
// out-of-sample figures, every CSCV logit and PBO, the ranking with dsr and the stability of each
// top cell), the text report, and one-line exit-2 errors.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { RobustnessReport } from "@pairgrid/resultsdb";
import { pairgrid } from "./cli-helpers.js";
import { makeRunDir, runToEnd, specObject, withResultsFiles, writeSpec } from "./run-fixtures.js";

const rd = makeRunDir("robustness", 30, 5);
const db = `${rd.dir}/results.duckdb`;
const F = 8;
let jobId = "";
let report: RobustnessReport;

const PARAMS = {
  ols_window: [60, 120],
  zscore_window: [20, 40],
  z_entry: [1.5, 2, 2.5],
  z_exit: [0, 0.5],
  z_stop: [null, 3.5],
};

before(() => {
  const spec = writeSpec(
    rd,
    "grid.json",
    specObject(PARAMS, { rank: { by: "sharpe", min_trades: 0, folds: F } }),
  );
  jobId = runToEnd(rd, [spec, "--db", db, "--threads", "1", "--quiet"]).jobId;
  const r = pairgrid(["robustness", "--db", db, "--json", "--splits", "4", "--window", "3", "--limit", "6"]);
  assert.equal(r.status, 0, r.stderr);
  // a report answered in a moment shows no progress (run-progress.test.ts: one that takes long)
  assert.equal(r.stderr, "");
  report = JSON.parse(r.stdout) as RobustnessReport;
});

const near = (a: number | null, b: number | null, what: string) => {
  if (a === null || b === null) return assert.equal(a, b, what);
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
};

/** §7 Sharpe of each combination over a set of folds, straight from results_folds in SQL. */
// over each twin group's first row: PBO and walk-forward count a group of twins once (INTERFACE.md)
const sharpeSql = (folds: number[]) => `
  SELECT combo_id::DOUBLE AS combo_id, sum(pnl) AS pnl, sum(n_trades)::DOUBLE AS n_trades,
    CASE WHEN sum(n_days) >= 2 AND sum(pnl_sq) - sum(pnl) * sum(pnl) / sum(n_days) > sum(pnl_sq) * 1e-12
      THEN sum(pnl) / sum(n_days) / sqrt((sum(pnl_sq) - sum(pnl) * sum(pnl) / sum(n_days)) / (sum(n_days) - 1)) * sqrt(252)
    END AS sharpe
  FROM db0.results_folds WHERE job_id = '${jobId}' AND fold IN (${folds.join(", ")})
    AND combo_id IN (SELECT combo_id FROM db0.results WHERE job_id = '${jobId}' AND same_as IS NULL)
  GROUP BY combo_id`;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test("the report covers the job: folds, combinations, varying parameters", async () => {
  const [[n, distinct]] = (await withResultsFiles([db], (q) =>
    q(
      "SELECT count(*)::INTEGER, count(*) FILTER (WHERE same_as IS NULL)::INTEGER " +
        `FROM db0.results WHERE job_id = '${jobId}'`,
    ),
  )) as [[number, number]];
  assert.equal(report.job_id, jobId);
  assert.equal(report.n_combos, n);
  assert.ok(n > 20, `${n} combinations`);
  assert.equal(report.n_distinct, distinct);
  assert.ok(distinct < n, `the job has twins: ${distinct} distinct results of ${n} rows`);
  assert.equal(report.n_folds, F);
  assert.deepEqual(report.params, Object.keys(PARAMS));
});

test("walk-forward: every pick and out-of-sample figure equals SQL over results_folds", async () => {
  const wf = report.walk_forward!;
  assert.equal(wf.window, 3);
  await withResultsFiles([db], async (q) => {
    for (const w of [wf.anchored, wf.rolling]) {
      assert.equal(w.steps.length, F - 3);
      let stitchedPnl = 0;
      for (const step of w.steps) {
        const from = w.mode === "anchored" ? 0 : step.test_fold - 3;
        assert.deepEqual([step.train_from, step.train_to], [from, step.test_fold - 1]);
        const [best] = await q(
          `SELECT combo_id, sharpe FROM (${sharpeSql(range(from, step.test_fold - 1))}) ` +
            "ORDER BY sharpe DESC NULLS LAST, combo_id ASC LIMIT 1",
        );
        assert.equal(step.combo_id, best![0], `${w.mode} fold ${step.test_fold}: chosen combination`);
        near(step.is_sharpe, best![1] as number, "is_sharpe");
        const [oos] = await q(
          `SELECT * FROM (${sharpeSql([step.test_fold])}) WHERE combo_id = ${step.combo_id}`,
        );
        near(step.oos_pnl, oos![1] as number, "oos_pnl");
        assert.equal(step.oos_n_trades, oos![2]);
        near(step.oos_sharpe, oos![3] as number | null, "oos_sharpe");
        stitchedPnl += oos![1] as number;
      }
      near(w.stitched.pnl, stitchedPnl, `${w.mode} stitched pnl`);
      const [isBest] = await q(
        `SELECT combo_id, sharpe FROM (${sharpeSql(range(0, F - 1))}) ORDER BY sharpe DESC NULLS LAST, combo_id LIMIT 1`,
      );
      assert.equal(w.in_sample_best.combo_id, isBest![0]);
      const [period] = await q(
        `SELECT pnl FROM (${sharpeSql(range(3, F - 1))}) WHERE combo_id = ${isBest![0]}`,
      );
      near(w.in_sample_best.oos_period_pnl, period![0] as number, "in-sample best over the test folds");
    }
  });
  // rolling and anchored share their first step (same training folds 0–2)
  assert.equal(wf.anchored.steps[0]!.combo_id, wf.rolling.steps[0]!.combo_id);
});

test("PBO: the 6 CSCV splits of 4 groups, recomputed in SQL, give the same logits and PBO", async () => {
  const pbo = report.pbo!;
  assert.deepEqual([pbo.groups, pbo.n_splits_total, pbo.n_splits, pbo.sampled], [4, 6, 6, false]);
  const groups = [
    [0, 1],
    [2, 3],
    [4, 5],
    [6, 7],
  ];
  const logits: number[] = [];
  await withResultsFiles([db], async (q) => {
    for (const [a, b] of [
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ]) {
      const isFolds = [...groups[a!]!, ...groups[b!]!];
      const oosFolds = range(0, F - 1).filter((f) => !isFolds.includes(f));
      const [row] = await q(`
        WITH isr AS (${sharpeSql(isFolds)}), oos AS (${sharpeSql(oosFolds)}),
        best AS (SELECT combo_id FROM isr ORDER BY sharpe DESC NULLS LAST, combo_id LIMIT 1),
        x AS (SELECT oos.sharpe AS v FROM oos JOIN best USING (combo_id))
        SELECT (SELECT count(*) FROM oos, x WHERE (x.v IS NOT NULL AND (oos.sharpe IS NULL OR oos.sharpe < x.v)))::DOUBLE,
               (SELECT count(*) FROM oos, x WHERE oos.sharpe = x.v OR (oos.sharpe IS NULL AND x.v IS NULL))::DOUBLE,
               (SELECT count(*) FROM oos)::DOUBLE`);
      const [below, equal, n] = row as [number, number, number];
      const omega = (below + (equal + 1) / 2) / (n + 1);
      logits.push(Math.log(omega / (1 - omega)));
    }
  });
  const got = [...pbo.logits].sort((x, y) => x - y);
  logits.sort((x, y) => x - y);
  got.forEach((l, i) => near(l, logits[i]!, `logit ${i}`));
  assert.equal(pbo.pbo, logits.filter((l) => l <= 0).length / 6);
  assert.equal(pbo.degradation.is.length, 6);
  assert.equal(
    pbo.logit_histogram.counts.reduce((x, y) => x + y, 0),
    6,
  );
});

test("top rows: ranked as in SQL, with dsr, and each cell's stability from its grid neighbours", async () => {
  const names = Object.keys(PARAMS);
  const rows = (await withResultsFiles([db], (q) =>
    q(
      `SELECT combo_id::DOUBLE, sharpe, dsr, ${names.join(", ")}, same_as::DOUBLE FROM db0.results WHERE job_id = '${jobId}' ` +
        "ORDER BY sharpe DESC NULLS LAST, combo_id",
    ),
  )) as (number | null)[][];
  assert.equal(report.top.length, 6);
  // the ranking lists each group of twins once, by its first row (same_as NULL; INTERFACE.md)
  const firstRows = rows.filter((r) => r[3 + names.length] === null);
  report.top.forEach((t, i) => {
    const [id, sharpe, dsr] = firstRows[i]!;
    assert.equal(t.n_identical, rows.filter((r) => r[3 + names.length] === id).length);
    assert.equal(t.combo_id, id);
    near(t.sharpe, sharpe!, "sharpe");
    near(t.dsr, dsr!, "dsr");
    assert.ok(t.dsr !== null, "dsr filled in by the run");
  });
  // neighbours: one parameter one step along its sorted values, every other parameter equal
  const sorted = names.map((_, j) =>
    [...new Set(rows.map((r) => r[3 + j]).filter((v) => v !== null))].sort((a, b) => a! - b!),
  );
  for (const t of report.top) {
    const own = rows.find((r) => r[0] === t.combo_id)!;
    const nb = rows.filter((o) => {
      const diff = names.map((_, j) => j).filter((j) => o[3 + j] !== own[3 + j]);
      if (diff.length !== 1) return false;
      const j = diff[0]!;
      if (o[3 + j] === null || own[3 + j] === null) return false;
      return Math.abs(sorted[j]!.indexOf(o[3 + j]!) - sorted[j]!.indexOf(own[3 + j]!)) === 1;
    });
    const vals = nb.map((o) => o[1] ?? 0).sort((a, b) => a - b);
    const mid = vals.length >> 1;
    const median = vals.length % 2 ? vals[mid]! : (vals[mid - 1]! + vals[mid]!) / 2;
    assert.equal(t.n_neighbours, nb.length, `combo ${t.combo_id}: neighbours`);
    near(t.stability, median - own[1]!, `combo ${t.combo_id}: stability`);
  }
});

test("text report: PBO, both walk-forward tables, the ranking with sharpe, dsr and stability", () => {
  const r = pairgrid([
    "robustness",
    "--db",
    db,
    "--job",
    jobId,
    "--splits",
    "4",
    "--window",
    "3",
    "--limit",
    "3",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(
    out,
    new RegExp(
      `^job ${jobId} \\(run-test, done\\): ${report.n_combos} combinations ` +
        `\\(${report.n_distinct} distinct results\\), 8 folds, by sharpe`,
    ),
  );
  assert.ok(out.includes(`PBO ${report.pbo!.pbo!.toFixed(3)}  (CSCV: 4 groups, 6 splits of 6;`), out);
  assert.match(out, /^anchored: stitched out-of-sample sharpe/m);
  assert.match(out, /^rolling: stitched out-of-sample sharpe/m);
  assert.match(out, /^ +rank +combo_id +ols_window .* sharpe +dsr +stability +nbrs +total_pnl +n_trades$/m);
  const first = report.top[0]!;
  assert.match(
    out,
    new RegExp(`^ +1 +${first.combo_id} .* ${first.sharpe!.toFixed(3)} +${first.dsr!.toFixed(3)} `, "m"),
  );
});

test("bad input: missing file or job, bad statistic, splits, limit → exit 2, one line", () => {
  const cases: [string[], RegExp][] = [
    [["--db", `${rd.dir}/nope.duckdb`], /--db .*nope\.duckdb: no such file/],
    [["--job", "zzz"], /--job zzz: no such job/],
    [["--by", "dsr"], /--by: must be a statistic computable per fold \(one of: sharpe, total_pnl\)/],
    [["--splits", "3"], /--splits: must be an even number from 2 to 8 \(the job has 8 folds\), got 3/],
    [["--limit", "0"], /--limit: must be an integer ≥ 1, got 0/],
  ];
  for (const [args, message] of cases) {
    const r = pairgrid(["robustness", "--db", db, ...args]);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.equal(r.stdout, "");
  }
});
