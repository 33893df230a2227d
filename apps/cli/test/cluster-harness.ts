// A whole cluster on this machine for tests: a private redis-server (TestRedis: own port and
// folder, AOF on unless asked otherwise), the real `pairgrid coordinator` and `pairgrid worker`
// processes, and helpers to kill and restart any of them. Every process's stderr is kept for the
// failure message.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { CHUNK_QUEUE, KEY_PREFIX } from "@pairgrid/cluster";
import { freePort, TestRedis, type TestRedisOptions } from "@pairgrid/cluster/testing";
import { connectRedis } from "@pairgrid/worker";
import { type RunDir, spawnPairgrid } from "./run-fixtures.js";

export interface JobViewLike {
  job_id: string;
  status: string;
  n_combos: number;
  n_chunks: number;
  n_done: number;
  chunks_done: number;
  progress: number;
  error: string | null;
  /** A hybrid job's fast-side work (null for a slow job). */
  fast?: {
    rows_scanned: number;
    blob_bytes_fetched: number;
    by_worker: { worker: string; rows_scanned: number; blob_bytes_fetched: number }[];
  } | null;
}

export interface ClusterOptions {
  workers?: number;
  threads?: number;
  token?: string;
  coordinatorArgs?: string[];
  redis?: TestRedisOptions;
  /** PAIRGRID_LOCK_MS of every process (default 1500); null: the real defaults. */
  lockMs?: number | null;
  /** Extra environment of the workers (test hooks). */
  workerEnv?: Record<string, string>;
}

