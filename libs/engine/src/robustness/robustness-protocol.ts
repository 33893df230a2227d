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

/**
 * A batch of rows in shared memory: the pool fills it, names it in a message, the worker reads it
 * and hands it back. Shared rather than transferred: the reading thread spent 1.6 s in postMessage
 * moving five buffers per batch at W7's 25 M rows, and with shared batches the whole report took
 * 26.9–27.7 s against 28.0–29.0 s (3 alternating turns, the same JSON).
 */
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
  const shared = <T>(kind: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number) =>
    new kind(new SharedArrayBuffer(n * kind.BYTES_PER_ELEMENT));
  return {
    ids: shared(Float64Array, rows),
    pnl: shared(Float64Array, cells),
    pnlSq: shared(Float64Array, cells),
    nDays: shared(Int32Array, cells),
    nTrades: shared(Int32Array, cells),
  };
}
