// `npm start`: makes the synthetic demo data on first use, then runs the demo grid.
// Until the local grid run lands (issue 4) it prints the demo indicators and a reference-engine
// backtest of the grid's first combination.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "apps", "cli", "bin", "pairgrid.js");
const dataDir = join(root, "demo-data");
const outDir = join(root, "out");

function pairgrid(args) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync(join(dataDir, "synth.json"))) {
  console.log("making synthetic demo data (first run only) …");
  pairgrid(["data", "synth", "--out", dataDir, "--days", "250", "--seed", "7"]);
}
mkdirSync(outDir, { recursive: true });
const out = join(outDir, "demo-indicators.csv");
pairgrid(["indicators", join(root, "grids", "demo.yaml"), "--set", "min_corr=0.6", "--out", out]);

const lines = readFileSync(out, "utf8").trimEnd().split("\n");
const header = lines[0].split(",");
const col = (name) => header.indexOf(name);
const rows = lines.slice(1).map((l) => l.split(","));
const z = rows
  .map((r) => r[col("z")])
  .filter((v) => v !== "")
  .map(Number);
const extreme = z.filter((v) => Math.abs(v) >= 2).length;
console.log(`\n${out}: ${rows.length} bars; z defined on ${z.length}; |z| ≥ 2 on ${extreme} bars`);
console.log("last 5 bars:");
for (const r of rows.slice(-5)) {
  const pick = ["ts", "a", "b", "beta", "z", "corr", "trading_day", "eod"].map((c) => r[col(c)]);
  console.log(`  ${pick.join("  ")}`);
}

console.log("\nreference backtest of the demo grid's first combination:");
pairgrid(["backtest", join(root, "grids", "demo.yaml"), "--set", "z_entry=2", "--set", "min_corr=0.6"]);
