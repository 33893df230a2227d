// One worker of robustness-pool.ts: runs the streamed CSCV and walk-forward over the share of the
// rows the pool sends it, and hands back its partial state (split winners, per-range best rows,
// split counts) for the pool to merge. Every batch goes back to the pool once processed.
import { parentPort, workerData } from "node:worker_threads";
import type { FoldMatrix } from "./fold-matrix.js";
import { CscvStream } from "./pbo-streamed.js";
import {
  type BatchBuffers,
  type PoolPlan,
  type WorkerReply,
  type WorkerRequest,
} from "./robustness-protocol.js";
import { WalkForwardStream } from "./walk-forward-streamed.js";

const plan = workerData as PoolPlan;
const cscv = plan.cscv ? new CscvStream(plan.nRows, plan.nFolds, plan.cscv) : null;
const wf = plan.walkForward ? new WalkForwardStream(plan.nFolds, plan.walkForward) : null;
const port = parentPort!;
const F = plan.nFolds;

function blockOf(b: BatchBuffers, n: number) {
  const m: FoldMatrix = {
    nRows: n,
    nFolds: F,
    pnl: b.pnl.subarray(0, n * F),
    pnlSq: b.pnlSq.subarray(0, n * F),
    nDays: b.nDays.subarray(0, n * F),
    nTrades: b.nTrades.subarray(0, n * F),
  };
  return { m, ids: b.ids.subarray(0, n) };
}

const reply = (msg: WorkerReply) => port.postMessage(msg);

port.on("message", (msg: WorkerRequest) => {
  switch (msg.kind) {
    case "block": {
      const block = blockOf(msg.buf, msg.n);
      if (msg.pass === 1) {
        cscv?.pass1(block);
        wf?.visit(block);
      } else {
        cscv?.pass2(block);
      }
      reply({ kind: "free", buf: msg.buf });
      break;
    }
    case "end1":
      reply({
        kind: "state1",
        winners: cscv?.winners ?? null,
        bests: (wf?.bests() ?? []).map((b) => ({
          id: b.best.id,
          value: b.best.value,
          pnl: b.pnl,
          pnlSq: b.pnlSq,
          nDays: b.nDays,
          nTrades: b.nTrades,
        })),
      });
      break;
    case "winners":
      // pass 2 ranks every share of the rows against the winners over all of them
      if (cscv) {
        for (const k of Object.keys(msg.winners) as (keyof typeof msg.winners)[])
          cscv.winners[k].set(msg.winners[k]);
      }
      break;
    case "end2":
      reply({ kind: "state2", counts: cscv?.counts ?? null });
      break;
  }
});
