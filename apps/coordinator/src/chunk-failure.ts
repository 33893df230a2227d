// Why a job failed, from the BullMQ job that failed for good, in words an operator can act on.
// BullMQ's own failedReason misleads for a chunk that kills its worker: it counts stalls apart
// (`stalledCounter`), and once they pass maxStalledCount it marks the job with a deferred failure
// that the next worker to take it applies — as one attempt. So "job stalled more than allowable
// limit (1 attempts)" really means "4 workers died running it". (BullMQ 6:
// moveStalledJobsToWait.lua sets `defa`, Worker.getUnrecoverableErrorMessage fails with it.)
import type { Chunk } from "@pairgrid/engine";

/** BullMQ's failedReason of a job failed for stalling too often. */
const STALLED_REASON = "job stalled more than allowable limit";

/** What the coordinator reads of a failed BullMQ job. */
export interface FailedJobFacts {
  failedReason: string | undefined;
  /** Attempts that ended by throwing (plus the deferred failure of a stalled job). */
  attemptsMade: number;
  /** Times the job's worker died (or lost its lock) while holding it. */
  stalledCounter: number;
  /** Stacks of the earlier thrown errors, oldest first. */
  stacktrace: string[] | null | undefined;
}

const times = (n: number) => `${n} time${n === 1 ? "" : "s"}`;
const firstLine = (s: string) => s.split("\n")[0]!;

/**
 * "chunk 17 (group 2, thresholds 3400–3599) failed: its worker died 4 times (stalled)", or
 * "chunk 17 (…) failed after 3 attempts — last error: …".
 */
export function chunkFailure(chunk: Chunk, j: FailedJobFacts): string {
  const which = `chunk ${chunk.chunkId} (group ${chunk.group}, thresholds ${chunk.t0}–${chunk.t1 - 1})`;
  return `${which} failed${whatHappened(j)}`;
}

/** A result that could not be stored: its chunk ran, the ingest failed every time. */
export function resultFailure(chunkId: number, j: FailedJobFacts): string {
  return `the result of chunk ${chunkId} failed to be stored${whatHappened(j)}`;
}

function whatHappened(j: FailedJobFacts): string {
  const reason = firstLine(j.failedReason ?? "no reason recorded");
  if (reason === STALLED_REASON) {
    // the deferred failure counts as one attempt; the others threw
    const threw = Math.max(0, j.attemptsMade - 1);
    const last = j.stacktrace?.at(-1);
    return (
      `: its worker died ${times(j.stalledCounter)} (stalled)` +
      (threw > 0 ? `, and it threw ${times(threw)}${last ? ` — last error: ${firstLine(last)}` : ""}` : "")
    );
  }
  const died = j.stalledCounter > 0 ? `; its worker also died ${times(j.stalledCounter)}` : "";
  const attempts = `${j.attemptsMade} attempt${j.attemptsMade === 1 ? "" : "s"}`;
  return ` after ${attempts} — last error: ${reason}${died}`;
}
