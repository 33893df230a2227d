// The chunks under way in this process, by grid job, each with the AbortController that stops
// its Piscina task: a cancel message names a grid job, not the BullMQ jobs of its chunks.

export interface RunningChunk {
  /** Aborted when the chunk's grid job is cancelled. */
  readonly signal: AbortSignal;
  /** Unregisters the chunk (call once, when it is done either way). */
  done(): void;
}

export class RunningChunks {
  private readonly byJob = new Map<string, Set<AbortController>>();
  private count = 0;

  /**
   * Registers a chunk of `jobId`. Register BEFORE checking the job's cancelled key: a cancel
   * published after that check then finds the chunk here, so none slips between the two.
   */
  track(jobId: string): RunningChunk {
    const controller = new AbortController();
    let set = this.byJob.get(jobId);
    if (set === undefined) this.byJob.set(jobId, (set = new Set()));
    set.add(controller);
    this.count++;
    let done = false;
    return {
      signal: controller.signal,
      done: () => {
        if (done) return;
        done = true;
        this.count--;
        set.delete(controller);
        if (set.size === 0 && this.byJob.get(jobId) === set) this.byJob.delete(jobId);
      },
    };
  }

  /** Aborts every running chunk of `jobId`; returns how many there were. */
  cancel(jobId: string): number {
    const set = this.byJob.get(jobId);
    if (set === undefined) return 0;
    for (const c of set) c.abort(new Error(`job ${jobId} cancelled`));
    return set.size;
  }

  get size(): number {
    return this.count;
  }
}
