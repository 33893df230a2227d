// A pool of chunk threads on this machine. `pairgrid run` drives it directly; the cluster's
// queue worker wraps the same pool, so nothing here knows about queues or databases.
import type { Chunk, ChunkResult, GridData, GridSpec, HybridGridData, PackedArrays } from "@pairgrid/engine";
import { Piscina } from "piscina";
import { type ChunkTask, threadDataOf } from "./chunk-task.js";

export interface ChunkPoolOptions {
  threads: number;
  spec: GridSpec;
  data: GridData;
  /** The fast side of a hybrid grid (spec.engine hybrid_*), shared with every thread. */
  hybrid?: HybridGridData | null;
}

export interface ChunkPool {
  readonly threads: number;
  /**
   * Runs one chunk on a free thread; `group` must be the arrays of group `groupId`. Aborting
   * `signal` stops the task (Piscina terminates its thread and starts a fresh one).
   */
  run(chunk: Chunk, groupId: number, group: PackedArrays, signal?: AbortSignal): Promise<ChunkResult>;
  /** Waits for running tasks, then stops the threads. */
  close(): Promise<void>;
  /** Stops the threads now; running tasks reject. */
  destroy(): Promise<void>;
}

const THREAD_MODULE = new URL("./chunk-thread.js", import.meta.url).href;

export function createChunkPool({ threads, spec, data, hybrid = null }: ChunkPoolOptions): ChunkPool {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be ≥ 1, got ${threads}`);
  const piscina = new Piscina({
    filename: THREAD_MODULE,
    minThreads: threads,
    maxThreads: threads,
    // threads live for the whole run: their plan and scratch are set up once
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: threadDataOf(spec, data, hybrid),
  });
  return {
    threads,
    run(chunk, groupId, group, signal) {
      const task: ChunkTask = { chunk, groupId, group };
      return piscina.run(task, signal ? { signal } : {}) as Promise<ChunkResult>;
    },
    close: () => piscina.close(),
    destroy: () => piscina.destroy(),
  };
}
