// Before/after in one run: the same workload from two built checkouts, taking turns, so that a slow
// spell of this shared machine falls on both. Each turn is `node <tree>/bench/run.mjs <W> --reps 3`
// (each already a median of 3); the report gives, per figure, the median over the turns of each tree
// and after/before. Usage:
//   node bench/compare-trees.mjs --before /path/to/old/checkout [--after .] [--turns 3] W1 W2 …
// (--turns 1 runs each tree once: still medians of 3 inside each run, but no alternation.)
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./lib/measure.mjs";

// The figures compared per workload: key paths into the workload's JSON (BENCH.md names them).
const FIGURES = {
  W1: [
    "bar_scan.bar_combinations_per_s",
    "event_driven.bar_combinations_per_s",
    "event_driven_batch_without_families.bar_combinations_per_s",
    "event_vs_scan_speedup",
  ],
  W2: [
    "event_driven.wall_seconds_median",
    "bar_scan.wall_seconds_median",
    "speedup_event_vs_scan",
    "rows_differing_between_kernels",
  ],
  W3: [
    "dollar.exact_kernel.seconds_median",
    "dollar.pruning.unpruned_seconds_median",
    "dollar.pruning.prune_speedup",
  ],
};

const args = process.argv.slice(2);
let before = null;
let after = fileURLToPath(new URL("..", import.meta.url));
let turns = 3;
const workloads = [];
for (let k = 0; k < args.length; k++) {
  if (args[k] === "--before") before = resolve(args[++k]);
  else if (args[k] === "--after") after = resolve(args[++k]);
  else if (args[k] === "--turns") turns = Number(args[++k]);
  else workloads.push(args[k].toUpperCase());
}
if (!before || workloads.length === 0 || !(turns >= 1)) {
  console.error("usage: node bench/compare-trees.mjs --before DIR [--after DIR] [--turns N] W1 [W2 …]");
  process.exit(2);
}

const pick = (obj, path) => path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);

function runOnce(tree, workload) {
  const r = spawnSync(process.execPath, [resolve(tree, "bench/run.mjs"), workload, "--reps", "3"], {
    cwd: tree,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${workload} in ${tree} failed:\n${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1));
}

for (const w of workloads) {
  const paths = FIGURES[w] ?? [];
  const seen = { before: [], after: [] };
  for (let t = 0; t < turns; t++) {
    // alternate which tree goes first, so neither always runs on a warmer machine
    const order = t % 2 === 0 ? ["before", "after"] : ["after", "before"];
    for (const side of order) seen[side].push(runOnce(side === "before" ? before : after, w));
  }
  const figures = {};
  for (const p of paths) {
    const b = seen.before.map((j) => pick(j, p));
    const a = seen.after.map((j) => pick(j, p));
    if (b.some((v) => typeof v !== "number") || a.some((v) => typeof v !== "number")) {
      figures[p] = { missing: true, before: b, after: a };
      continue;
    }
    const mb = median(b);
    const ma = median(a);
    figures[p] = {
      before: mb,
      after: ma,
      after_over_before: mb === 0 ? null : ma / mb,
      turns_before: b,
      turns_after: a,
    };
  }
  process.stdout.write(`${JSON.stringify({ workload: w, before, after, turns, figures })}\n`);
}
