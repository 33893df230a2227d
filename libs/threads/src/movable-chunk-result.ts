// A chunk result marked for transfer back to the main thread. Piscina (5.x, src/worker.ts) moves
// a task's return value only when the TOP-LEVEL value is movable: it then posts
// `result[valueSymbol]` with `result[transferableSymbol]` as the transfer list. So the whole
// result is wrapped once, listing the buffers of its four typed arrays; a nested Piscina.move
// would be cloned like any other field.
import type { ChunkResult } from "@pairgrid/engine";
import { move, transferableSymbol, valueSymbol } from "piscina";

class MovableChunkResult {
  constructor(private readonly result: ChunkResult) {}

  /** Distinct ArrayBuffers (runChunk allocates each array with its own buffer, of its exact size). */
  get [transferableSymbol](): ArrayBufferLike[] {
    const r = this.result;
    return [...new Set([r.comboIds.buffer, r.params.buffer, r.stats.buffer, r.folds.buffer])];
  }

  get [valueSymbol](): ChunkResult {
    return this.result;
  }
}

/** `result` as a Piscina return value whose typed arrays are transferred, not copied. */
export function movableChunkResult(result: ChunkResult): ChunkResult {
  // the caller receives the unwrapped ChunkResult, hence the cast of the wrapper's type
  return move(new MovableChunkResult(result)) as unknown as ChunkResult;
}
