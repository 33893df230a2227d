// Cancel messages: the coordinator publishes a cancelled job's id on CANCEL_CHANNEL so chunks
// already running stop within moments instead of finishing. Pub/sub takes a connection of its
// own (a subscribed ioredis connection accepts no other commands); ioredis re-subscribes after
// a reconnect. A message missed while disconnected is covered by the cancelled key, which every
// chunk checks before it starts.
import type { Redis } from "ioredis";
import { CANCEL_CHANNEL } from "@pairgrid/cluster";

export class CancelListener {
  private constructor(private readonly sub: Redis) {}

  /** Subscribes `sub` (a dedicated connection) and calls `onCancel(jobId)` per message. */
  static async start(sub: Redis, onCancel: (jobId: string) => void): Promise<CancelListener> {
    sub.on("message", (channel: string, message: string) => {
      if (channel === CANCEL_CHANNEL) onCancel(message);
    });
    await sub.subscribe(CANCEL_CHANNEL);
    return new CancelListener(sub);
  }

  async close(): Promise<void> {
    await this.sub.unsubscribe(CANCEL_CHANNEL).catch(() => {});
    await this.sub.quit().catch(() => {});
  }
}
