// Whether this process can reach Redis, logged once per change of state. While Redis is down
// the Redis client retries every couple of seconds and every retry fails with an 'error' event, on every
// connection, and BullMQ repeats it on each Queue and Worker; a client or Queue with no 'error'
// listener prints a stack trace per retry. A RedisLink listens to all of them: connection errors
// only move the state (one line when it is lost, one when it is back), anything else is one line.

/**
 * What a RedisLink watches of a client, declared here so this library needs no Redis client
 * package: the apps' Redis client satisfies it as it is.
 */
export interface LinkedRedis {
  on(event: "error" | "close" | "ready" | "end", listener: (err: Error) => void): unknown;
  readonly status: string;
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/** True for the errors of a lost or refused connection (not for a command Redis refused). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; name?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === "string" && CONNECTION_CODES.has(e.code)) return true;
  const msg = String(e.message ?? "");
  return (
    e.name === "ConnectionClosedError" ||
    /Connection is closed|Socket closed unexpectedly|connect (ECONNREFUSED|ETIMEDOUT)|ECONNRESET|EPIPE/.test(
      msg,
    )
  );
}

/** First line of an error's message: what a log line quotes (never the stack). */
export const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split("\n")[0]!;

export interface RedisLinkLog {
  /** Redis lost, or an error that is not about the connection. */
  warn(line: string): void;
  /** Redis reachable again. */
  info(line: string): void;
}

export class RedisLink {
  /** Watched clients not connected right now. */
  private readonly down = new Set<LinkedRedis>();
  private lostAt: number | null = null;
  private stopped = false;

  constructor(private readonly log: RedisLinkLog) {}

  /** True while every watched connection is up. */
  get up(): boolean {
    return this.lostAt === null;
  }

  /** Follows a client: its connection errors move the state; other errors are logged (one line). */
  watch(client: LinkedRedis): void {
    client.on("error", (err: Error) => {
      if (isConnectionError(err)) this.lost(client, err);
      else if (!this.stopped) this.log.warn(`redis: ${firstLine(err)}`);
    });
    // 'close' comes first when a live connection drops (the errors come with the reconnects)
    client.on("close", () => {
      if (client.status !== "end") this.lost(client, null);
    });
    client.on("ready", () => this.back(client));
    client.on("end", () => this.back(client));
  }

  /**
   * An 'error' listener for a BullMQ Queue or Worker: connection errors are the clients' to
   * report; any other is logged once in a row (BullMQ repeats a lost lock at every renewal).
   */
  onError(what: string): (err: Error) => void {
    let last = "";
    return (err) => {
      if (this.stopped || isConnectionError(err)) return;
      const line = `${what}: ${firstLine(err)}`;
      if (line !== last) this.log.warn(line);
      last = line;
    };
  }

  /** Silences the link before its connections are closed on purpose. */
  stop(): void {
    this.stopped = true;
  }

  private lost(client: LinkedRedis, err: Error | null): void {
    if (this.stopped) return;
    this.down.add(client);
    if (this.lostAt !== null) return;
    this.lostAt = Date.now();
    this.log.warn(
      `redis unreachable${err ? ` (${firstLine(err)})` : " (connection lost)"}: retrying until it is back`,
    );
  }

  private back(client: LinkedRedis): void {
    this.down.delete(client);
    if (this.stopped || this.lostAt === null || this.down.size > 0) return;
    const s = ((Date.now() - this.lostAt) / 1000).toFixed(1);
    this.lostAt = null;
    this.log.info(`redis reachable again after ${s} s`);
  }
}