export interface Proc {
  name: string;
  child: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TestCluster {
  coordinator: Proc | null = null;
  workers: Proc[] = [];
  private readonly finished: Proc[] = [];
  private coordinatorArgs: string[] = [];
  private lockMs: number | null = 1500;
  private workerEnv: Record<string, string> = {};

  private constructor(
    readonly rd: RunDir,
    readonly redis: TestRedis,
    readonly port: number,
    readonly db: string,
    readonly token: string | null,
  ) {}

  static async start(rd: RunDir, o: ClusterOptions = {}): Promise<TestCluster> {
    const c = new TestCluster(
      rd,
      await TestRedis.start(o.redis),
      await freePort(),
      join(rd.dir, "cluster.duckdb"),
      o.token ?? null,
    );
    c.coordinatorArgs = o.coordinatorArgs ?? [];
    if (o.lockMs !== undefined) c.lockMs = o.lockMs;
    c.workerEnv = o.workerEnv ?? {};
    await c.startCoordinator();
    for (let i = 0; i < (o.workers ?? 2); i++) c.startWorker(o.threads ?? 1);
    return c;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private env(): Record<string, string> {
    // short locks: a killed worker's chunk goes back to the queue within a few seconds
    return {
      ...this.rd.env,
      ...(this.lockMs !== null ? { PAIRGRID_LOCK_MS: String(this.lockMs) } : {}),
      ...(this.token ? { PAIRGRID_TOKEN: this.token } : {}),
    };
  }

  private spawn(name: string, args: string[], extraEnv: Record<string, string> = {}): Proc {
    const child = spawnPairgrid(args, { ...this.env(), ...extraEnv });
    const log: string[] = [];
    child.stderr!.on("data", (d: Buffer) => log.push(d.toString()));
    child.stdout!.on("data", (d: Buffer) => log.push(d.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    return { name, child, log, exited };
  }

  /** Starts the coordinator; `args` replace the cluster's coordinator arguments from then on. */
  async startCoordinator(args: string[] = this.coordinatorArgs): Promise<void> {
    this.coordinatorArgs = args;
    this.coordinator = this.spawn("coordinator", [
      "coordinator",
      "--redis",
      this.redis.url,
      "--db",
      this.db,
      "--port",
      String(this.port),
      "--data-dir",
      this.rd.dir,
      ...this.coordinatorArgs,
    ]);
    const t0 = Date.now();
    for (;;) {
      const ok = await fetch(`${this.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      const exit: number | null | "running" = await Promise.race([
        this.coordinator.exited,
        sleep(100).then(() => "running" as const),
      ]);
      if (exit !== "running") assert.fail(`coordinator exited (${exit}):\n${this.coordinator.log.join("")}`);
      if (Date.now() - t0 > 20_000)
        assert.fail(`coordinator did not come up:\n${this.coordinator.log.join("")}`);
    }
  }

  /** Stops the coordinator (SIGKILL: a crash; SIGTERM: a graceful stop) and waits for its exit. */
  async stopCoordinator(signal: NodeJS.Signals): Promise<number | null> {
    const p = this.coordinator!;
    p.child.kill(signal);
    const code = await p.exited;
    this.finished.push(p);
    this.coordinator = null;
    return code;
  }

  startWorker(threads = 1, args: string[] = []): Proc {
    const p = this.spawn(
      `worker${this.workers.length + this.finished.length}`,
      ["worker", "--redis", this.redis.url, "--threads", String(threads), ...args],
      this.workerEnv,
    );
    this.workers.push(p);
    return p;
  }

  /** Sets aside the workers that died (their logs are kept); returns how many. */
  dropDeadWorkers(): number {
    const dead = this.workers.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    this.workers = this.workers.filter((p) => !dead.includes(p));
    this.finished.push(...dead);
    return dead.length;
  }

  /** Starts a new worker for each one that died (returns how many were replaced). */
  replaceDeadWorkers(threads = 1): number {
    const n = this.dropDeadWorkers();
    for (let i = 0; i < n; i++) this.startWorker(threads);
    return n;
  }

  /** Waits until every worker has said it started (a signal before that would kill it uncleanly). */
  async waitForWorkersStarted(timeoutMs = 20_000): Promise<void> {
    const t0 = Date.now();
    while (!this.workers.every((p) => /started —/.test(p.log.join("")))) {
      if (Date.now() - t0 > timeoutMs) assert.fail(`workers did not start\n${this.logs()}`);
      await sleep(50);
    }
  }

  /** What a process wrote so far (stdout and stderr). */
  logOf(p: Proc): string {
    return p.log.join("");
  }

  /** Kills worker i (default SIGKILL) and waits for it to be gone. */
  async killWorker(i: number, signal: NodeJS.Signals = "SIGKILL"): Promise<number | null> {
    const p = this.workers[i]!;
    p.child.kill(signal);
    const code = await p.exited;
    this.finished.push(p);
    this.workers.splice(i, 1);
    return code;
  }

  /** Chunk jobs currently held by workers (BullMQ's active list), read straight from Redis. */
  async activeChunks(): Promise<number> {
    const redis = connectRedis(this.redis.url, "pairgrid-test");
    try {
      return await redis.llen(`${KEY_PREFIX}:${CHUNK_QUEUE}:active`);
    } finally {
      redis.disconnect();
    }
  }

  /** Waits until `n` chunks are running (so a kill now lands in the middle of one). */
  async waitForActive(n: number, timeoutMs = 30_000): Promise<void> {
    const t0 = Date.now();
    while ((await this.activeChunks()) < n) {
      if (Date.now() - t0 > timeoutMs) assert.fail(`never ${n} chunks running at once\n${this.logs()}`);
      await sleep(20);
    }
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  async submit(
    spec: object,
    chunkSize?: number,
  ): Promise<{ job_id: string; n_combos: number; n_chunks: number }> {
    const res = await fetch(`${this.url}/jobs${chunkSize ? `?chunk_size=${chunkSize}` : ""}`, {
      method: "POST",
      headers: this.headers({ "content-type": "application/json" }),
      body: JSON.stringify(spec),
    });
    const body = await res.json();
    assert.equal(res.status, 201, JSON.stringify(body));
    return body as { job_id: string; n_combos: number; n_chunks: number };
  }

  /** GET /jobs/:id, or null while the coordinator is unreachable (restarting). */
  async job(jobId: string): Promise<JobViewLike | null> {
    try {
      const res = await fetch(`${this.url}/jobs/${jobId}`, { headers: this.headers() });
      return res.ok ? ((await res.json()) as JobViewLike) : null;
    } catch {
      return null;
    }
  }

  /** Polls the job until `until` holds; fails with every process's log after `timeoutMs`. */
  async waitFor(
    jobId: string,
    until: (v: JobViewLike) => boolean,
    timeoutMs = 120_000,
  ): Promise<JobViewLike> {
    const t0 = Date.now();
    for (;;) {
      const v = await this.job(jobId);
      if (v && until(v)) return v;
      if (v && v.status !== "running" && !until(v))
        assert.fail(`job ${jobId} ended ${v.status}: ${v.error}\n${this.logs()}`);
      if (Date.now() - t0 > timeoutMs)
        assert.fail(`job ${jobId} timed out at ${JSON.stringify(v)}\n${this.logs()}`);
      await sleep(100);
    }
  }

  logs(): string {
    const all = [this.coordinator, ...this.workers, ...this.finished].filter((p): p is Proc => p !== null);
    return all.map((p) => `--- ${p.name}\n${p.log.join("").slice(-4000)}`).join("\n");
  }

  /**
   * Graceful stop of everything (the coordinator releases the DuckDB file), then Redis goes. A
   * process that does not exit on SIGTERM within 15 s is killed and the stop fails: shutting down
   * cleanly is part of the contract.
   */
  async stop(): Promise<void> {
    const procs = [...this.workers, ...(this.coordinator ? [this.coordinator] : [])];
    for (const p of procs) p.child.kill("SIGTERM");
    const hung: string[] = [];
    await Promise.all(
      procs.map((p) =>
        Promise.race([
          p.exited,
          sleep(15_000).then(() => {
            hung.push(p.name);
            p.child.kill("SIGKILL");
            return p.exited;
          }),
        ]),
      ),
    );
    this.finished.push(...procs);
    this.workers = [];
    this.coordinator = null;
    await this.redis.stop();
    if (hung.length > 0) assert.fail(`${hung.join(", ")} did not exit on SIGTERM\n${this.logs()}`);
    const unclean = procs.filter((p) => p.child.exitCode !== 0);
    if (unclean.length > 0) {
      assert.fail(
        `exit codes after SIGTERM: ${unclean.map((p) => `${p.name} ${p.child.exitCode}`).join(", ")}\n${this.logs()}`,
      );
    }
  }
}
