// The dispatch loop of the local executor: chunks go to the pool in order with a bounded number in
// flight; a chunk counts as in flight until its result is stored, so memory stays bounded even
// when storage is slower than the threads. On a stop request nothing new is dispatched and the
// running chunks get `drainMs` to finish; results that arrive later are dropped (not stored).
import type { Chunk, ChunkResult, PackedArrays } from "@pairgrid/engine";
import type { ChunkPool } from "@pairgrid/threads";
import type { StopRequest } from "../stop-request.js";

export interface DispatchOptions {
  chunks: readonly Chunk[];
  maxInFlight: number;
  pool: Pick<ChunkPool, "run">;
  groups: { acquire(g: number): PackedArrays; release(g: number): void };
  /** Stores a result; awaited before the chunk leaves the in-flight count. */
  onResult(result: ChunkResult, chunk: Chunk): Promise<void>;
  stop: StopRequest;
  drainMs: number;
}

export interface DispatchOutcome {
  /** Chunks whose result was stored. */
  stored: number;
  /** True when a stop request ended the run before every chunk was dispatched or stored. */
  stopped: boolean;
  /** Chunks still running when the drain time ran out (their results are dropped). */
  abandoned: number;
}

export function dispatchChunks(o: DispatchOptions): Promise<DispatchOutcome> {
  return new Promise<DispatchOutcome>((resolve, reject) => {
    let next = 0;
    let inFlight = 0;
    let stored = 0;
    let failure: { error: unknown } | null = null;
    let settled = false;
    let drainTimer: NodeJS.Timeout | null = null;
    // the stop request outlives the run: its listeners (which hold `o`, the group arrays among it)
    // are removed when the run settles, so those arrays can go before the job is finalised
    const unlisten: (() => void)[] = [];

    const finish = (abandoned: number) => {
      if (settled) return;
      settled = true;
      if (drainTimer) clearTimeout(drainTimer);
      for (const f of unlisten.splice(0)) f();
      if (failure) reject(failure.error);
      else resolve({ stored, stopped: o.stop.requested && stored < o.chunks.length, abandoned });
    };
    const giveUpWaiting = () => finish(inFlight);

    const launch = (chunk: Chunk) => {
      const group = o.groups.acquire(chunk.group);
      inFlight++;
      o.pool
        .run(chunk, chunk.group, group)
        .then(async (result) => {
          if (settled) return; // arrived after the drain time: the run is already wrapping up
          await o.onResult(result, chunk);
          stored++;
        })
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          o.groups.release(chunk.group);
          inFlight--;
          pump();
        });
    };

    const pump = () => {
      if (settled) return;
      const stopping = o.stop.requested || failure !== null;
      if (stopping && drainTimer === null && inFlight > 0) {
        drainTimer = setTimeout(giveUpWaiting, o.drainMs);
        unlisten.push(o.stop.onForce(giveUpWaiting));
      }
      try {
        while (!stopping && inFlight < o.maxInFlight && next < o.chunks.length) launch(o.chunks[next++]!);
      } catch (error) {
        // a group's precompute failed in this thread: stop like on a chunk failure
        failure ??= { error };
        return pump();
      }
      if (inFlight === 0) finish(0);
    };

    // a stop requested while every slot is busy still has to start the drain timer
    unlisten.push(o.stop.onRequest(pump));
    pump();
  });
}
