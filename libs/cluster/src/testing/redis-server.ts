// A private redis-server for tests: its own port and folder, AOF on (fsync always) so a test can
// kill it — even with SIGKILL — and start it again on the same port with its data; or AOF off
// (`appendonly: false`), so that it comes back empty. Tests never
// touch a Redis they did not start (the machine's own on 6379 is someone else's).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A TCP port free on 127.0.0.1 right now (for test servers: Redis, the coordinator). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, up: boolean, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (open === up) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`redis on ${port} did not go ${up ? "up" : "down"}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface TestRedisOptions {
  maxmemoryPolicy?: string;
  /** Default true; false: no AOF and no snapshots, so a restarted server is empty. */
  appendonly?: boolean;
}

export class TestRedis {
  private proc: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /** Starts a fresh server on a free port in a new temp folder. */
  static async start(opts: TestRedisOptions = {}): Promise<TestRedis> {
    const r = new TestRedis(await freePort(), mkdtempSync(join(tmpdir(), "pairgrid-redis-")));
    r.policy = opts.maxmemoryPolicy ?? "noeviction";
    r.appendonly = opts.appendonly ?? true;
    await r.up();
    return r;
  }

  private policy = "noeviction";
  private appendonly = true;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on the same port and folder; AOF (when on) brings the data back. */
  async up(): Promise<void> {
    if (this.proc) return;
    const args = [
      "--port",
      String(this.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      this.dir,
      "--save",
      "",
      "--appendonly",
      this.appendonly ? "yes" : "no",
      "--appendfsync",
      "always",
      // no automatic AOF rewrite: its forked child outlives a SIGKILL of the server and went on
      // writing its temp file into the folder while stop() removed it (ENOTEMPTY, blob-refs.test
      // with 80 MB of AOF in CI); a test that wants one can ask for BGREWRITEAOF
      "--auto-aof-rewrite-percentage",
      "0",
      "--maxmemory-policy",
      this.policy,
      "--daemonize",
      "no",
      "--logfile",
      join(this.dir, "redis.log"),
    ];
    const proc = spawn("redis-server", args, { stdio: "ignore" });
    this.proc = proc;
    proc.once("exit", () => {
      if (this.proc === proc) this.proc = null;
    });
    await waitForPort(this.port, true);
  }

  /** Kills the server (SIGKILL by default: a crash, not a shutdown) and waits until the port is closed. */
  async down(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill(signal);
    await exited;
    this.proc = null;
    await waitForPort(this.port, false);
  }

  /** Stops the server and removes its folder. */
  async stop(): Promise<void> {
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
