// Back-pressure on the result queue. Results wait in Redis until the coordinator stores them; if
// it falls behind (one DuckDB writer against many workers) or is down, every finished chunk would
// add its rows to Redis, up to a whole job's (≈ 1 KB a row: 25 GB for the 24.7 M-combination
// grid) and past Redis's memory. So before running a chunk a worker looks at how many results
// wait to be taken, and while `max` or more do, it holds the chunk (its lock is renewed as for
// any running chunk) and looks again, backing off to once a second. Redis then holds at most
// about `max` waiting results, plus one per chunk running when they reached it and the ones the
// coordinator is storing.
import { setTimeout as sleep } from "node:timers/promises";
import type { Queue } from "bullmq";

/** Waiting results at which workers hold their next chunks (the coordinator stores 8 at once). */
export const DEFAULT_MAX_QUEUED_RESULTS = 8;

export class ResultBacklog {
  private holding = false;

  constructor(
    private readonly results: Pick<Queue, "getWaitingCount">,
    readonly max: number,
    private readonly log: (line: string) => void,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max queued results must be ≥ 1, got ${max}`);
  }

  /** Resolves once fewer than `max` results wait, or when `signal` aborts (a cancelled job). */
  async room(signal: AbortSignal): Promise<void> {
    for (let delay = 50; !signal.aborted; delay = Math.min(1000, delay * 2)) {
      const waiting = await this.results.getWaitingCount();
      if (waiting < this.max) {
        if (this.holding) this.log(`result queue down to ${waiting}: running chunks again`);
        this.holding = false;
        return;
      }
      if (!this.holding) {
        this.log(`${waiting} results wait for the coordinator (at most ${this.max}): holding chunks`);
        this.holding = true;
      }
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  }
}
