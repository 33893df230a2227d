// Runs every compiled test file (`*/dist/test/**/*.test.js`) of every workspace with node:test.
// Usage: node scripts/run-tests.mjs [substring…]   (only files whose path contains a substring)
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const workspaces = [
  "libs/stats",
  "libs/engine",
  "libs/resultsdb",
  "libs/cluster",
  "libs/threads",
  "libs/jobs",
  "apps/worker",
  "apps/cli",
  "apps/coordinator",
];
const filters = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".test.js")) out.push(p);
  }
  return out;
}

const files = [];
for (const ws of workspaces) {
  const dir = join(root, ws, "dist", "test");
  if (existsSync(dir)) walk(dir, files);
}
const selected = files
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (selected.length === 0) {
  console.error("no test files found (did `tsc -b` run?)");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const reporter = join(root, "scripts", "summary-reporter.mjs");
// Two test files at a time (node:test's default is one fewer than the cores: one file here). Most
// files spend their time waiting on child processes (CLI runs, Redis, workers, a browser), so two
// at once took the suite from 878 s to 542 s on this 2-core machine, every test passing (measured
// side by side, the same tree). PAIRGRID_TEST_CONCURRENCY=1 runs them one at a time again.
const concurrency = process.env.PAIRGRID_TEST_CONCURRENCY ?? "2";
if (!/^[1-9]\d*$/.test(concurrency)) {
  console.error(`PAIRGRID_TEST_CONCURRENCY: expected a positive integer, got '${concurrency}'`);
  console.log("0 passed, 1 failed");
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  [
    "--test",
    `--test-concurrency=${concurrency}`,
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    `--test-reporter=${reporter}`,
    "--test-reporter-destination=stdout",
    ...selected,
  ],
  { cwd: root, stdio: "inherit", env: { ...process.env, PAIRGRID_ROOT: root } },
);
process.exit(result.status ?? 1);
