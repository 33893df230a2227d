// `npm start`: makes the synthetic demo data on first use, then runs the demo grid on this
// machine (`pairgrid run grids/demo.yaml`) into a fresh out/demo.duckdb and prints the top 10.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
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

if (!existsSync(join(dataDir, "synth.json"))) {
  console.log("making synthetic demo data (first run only) …");
  pairgrid(["data", "synth", "--out", dataDir, "--days", "250", "--seed", "7"]);
}
mkdirSync(outDir, { recursive: true });
// one job per demo run: start from an empty results file rather than piling up demo jobs
for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });

const t0 = performance.now();
pairgrid(["run", join("grids", "demo.yaml"), "--db", relative(root, db)]);
console.log(`\ndemo grid done in ${((performance.now() - t0) / 1000).toFixed(1)} s. Next:`);
const file = relative(root, db);
console.log("  npx pairgrid backtest grids/demo.yaml --set k=v…   # trades of one row (the line above)");
console.log(`  npx pairgrid top --db ${file} --by dsr   # rank again by any statistic`);
console.log(`  any DuckDB client on ${file}: tables jobs, results, results_folds`);
