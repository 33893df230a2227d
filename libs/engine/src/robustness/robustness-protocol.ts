// Messages between robustness-pool.ts and its workers (robustness-worker.ts).
import type { SplitCounts, SplitWinners } from "./cscv-kernel.js";
import type { PboOptions } from "./pbo.js";
import type { WalkForwardStreamOptions } from "./walk-forward-streamed.js";

/** What every worker runs: the same options give every worker the same splits and ranges. */
export interface PoolPlan {
  nRows: number;
  nFolds: number;
  cscv: PboOptions | null;
  walkForward: WalkForwardStreamOptions | null;
}

/** A batch of rows, moved (not copied) between the pool and a worker. */
export interface BatchBuffers {
  ids: Float64Array;
  pnl: Float64Array;
  pnlSq: Float64Array;
  nDays: Int32Array;
  nTrades: Int32Array;
}

/** A walk-forward range's best row, as it crosses threads. */
export interface BestRowState {
  id: number;
  value: number;
  pnl: Float64Array;
  pnlSq: Float64Array;
  nDays: Int32Array;
  nTrades: Int32Array;
}

export type WorkerRequest =
  | { kind: "block"; pass: 1 | 2; n: number; buf: BatchBuffers }
  | { kind: "end1" }
  | { kind: "winners"; winners: SplitWinners }
  | { kind: "end2" };

export type WorkerReply =
  | { kind: "free"; buf: BatchBuffers }
  | { kind: "state1"; winners: SplitWinners | null; bests: BestRowState[] }
  | { kind: "state2"; counts: SplitCounts | null };

export function batchBuffers(rows: number, nFolds: number): BatchBuffers {
  const cells = rows * nFolds;
  return {
    ids: new Float64Array(rows),
    pnl: new Float64Array(cells),
    pnlSq: new Float64Array(cells),
    nDays: new Int32Array(cells),
    nTrades: new Int32Array(cells),
  };
}

export const transferList = (b: BatchBuffers): ArrayBuffer[] =>
  [b.ids.buffer, b.pnl.buffer, b.pnlSq.buffer, b.nDays.buffer, b.nTrades.buffer] as ArrayBuffer[];
