// `pairgrid run`'s signals: the first SIGINT (Ctrl-C) or SIGTERM asks the job runner to stop
// dispatching and let the running chunks finish; a second one stops waiting for them.
import type { StopRequest } from "@pairgrid/jobs";

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
