// `npm start`: makes the synthetic demo data on first use, then runs the demo grid on this
// machine (`pairgrid run grids/demo.yaml`) into a fresh out/demo.duckdb, prints the top 10, then
// how much to trust them (`pairgrid robustness`: PBO, walk-forward out-of-sample against
// in-sample) and the command that opens the dashboard on the job.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "apps", "cli", "bin", "pairgrid.js");
const dataDir = join(root, "demo-data");
const outDir = join(root, "out");
const db = join(outDir, "demo.duckdb");

// Ctrl-C reaches the child too (same terminal): let it stop its run cleanly and report, rather
// than dying here and leaving it to print after the shell prompt is back
process.on("SIGINT", () => {});

function pairgrid(args) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: "inherit" });
  // a Ctrl-C'd run exits 130 after saying how to resume; pass its code on
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// data made by an older pairgrid (before the market model) is made again
const synthJson = join(dataDir, "synth.json");
if (existsSync(synthJson) && JSON.parse(readFileSync(synthJson, "utf8")).settings?.model !== "market") {
  console.log("demo data made with an older model: making it again …");
  rmSync(dataDir, { recursive: true, force: true });
}
if (!existsSync(synthJson)) {
  console.log("making synthetic demo data (first run only) …");
  pairgrid(["data", "synth", "--out", dataDir, "--days", "250", "--seed", "7"]);
}
mkdirSync(outDir, { recursive: true });
// one job per demo run: start from an empty results file rather than piling up demo jobs
for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });

const t0 = performance.now();
const file = relative(root, db);
pairgrid(["run", join("grids", "demo.yaml"), "--db", file]);
const seconds = ((performance.now() - t0) / 1000).toFixed(1);
printRobustness(file);
console.log(`\ndemo grid done in ${seconds} s. Next:`);
console.log(
  `  npx pairgrid serve --db ${file} --port 8080   # dashboard: http://127.0.0.1:8080/ (Robustness tab)`,
);
console.log(`  npx pairgrid robustness --db ${file}   # the whole robustness report`);
console.log("  npx pairgrid backtest grids/demo.yaml --set k=v…   # trades of one row (the line above)");
console.log(`  npx pairgrid top --db ${file} --by dsr   # rank again by any statistic`);
console.log(`  any DuckDB client on ${file}: tables jobs, results, results_folds`);

/** The robustness summary of the job just run: is the best row robust or lucky? */
function printRobustness(file) {
  const r = spawnSync(process.execPath, [cli, "robustness", "--db", file, "--json"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(r.status ?? 1);
  }
  const rep = JSON.parse(r.stdout);
  const f = (v, d = 2) => (v === null || v === undefined ? "—" : v.toFixed(d));
  console.log(`\nrobustness (pairgrid robustness, ${rep.n_folds} folds, by ${rep.by}):`);
  if (rep.pbo) {
    const p = rep.pbo;
    const verdict =
      p.pbo < 0.1 ? "little sign of overfitting" : p.pbo < 0.5 ? "some overfitting" : "mostly luck";
    console.log(
      `  PBO ${f(p.pbo, 3)} (CSCV, ${p.groups} groups): the in-sample best ranks in the bottom half out of ` +
        `sample in ${f(100 * p.pbo, 0)} % of splits: ${verdict}; P(OOS ${rep.by} < 0) = ${f(p.degradation.prob_oos_loss, 2)}`,
    );
  }
  const wf = rep.walk_forward;
  if (wf) {
    for (const w of [wf.anchored, wf.rolling]) {
      const best = w.in_sample_best;
      console.log(
        `  walk-forward ${w.mode}: out-of-sample ${rep.by} ${f(w.stitched.sharpe)} (choosing on past folds) ` +
          `against the in-sample best's ${f(best.sharpe)} (${f(best.oos_period_sharpe)} over the same folds)`,
      );
    }
  }
  const top = rep.top[0];
  if (top)
    console.log(
      `  best row: ${rep.by} ${f(top.sharpe)} over ${top.n_trades} trades, DSR ${f(top.dsr, 3)} ` +
        `(its Sharpe deflated for ${rep.n_combos} trials)`,
    );
}
