// V8's garbage collector set for how pairgrid's commands use memory: their bulk lives outside the
// JS heap (typed arrays, SharedArrayBuffers, DuckDB's vector copies), so the heap itself stays at
// a few tens of MB while external memory churns through gigabytes.
//
// With incremental marking on (V8's default), new external memory can start a full collection
// every few tens of MB, marked in steps: about 300 in the first 40 s of a robustness report over
// 25 M rows (it reads ≈ 10 GB of DuckDB vector copies per pass), 680 in one `serve` answering
// that report. The storm does not always come (a second `serve` run had 2), but it came in every
// CLI run timed below. Without incremental marking the copies die young and scavenges free them:
// 1–2 full collections per report, none longer than 25 ms. Measured side by side, alternating,
// the same output each time:
//   pairgrid robustness, W7 (25 M rows): 88.6 → 73.4 s wall, 166 → 139 CPU-s (medians of 3)
//   pairgrid serve, GET /jobs/:id/robustness on W7: 83.6 (the storm) / 59.4 → 55.4 / 60.0 s
//   pairgrid data check --fast, cold, 60 days of W8: 5.9 → 5.3 CPU-s (medians of 5)
//   pairgrid run, W6's quarter grid: within this machine's noise (a few % at most)
// The price: a full collection, when one comes, pauses for all of its marking at once — at most
// 25 ms in those runs. The cluster's processes (`coordinator`, `worker`) keep V8's default: they
// renew job locks and were not measured without it.
import type { Command } from "commander";
import { setFlagsFromString } from "node:v8";

const CLUSTER = new Set(["coordinator", "worker"]);

/** The top-level subcommand `cmd` belongs to (`data check` → `data`). */
function topLevel(cmd: Command): Command {
  let c = cmd;
  while (c.parent?.parent) c = c.parent;
  return c;
}

/** Before a command's action runs: V8 flags are process-wide, so its worker threads follow. */
export function useGcFlags(program: Command, set: (flags: string) => void = setFlagsFromString): void {
  program.hook("preAction", (_program, action) => {
    if (!CLUSTER.has(topLevel(action).name())) set("--no-incremental-marking");
  });
}
