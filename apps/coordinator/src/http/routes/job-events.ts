// GET /jobs/:id/events: a job's progress as Server-Sent Events. The first `progress` event is sent
// at once, later ones on JobService.watch callbacks, coalesced so a fast job cannot flood a slow
// client; `end` carries the terminal view and closes the stream.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { ServerResponse } from "node:http";
import type { ShownStatus } from "@pairgrid/resultsdb";
import type { JobService, JobView } from "../../job-service.js";
import { notFound } from "../errors.js";
import { errorBody, jobIdParams } from "../schemas.js";
import { endEventStream, startEventStream, writeComment, writeEvent } from "../sse.js";

export interface JobEventsOptions {
  jobs: JobService;
  /** Least time between two `progress` events (default 250 ms: at most ~4 a second). */
  minIntervalMs?: number;
  /** Time between `: keepalive` comments (default 15 s). */
  keepaliveMs?: number;
}

/** Interrupted too: nothing changes it until a `pairgrid run --resume`, which no stream sees. */
const TERMINAL: ReadonlySet<ShownStatus> = new Set<ShownStatus>([
  "done",
  "cancelled",
  "failed",
  "interrupted",
]);

/**
 * Follows one job for one client until the job ends or the client leaves. `close()` is safe to
 * call more than once and from any of the paths that end a stream.
 */
class JobEventStream {
  private pending: JobView | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly keepaliveTimer: NodeJS.Timeout;
  private lastSentAt = 0;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly minIntervalMs: number,
    keepaliveMs: number,
    private readonly onClosed: () => void,
  ) {
    startEventStream(res);
    this.keepaliveTimer = setInterval(() => writeComment(res, "keepalive"), keepaliveMs);
    // 'close' fires when the client disconnects as well as after our own end()
    res.on("close", () => this.close());
  }

  follow(jobs: JobService, jobId: string, first: JobView): void {
    this.progress(first);
    if (this.closed) return;
    // watch() may call back synchronously, even with a terminal view that closes the stream
    const unsubscribe = jobs.watch(jobId, (view) => this.offer(view));
    if (this.closed) unsubscribe();
    else this.unsubscribe = unsubscribe;
  }

  /** A view read out of band (see the route); same handling as a watch callback. */
  offer(view: JobView): void {
    if (this.closed) return;
    if (TERMINAL.has(view.status)) return this.finish(view);
    this.pending = view;
    if (this.flushTimer) return; // already scheduled; it will send the newest view
    const wait = this.lastSentAt + this.minIntervalMs - Date.now();
    if (wait <= 0) this.flush();
    else this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepaliveTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.unsubscribe?.();
    this.unsubscribe = null;
    endEventStream(this.res);
    this.onClosed();
  }

  private progress(view: JobView): void {
    writeEvent(this.res, "progress", view);
    this.lastSentAt = Date.now();
    if (TERMINAL.has(view.status)) this.finish(view);
  }

  private flush(): void {
    this.flushTimer = null;
    const view = this.pending;
    this.pending = null;
    if (view && !this.closed) this.progress(view);
  }

  private finish(view: JobView): void {
    writeEvent(this.res, "end", view);
    this.close();
  }
}

export const jobEventsRoutes: FastifyPluginAsyncZod<JobEventsOptions> = async (app, opts) => {
  const { jobs, minIntervalMs = 250, keepaliveMs = 15_000 } = opts;
  const open = new Set<JobEventStream>();
  // A stream stays open as long as the job runs, which would hold server.close() forever.
  app.addHook("preClose", async () => {
    for (const stream of open) stream.close();
  });

  app.get(
    "/jobs/:id/events",
    {
      // HEAD would run this handler, which writes the stream past fastify to the raw response
      exposeHeadRoute: false,
      schema: {
        summary: "Progress as Server-Sent Events",
        description:
          "`event: progress` with the job view at once and on each change (at most ~4/s), " +
          "`: keepalive` comments every 15 s, then `event: end` with the final view when the job " +
          "is done, cancelled or failed.",
        tags: ["jobs"],
        produces: ["text/event-stream"],
        params: jobIdParams,
        response: { 404: errorBody },
      },
    },
    async (req, reply) => {
      const jobId = req.params.id;
      const first = await jobs.get(jobId);
      // 404 while fastify still owns the reply; after hijack() only raw writes are possible
      if (!first) throw notFound(`no job '${jobId}'`);
      reply.hijack();
      const stream = new JobEventStream(reply.raw, minIntervalMs, keepaliveMs, () => open.delete(stream));
      open.add(stream);
      stream.follow(jobs, jobId, first);
      // A change between get() and watch() would be missed, and a job that ended in that gap
      // would leave the stream open for good; one read after subscribing closes the gap.
      jobs.get(jobId).then(
        (view) => view && stream.offer(view),
        (err: unknown) => req.log.warn({ err, jobId }, "re-reading job for its event stream failed"),
      );
    },
  );
};
