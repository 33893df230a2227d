// Stopping a job's run from outside: a stop request makes the executor dispatch nothing more
// (a local run lets its running chunks finish, the queue withdraws its queued ones); forcing it
// stops waiting for running chunks. Who asks says why: a signal (`pairgrid run`'s Ctrl-C), a
// cancel (DELETE /jobs/:id), or a failure, which carries the reason the job failed.

export class StopRequest {
  /** Who asked for the stop (SIGINT, SIGTERM, "cancel", "failed"), once someone did. */
  reason: string | null = null;
  /** Why the job failed, when the stop is a failure (shown to the job's client). */
  error: string | null = null;
  private requestListeners: (() => void)[] = [];
  private forceListeners: (() => void)[] = [];
  private forced = false;

  get requested(): boolean {
    return this.reason !== null;
  }

  /** The signal that asked for the stop, when one did (the CLI's message names it). */
  get signal(): string | null {
    return this.reason;
  }

  /** The first request wins: a cancel arriving after a failure does not erase its reason. */
  request(reason: string, error: string | null = null): void {
    if (this.reason !== null) return;
    this.reason = reason;
    this.error = error;
    for (const f of this.requestListeners.splice(0)) f();
  }

  /** Stops the job as failed, with the reason its client reads. */
  fail(error: string): void {
    this.request("failed", error);
  }

  /**
   * Calls `listener` on the request (now, if it was made). Returns what unregisters it: a listener
   * holds what its run holds (a local run's group arrays), which must not outlive the run while the
   * request object does (`pairgrid run` keeps it through finalize).
   */
  onRequest(listener: () => void): () => void {
    if (this.requested) listener();
    else this.requestListeners.push(listener);
    return () => remove(this.requestListeners, listener);
  }

  /** Stop waiting for running chunks. */
  force(): void {
    this.forced = true;
    for (const f of this.forceListeners.splice(0)) f();
  }

  /** Listeners registered and not yet called nor removed (tests check a run leaves none). */
  get listenerCount(): number {
    return this.requestListeners.length + this.forceListeners.length;
  }

  /** Like onRequest, for force(). */
  onForce(listener: () => void): () => void {
    if (this.forced) listener();
    else this.forceListeners.push(listener);
    return () => remove(this.forceListeners, listener);
  }
}

function remove(listeners: (() => void)[], listener: () => void): void {
  const at = listeners.indexOf(listener);
  if (at >= 0) listeners.splice(at, 1);
}
