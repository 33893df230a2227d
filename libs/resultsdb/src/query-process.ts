// The parent's side of query-child.ts: one child process that runs one query at a time, and the
// two limits it is held to. Only killing a process really stops DuckDB (see query-child.ts), so:
//   time    at the query's deadline (its start plus `timeoutMs`: waiting for a child to start or
//           for a snapshot counts), SIGKILL;
//   memory  every POLL_MS the child's resident set is read from /proc; past its idle size plus
//           `memoryBytes`, SIGKILL. DuckDB's memory_limit (the same cap) stops what its buffer
//           manager sees sooner and leaves the child alive.
// A killed child is replaced on the next query; one left idle for IDLE_MS exits, returning what
// DuckDB cached. None of it touches the server's memory or its DuckDB instance.
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { InputError } from "@pairgrid/engine";
import type { ChildReply, ChildRequest } from "./query-child.js";
import type { QueryJsonAnswer } from "./query-answer.js";
import { QueryMemoryError, QueryTimeoutError } from "./query-limits.js";
import { SQL_PATH } from "./sql-screen.js";

const CHILD_SCRIPT = fileURLToPath(new URL("./query-child.js", import.meta.url));
/** How often the watchdog reads the child's memory while a query runs. */
const POLL_MS = 20;
/** An idle child exits after this long. */
const IDLE_MS = 60_000;
/** Longest a new child may take to load DuckDB. */
const START_MS = 30_000;

export interface QueryLimits {
  timeoutMs: number;
  memoryBytes: number;
}

interface Child {
  proc: ChildProcess;
  /** Resident bytes once DuckDB is loaded: what the cap comes on top of. */
  idleRss: number;
  exited: Promise<unknown>;
  /** Killed by stop(), not by a limit. */
  stopped: boolean;
}

/** Resident set of a process in bytes (Linux); null where /proc is not there or it has exited. */
export function residentBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export class QueryProcess {
  private child: Promise<Child> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** A query is running or waiting for the child: the idle timer leaves it be. */
  private busy = false;
  private closed = false;

  constructor(private readonly limits: QueryLimits) {}

  /** Starts the child now if there is none, so it loads while the caller prepares a query. */
  warm(): void {
    if (!this.child) this.spawn();
  }

  /** Resolves once a child is up (the one started after a kill included). */
  async ready(): Promise<void> {
    this.warm();
    await this.child;
  }

  /**
   * Runs one query over `file`, killed at `deadline` (a performance.now() time) if still running;
   * the caller sends the next only after this one settles.
   */
  async run(request: ChildRequest, deadline: number): Promise<QueryJsonAnswer> {
    this.busy = true;
    let child: Child;
    try {
      // a child that starts too late stays for the next query
      child = await beforeDeadline(this.child ?? this.spawn(), deadline, this.limits.timeoutMs);
    } catch (err) {
      this.busy = false;
      if (!(err instanceof QueryTimeoutError)) this.child = null;
      throw err;
    }
    try {
      return await this.send(child, request, deadline);
    } finally {
      this.busy = false;
      this.armIdle();
    }
  }

  /** An idle child (or spare) exits after IDLE_MS; a query clears the timer while it runs. */
  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const idle = () => void (this.busy ? this.armIdle() : this.stop());
    this.idleTimer = this.child ? setTimeout(idle, IDLE_MS).unref() : null;
  }

  /** Starts a child (loading DuckDB takes a second on a busy machine) for the next query. */
  private spawn(): Promise<Child> {
    const started = this.closed
      ? Promise.reject(new Error("query sandbox is closed"))
      : startChild(this.limits.memoryBytes);
    started.catch(() => undefined); // a spare that failed to start fails the next query instead
    this.child = started;
    this.armIdle();
    return started;
  }

  private send(child: Child, request: ChildRequest, deadline: number): Promise<QueryJsonAnswer> {
    const { proc, idleRss } = child;
    const { timeoutMs, memoryBytes } = this.limits;
    return new Promise((resolve, reject) => {
      let killedFor: Error | null = null;
      const done = () => {
        clearTimeout(timer);
        clearInterval(watchdog);
        proc.off("message", onReply);
        proc.off("exit", onExit);
      };
      const kill = (reason: Error) => {
        killedFor ??= reason;
        proc.kill("SIGKILL");
      };
      const timer = setTimeout(
        () => kill(new QueryTimeoutError(timeoutMs)),
        Math.max(0, deadline - performance.now()),
      );
      const watchdog = setInterval(() => {
        const rss = residentBytes(proc.pid!);
        if (rss !== null && rss > idleRss + memoryBytes) kill(new QueryMemoryError(memoryBytes));
      }, POLL_MS);
      const onReply = (reply: ChildReply) => {
        done();
        if (reply.ok) resolve({ columns: reply.columns, rows: reply.rows, truncated: reply.truncated });
        else if (reply.kind === "memory") reject(new QueryMemoryError(memoryBytes));
        else if (reply.kind === "input") reject(new InputError(reply.message, SQL_PATH));
        else reject(new Error(reply.message));
      };
      const onExit = (code: number | null, signal: string | null) => {
        done();
        // the replacement starts now, so the next query does not wait for it
        if (child.stopped || this.closed) this.child = null;
        else this.spawn();
        // SIGKILL not sent here: the kernel's OOM killer, which picks this child first
        if (killedFor) reject(killedFor);
        else if (child.stopped) reject(new Error("query sandbox is closed"));
        else if (signal === "SIGKILL") reject(new QueryMemoryError(memoryBytes));
        else reject(new Error(`query process exited (${signal ?? `code ${code}`})`));
      };
      proc.on("message", onReply);
      proc.on("exit", onExit);
      proc.send(request);
    });
  }

  /** Ends the child for good: no query runs after this. */
  close(): Promise<void> {
    this.closed = true;
    return this.stop();
  }

  /** Ends the child (a running query with it) and waits until it is gone. */
  async stop(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const pending = this.child;
    this.child = null;
    if (!pending) return;
    const child = await pending.catch(() => null);
    if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return;
    child.stopped = true;
    child.proc.kill("SIGKILL");
    await child.exited;
  }
}

/**
 * `promise`, or a QueryTimeoutError at `deadline` if it has not settled by then; what it gives
 * later goes to `late` (a snapshot to release).
 */
export function beforeDeadline<T>(
  promise: Promise<T>,
  deadline: number,
  timeoutMs: number,
  late: (value: T) => void = () => undefined,
): Promise<T> {
  let timer: NodeJS.Timeout;
  let expired = false;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        expired = true;
        reject(new QueryTimeoutError(timeoutMs));
      },
      Math.max(0, deadline - performance.now()),
    );
  });
  promise.then(
    (value) => {
      if (expired) late(value);
    },
    () => undefined,
  );
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

async function startChild(memoryBytes: number): Promise<Child> {
  // no execArgv: the server's flags (a test runner's, an inspector's) are not the child's
  const proc = fork(CHILD_SCRIPT, [String(memoryBytes)], {
    execArgv: [],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const exited = once(proc, "exit");
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("query process did not start")), START_MS);
    proc.once("message", () => {
      clearTimeout(timer);
      resolve();
    });
    proc.once("error", reject);
    proc.once("exit", (code) => reject(new Error(`query process exited at start (code ${code})`)));
  });
  try {
    await ready;
  } catch (err) {
    proc.kill("SIGKILL");
    throw err;
  }
  // a send to a child that just died emits 'error' (unhandled, it would end the server); its
  // 'exit' is what fails the query
  proc.on("error", () => undefined);
  return { proc, idleRss: residentBytes(proc.pid!) ?? 0, exited, stopped: false };
}
