// Runs a job's remaining chunks on a thread pool and stores each result as it arrives: the part
// of `pairgrid run` between "data loaded, job created" and "all stored or stopped".
import type {
  Chunk,
  EventSettings,
  GridData,
  GridPlan,
  GridSpec,
  HybridGridData,
  PairBars,
} from "@pairgrid/engine";
import type { ResultsDb } from "@pairgrid/resultsdb";
import { createChunkPool } from "@pairgrid/threads";
import { type DispatchOutcome, dispatchChunks } from "./run-dispatch.js";
import { GroupArrays } from "./run-group-arrays.js";
import { type ProgressOptions, startProgress } from "./run-progress.js";
import type { StopRequest } from "./run-stop.js";

/** Time during which at least one task is under way (overlapping tasks counted once). */
class BusyClock {
  private open = 0;
  private since = 0;
  ms = 0;

  enter(): void {
    if (this.open++ === 0) this.since = performance.now();
  }

  leave(): void {
    if (--this.open === 0) this.ms += performance.now() - this.since;
  }
}

/** How long running chunks get to finish after Ctrl-C before the threads are stopped. */
const DRAIN_MS = 5000;

export interface ExecuteOptions {
  db: ResultsDb;
  jobId: string;
  spec: GridSpec;
  plan: GridPlan;
  pair: PairBars;
  data: GridData;
  /** The fast side of a hybrid grid; null for the slow engine. */
  hybrid: HybridGridData | null;
  chunks: readonly Chunk[];
  threads: number;
  /** The event index settings when the event-driven kernel runs (eventSettingsFor), else null. */
  events: EventSettings | null;
  /** Set by SIGINT/SIGTERM: stop dispatching, let running chunks finish. */
  stop: StopRequest;
  progress: ProgressOptions["mode"];
  log: (s: string) => void;
}

export interface ExecuteOutcome extends DispatchOutcome {
  /** Result rows stored (valid combinations). */
  rows: number;
  /** Combinations covered by the stored chunks, skipped ones included. */
  combos: number;
  wallMs: number;
  precomputeMs: number;
  ingestMs: number;
  /** Thread time in the chunk function (kernels), summed over threads. */
  kernelMs: number;
  /** Rows copied from an identical combination's instead of run (a gate that refuses nothing). */
  copies: number;
}

export async function executeChunks(o: ExecuteOptions): Promise<ExecuteOutcome> {
  const t0 = performance.now();
  const groups = new GroupArrays(o.pair, o.spec, o.plan, o.chunks, o.events);
  const pool = createChunkPool({ threads: o.threads, spec: o.spec, data: o.data, hybrid: o.hybrid });
  const total = o.chunks.reduce((s, c) => s + (c.t1 - c.t0), 0);
  const progress = startProgress({ total, mode: o.progress, log: o.log });
  let rows = 0;
  let combos = 0;
  let kernelMs = 0;
  let copies = 0;
  const ingestBusy = new BusyClock();
  let outcome: DispatchOutcome;
  try {
    outcome = await dispatchChunks({
      chunks: o.chunks,
      // two per thread: a thread never waits for the main thread to hand it its next chunk
      maxInFlight: 4 * o.threads,
      pool,
      groups,
      stop: o.stop,
      drainMs: DRAIN_MS,
      async onResult(result, chunk) {
        // submitted as results arrive, not one after another: chunks that queue up while DuckDB
        // writes are committed together (group commit in @pairgrid/resultsdb)
        ingestBusy.enter();
        try {
          // false = already stored (cannot happen for chunks picked from the ledger; harmless)
          if (await o.db.ingestChunk(o.jobId, result.chunkId, result)) rows += result.k;
        } finally {
          ingestBusy.leave();
        }
        combos += chunk.t1 - chunk.t0;
        kernelMs += result.kernelMs ?? 0;
        copies += result.copies ?? 0;
        progress.update(combos);
      },
    });
  } catch (err) {
    progress.stop();
    await pool.destroy();
    throw err;
  }
  progress.stop();
  // threads still busy past the drain time are stopped; otherwise they are all idle already
  if (outcome.abandoned > 0) await pool.destroy();
  else await pool.close();
  return {
    ...outcome,
    rows,
    combos,
    wallMs: performance.now() - t0,
    precomputeMs: groups.ms,
    ingestMs: ingestBusy.ms,
    kernelMs,
    copies,
  };
}
