// Messages about a job's end, on two pub/sub channels:
// - CANCEL_CHANNEL: the coordinator publishes a cancelled job's id so chunks already running stop
//   within moments instead of finishing. A message missed while disconnected is covered by the
//   cancelled key, which every chunk checks before it starts.
// - FINISHED_CHANNEL: every chunk of the job is stored, so its threads and arrays can go now
//   rather than when a later job evicts them (a worker would otherwise hold two jobs' contexts
//   after its second job). A missed message only delays that release until the eviction.
// Pub/sub takes a connection of its own (a subscribed ioredis connection accepts no other
// commands); ioredis re-subscribes after a reconnect.
import type { Redis } from "ioredis";
import { CANCEL_CHANNEL, FINISHED_CHANNEL } from "@pairgrid/cluster";

export interface JobEndHandlers {
  onCancel(jobId: string): void;
  onFinished(jobId: string): void;
}

export class JobEndListener {
  private constructor(private readonly sub: Redis) {}

  /** Subscribes `sub` (a dedicated connection) and calls a handler per message. */
  static async start(sub: Redis, on: JobEndHandlers): Promise<JobEndListener> {
    sub.on("message", (channel: string, message: string) => {
      if (channel === CANCEL_CHANNEL) on.onCancel(message);
      else if (channel === FINISHED_CHANNEL) on.onFinished(message);
    });
    await sub.subscribe(CANCEL_CHANNEL, FINISHED_CHANNEL);
    return new JobEndListener(sub);
  }

  async close(): Promise<void> {
    await this.sub.unsubscribe(CANCEL_CHANNEL, FINISHED_CHANNEL).catch(() => {});
    await this.sub.quit().catch(() => {});
  }
}
