// V8's garbage collector set for how pairgrid's batch commands use memory: their bulk lives outside
// the JS heap (typed arrays, SharedArrayBuffers, DuckDB's vector copies), so the heap itself stays
// at a few tens of MB while external memory churns through gigabytes.
//
// With incremental marking on (V8's default), every few tens of MB of new external memory start a
// full collection, marked in steps to keep pauses short: about 300 of them in the first 40 s of a
// robustness report over 25 M rows, which reads ≈ 10 GB of DuckDB vector copies per pass. Without
// it the copies die young and scavenges free them (one full collection in the same 40 s). Measured
// side by side, alternating, the same output each time:
//   pairgrid robustness, W7 (25 M rows): 88.6 → 73.4 s wall, 166 → 139 CPU-s (medians of 3)
//   pairgrid data check --fast, cold, 60 days of W8: 5.9 → 5.3 CPU-s (medians of 5)
//   pairgrid run, W6's quarter grid: within this machine's noise (a few % at most)
// The price: a full collection, when one comes, pauses for all of its marking at once. A batch
// command does not mind. The long-running services (`serve`, `coordinator`, `worker`) keep V8's
// default: they answer HTTP and renew job locks, where short pauses are what incremental marking
// is for, and they were not measured without it — so the dashboard's robustness route still pays
// the collections that `pairgrid robustness` no longer does.
import type { Command } from "commander";
import { setFlagsFromString } from "node:v8";

const SERVICES = new Set(["serve", "coordinator", "worker"]);

/** The top-level subcommand `cmd` belongs to (`data check` → `data`). */
function topLevel(cmd: Command): Command {
  let c = cmd;
  while (c.parent?.parent) c = c.parent;
  return c;
}

/** Before a batch command's action runs: V8 flags are process-wide, so its worker threads follow. */
export function useBatchGcFlags(program: Command, set: (flags: string) => void = setFlagsFromString): void {
  program.hook("preAction", (_program, action) => {
    if (!SERVICES.has(topLevel(action).name())) set("--no-incremental-marking");
  });
}
