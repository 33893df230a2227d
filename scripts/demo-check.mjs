// `npm run demo:check`: the figures that say the demo tells the truth (issue 18), measured on the
// job `npm start` left in out/demo.duckdb (or --db FILE): the best row with ≥ rank.min_trades
// trades has an in-sample Sharpe in [1, 4]; 5–50 % of rows make money; the job's PBO (CSCV,
// default settings) lies in [0.1, 0.9]; fewer than 5 % of rows have DSR ≥ 0.999; every value of
// every gate in the grid changes some rows. Prints each figure and exits 1 when one is off. Not
// part of `npm test`: the demo grid takes 30–60 s on 2 cores.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

const root = fileURLToPath(new URL("..", import.meta.url));
const dbArg = process.argv.indexOf("--db");
const db = dbArg > 0 ? process.argv[dbArg + 1] : join(root, "out", "demo.duckdb");
if (!existsSync(db)) {
  console.error(`${db} not found: run \`npm start\` first`);
  process.exit(2);
}

/** Gate thresholds of ENGINE.md §4: a non-null value turns its gate on. */
const GATES = ["min_corr", "max_hurst", "hl_min", "hl_max", "adf_max_stat", "adf_max_pvalue"];

const robustness = spawnSync(
  process.execPath,
  [join(root, "apps", "cli", "bin", "pairgrid.js"), "robustness", "--db", db, "--json"],
  { encoding: "utf8", maxBuffer: 1 << 28 },
);
if (robustness.status !== 0) {
  console.error(robustness.stderr);
  process.exit(1);
}
const report = JSON.parse(robustness.stdout);

const instance = await DuckDBInstance.create(db, { access_mode: "READ_ONLY" });
const conn = await instance.connect();
const one = async (sql, params = []) => (await conn.runAndReadAll(sql, params)).getRowObjectsJS()[0];

const job = await one("SELECT job_id, spec FROM jobs WHERE job_id = $1", [report.job_id]);
const spec = typeof job.spec === "string" ? JSON.parse(job.spec) : job.spec;
const minTrades = spec?.rank?.min_trades ?? 0;
const params = report.params;

const best = await one("SELECT max(sharpe) AS sharpe FROM results WHERE job_id = $1 AND n_trades >= $2", [
  report.job_id,
  minTrades,
]);
const shares = await one(
  `SELECT count(*) AS n, avg(CASE WHEN total_pnl > 0 THEN 1 ELSE 0 END) AS winners,
          avg(CASE WHEN dsr >= 0.999 THEN 1 ELSE 0 END) AS dsr_high
   FROM results WHERE job_id = $1`,
  [report.job_id],
);

const checks = [];
const check = (name, value, ok) => checks.push({ name, value, ok });
const sharpe = Number(best.sharpe);
check(`best Sharpe (n_trades ≥ ${minTrades}) in [1, 4]`, sharpe.toFixed(3), sharpe >= 1 && sharpe <= 4);
const winners = Number(shares.winners);
check(
  "rows with total_pnl > 0 in [5 %, 50 %]",
  `${(100 * winners).toFixed(1)} %`,
  winners >= 0.05 && winners <= 0.5,
);
const pbo = report.pbo?.pbo ?? Number.NaN;
check("PBO in [0.1, 0.9]", pbo.toFixed(3), pbo >= 0.1 && pbo <= 0.9);
const dsrHigh = Number(shares.dsr_high);
check("rows with DSR ≥ 0.999 below 5 %", `${(100 * dsrHigh).toFixed(2)} %`, dsrHigh < 0.05);

// a gate value binds when some row differs from its twin with that gate off (all else equal)
for (const gate of GATES.filter((g) => params.includes(g))) {
  const values = (
    await conn.runAndReadAll(
      `SELECT DISTINCT ${gate} AS v FROM results WHERE job_id = $1 AND ${gate} IS NOT NULL ORDER BY v`,
      [report.job_id],
    )
  ).getRowObjectsJS();
  const same = params
    .filter((p) => p !== gate)
    .map((p) => `g.${p} IS NOT DISTINCT FROM o.${p}`)
    .join(" AND ");
  for (const { v } of values) {
    const r = await one(
      `SELECT count(*) AS twins,
              count(*) FILTER (WHERE g.n_trades <> o.n_trades OR g.total_pnl IS DISTINCT FROM o.total_pnl) AS changed
       FROM results g JOIN results o ON o.job_id = g.job_id AND o.${gate} IS NULL AND ${same}
       WHERE g.job_id = $1 AND g.${gate} = $2`,
      [report.job_id, v],
    );
    const changed = Number(r.changed);
    check(`gate ${gate} = ${v} changes some rows`, `${changed} of ${Number(r.twins)}`, changed > 0);
  }
}
conn.closeSync();
instance.closeSync();

for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.value}`);
const failed = checks.filter((c) => !c.ok).length;
console.log(
  failed === 0 ? "demo check: all figures in range" : `demo check: ${failed} figure(s) out of range`,
);
process.exit(failed === 0 ? 0 : 1);
