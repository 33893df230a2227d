// The local executor: runs a job's chunks on this machine's thread pool (@pairgrid/threads) and
// hands each result to the runner's sink as it arrives. Any engine the threads run, runs here
// (the hybrid ones with their fast data in `hybrid`).
import type {
  EventSettings,
  GridData,
  GridSpec,
  HybridGridData,
  InputError,
  PairBars,
} from "@pairgrid/engine";
import { collectGarbage, createChunkPool } from "@pairgrid/threads";
import type { Executor, ResultSink } from "../executor.js";
import { GroupArrays } from "../group-arrays.js";
import { chunksLeft, type LedgerJob } from "../ledger.js";
import type { StopRequest } from "../stop-request.js";
import { type DispatchOutcome, dispatchChunks } from "./dispatch.js";

/** How long running chunks get to finish after a stop request before the threads are stopped. */
const DRAIN_MS = 5000;

export interface LocalExecutorOptions {
  pair: PairBars;
  data: GridData;
  /** The fast side of a hybrid grid; null for the slow engine. */
  hybrid: HybridGridData | null;
  threads: number;
  /** The event index settings when the event-driven kernel runs (eventSettingsFor), else null. */
  events: EventSettings | null;
}

export interface LocalReport extends DispatchOutcome {
  /** Chunks this run set out to run. */
  chunks: number;
  wallMs: number;
  precomputeMs: number;
  /** Thread time in the chunk function (kernels), summed over threads. */
  kernelMs: number;
  /** Rows copied from an identical combination's instead of run (a gate that refuses nothing). */
  copies: number;
}

export class LocalExecutor implements Executor<LocalReport> {
  constructor(private readonly o: LocalExecutorOptions) {}

  refusal(_spec: GridSpec): InputError | null {
    return null;
  }

  async execute(job: LedgerJob, sink: ResultSink, stop: StopRequest): Promise<LocalReport> {
    const t0 = performance.now();
    const chunks = chunksLeft(job);
    const { spec, plan } = job;
    const groups = new GroupArrays({
      spec,
      plan,
      pair: this.o.pair,
      events: this.o.events,
      retention: { chunks },
    });
    const pool = createChunkPool({ threads: this.o.threads, spec, data: this.o.data, hybrid: this.o.hybrid });
    let kernelMs = 0;
    let copies = 0;
    let outcome: DispatchOutcome;
    try {
      outcome = await dispatchChunks({
        chunks,
        // two per thread: a thread never waits for the main thread to hand it its next chunk
        maxInFlight: 4 * this.o.threads,
        pool,
        groups,
        stop,
        drainMs: DRAIN_MS,
        async onResult(result, chunk) {
          // submitted as results arrive, not one after another: chunks that queue up while DuckDB
          // writes are committed together (group commit in @pairgrid/resultsdb). A duplicate
          // cannot happen for chunks picked from the ledger (harmless if it did).
          await sink.store(result.chunkId, result, chunk.t1 - chunk.t0);
          kernelMs += result.kernelMs ?? 0;
          copies += result.copies ?? 0;
        },
      });
    } catch (err) {
      await pool.destroy();
      throw err;
    } finally {
      groups.dispose();
    }
    // threads still busy past the drain time are stopped; otherwise they are all idle already
    if (outcome.abandoned > 0) await pool.destroy();
    else await pool.close();
    // The group buffers (~0.5 GB on W6's bars) are unreachable now, but this thread makes almost no
    // garbage from here on, so nothing would collect them before the runner's finalize, where a big
    // job's peak is: DuckDB's twins window beside them (issue 19 item 6). One full collection of a
    // heap of a few tens of MB takes milliseconds.
    collectGarbage();
    return {
      ...outcome,
      chunks: chunks.length,
      wallMs: performance.now() - t0,
      precomputeMs: groups.ms,
      kernelMs,
      copies,
    };
  }
}
