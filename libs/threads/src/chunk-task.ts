// What the main thread hands a chunk thread: once per thread (workerData) the spec and the base
// arrays, then per task a chunk and its group's arrays. One declaration, imported by both sides,
// so the pool and the thread cannot drift apart (the queue worker of the cluster reuses it too).
import type { Chunk, GridData, GridSpec, HybridGridData, PackedArrays } from "@pairgrid/engine";

/** Sent once per thread through `workerData`; every field survives structured cloning. */
export interface ChunkThreadData {
  /** The validated spec as plain JSON: the thread rebuilds the plan from it. */
  spec: GridSpec;
  /** Closes and calendar, one SharedArrayBuffer shared by every thread. */
  base: PackedArrays;
  barMs: number;
  nDays: number;
  /**
   * Hybrid grids only: the fast closes, slow→fast index and z-live rows, all in SharedArrayBuffers
   * (shared with the thread, not copied). Null for the slow engine.
   */
  hybrid: HybridGridData | null;
}

/** One task: a chunk plus its group's arrays (their SharedArrayBuffer is shared, never copied). */
export interface ChunkTask {
  chunk: Chunk;
  /** Identifies `group` for the thread's view cache: the same id must always mean the same arrays. */
  groupId: number;
  group: PackedArrays;
}

export function threadDataOf(
  spec: GridSpec,
  data: GridData,
  hybrid: HybridGridData | null = null,
): ChunkThreadData {
  return { spec, base: data.base, barMs: data.barMs, nDays: data.nDays, hybrid };
}
