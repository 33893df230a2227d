// One DuckDB connection runs one transaction at a time: a second BEGIN while an ingest is between
// its statements would fail (or, worse, join it). Calls on a ResultsDb are therefore queued, so
// concurrent callers (a worker pool finishing chunks together) need not coordinate.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled; a failure does not stop the queue. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
