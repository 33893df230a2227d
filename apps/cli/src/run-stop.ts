// Stopping a run from outside: the first SIGINT (Ctrl-C) or SIGTERM asks the dispatcher to stop
// dispatching and let the running chunks finish; a second one stops waiting for them.

export class StopRequest {
  /** The signal that asked for the stop, once one did. */
  signal: NodeJS.Signals | null = null;
  private requestListeners: (() => void)[] = [];
  private forceListeners: (() => void)[] = [];
  private forced = false;

  get requested(): boolean {
    return this.signal !== null;
  }

  request(signal: NodeJS.Signals): void {
    if (this.signal !== null) return;
    this.signal = signal;
    for (const f of this.requestListeners.splice(0)) f();
  }

  onRequest(listener: () => void): void {
    if (this.requested) listener();
    else this.requestListeners.push(listener);
  }

  /** Stop waiting for running chunks. */
  force(): void {
    this.forced = true;
    for (const f of this.forceListeners.splice(0)) f();
  }

  onForce(listener: () => void): void {
    if (this.forced) listener();
    else this.forceListeners.push(listener);
  }
}

/** Routes SIGINT and SIGTERM to `stop` until the returned function is called. */
export function watchStopSignals(stop: StopRequest, log: (s: string) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (!stop.requested) {
      stop.request(signal);
      log(`\n${signal}: stopping — finishing the chunks in flight (again to stop now)`);
    } else {
      stop.force();
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
