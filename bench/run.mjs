// `npm run bench`: runs the BENCH.md workloads and prints one JSON object per workload to stdout,
// also written to bench/results/<workload>.json. Not part of `npm test`.
// Usage: node bench/run.mjs [W1 …] [--reps N]   (default: every workload, 3 repetitions)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./lib/bench-data.mjs";
import { machine } from "./lib/measure.mjs";
import { runW1 } from "./w1-grid-kernel.mjs";
import { runW3 } from "./w3-hybrid.mjs";
import { runW2, runW2G } from "./w2-local.mjs";
import { runW4 } from "./w4-cluster.mjs";
import { runW4H } from "./w4h-cluster-hybrid.mjs";
import { runW5 } from "./w5-memory.mjs";
import { runW6Cluster } from "./w6-cluster.mjs";
import { runW6 } from "./w6-seed-scale.mjs";
import { runW7 } from "./w7-analysis-scale.mjs";
import { runW8 } from "./w8-market-data.mjs";

const WORKLOADS = {
  W1: runW1,
  W2: runW2,
  W2G: runW2G,
  W3: runW3,
  W4: runW4,
  W4H: runW4H,
  W5: runW5,
  W6: runW6,
  W6C: runW6Cluster,
  W7: runW7,
  W8: runW8,
};

function parseArgs(argv) {
  const names = [];
  let reps = 3;
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === "--reps") reps = Number(argv[++k]);
    else names.push(argv[k].toUpperCase());
  }
  if (!Number.isInteger(reps) || reps < 3)
    throw new Error("--reps must be an integer ≥ 3 (medians of at least 3)");
  for (const n of names)
    if (!(n in WORKLOADS)) throw new Error(`unknown workload ${n} (known: ${Object.keys(WORKLOADS)})`);
  return { names: names.length > 0 ? names : Object.keys(WORKLOADS), reps };
}

/** Bad arguments: one line and exit 2, as the CLI does (no stack trace). */
function argsOrExit(argv) {
  try {
    return parseArgs(argv);
  } catch (err) {
    process.stderr.write(`bench: ${err.message}\n`);
    process.exit(2);
  }
}

const { names, reps } = argsOrExit(process.argv.slice(2));
const resultsDir = join(root, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
for (const name of names) {
  const result = { ...(await WORKLOADS[name]({ reps })), machine: machine(), date: new Date().toISOString() };
  const json = JSON.stringify(result);
  process.stdout.write(`${json}\n`);
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
