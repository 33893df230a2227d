// Follows one job's progress over Server-Sent Events (GET /jobs/:id/events): `progress` events
// while it runs, `end` with the final view. The browser reconnects on its own after a network
// error; the stream is closed for good on `end` or when the view goes away.
import { eventsUrl } from "../api.js";
import type { JobView } from "../types.js";

/** Calls `onView` with every view; `onEnd` once the job has ended and the stream is closed. */
export function followJob(jobId: string, onView: (v: JobView) => void, onEnd?: () => void): () => void {
  const es = new EventSource(eventsUrl(jobId));
  const read = (ev: MessageEvent<string>) => onView(JSON.parse(ev.data) as JobView);
  es.addEventListener("progress", read);
  es.addEventListener("end", (ev) => {
    es.close();
    read(ev);
    onEnd?.();
  });
  return () => es.close();
}
