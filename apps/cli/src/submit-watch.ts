// `pairgrid submit --watch`: follows a job's Server-Sent Events with the same progress display as
// `pairgrid run`, until the `end` event. Returns the final view.
import { createParser } from "eventsource-parser";
import type { CoordinatorClient } from "./submit-client.js";
import { startProgress } from "./run-progress.js";

export interface WatchedJob {
  status: string;
  n_combos: number;
  n_done: number;
  progress: number;
  error: string | null;
}

export async function watchJob(
  client: CoordinatorClient,
  jobId: string,
  mode: "bar" | "lines" | "off",
  log: (s: string) => void,
): Promise<WatchedJob> {
  const res = await client.stream(`/jobs/${jobId}/events`);
  let last: WatchedJob | null = null;
  let ended = false;
  let progress: ReturnType<typeof startProgress> | null = null;
  const parser = createParser({
    onEvent(ev) {
      const view = JSON.parse(ev.data) as WatchedJob;
      last = view;
      progress ??= startProgress({ total: view.n_combos, mode, log });
      progress.update(Math.round(view.progress * view.n_combos));
      if (ev.event === "end") ended = true;
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (ended) break;
    }
  } finally {
    (progress as ReturnType<typeof startProgress> | null)?.stop();
  }
  if (last === null) throw new Error(`job ${jobId}: the event stream closed without any event`);
  if (!ended) {
    // the stream broke (coordinator restarted): the job's state is one GET away
    return (await client.get(`/jobs/${jobId}`)) as WatchedJob;
  }
  return last;
}
