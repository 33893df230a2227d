// Group commit for chunk ingest, over one or more ingest lanes (connections of their own). A COMMIT
// costs DuckDB about half of a 1000-row chunk's ingest time and grows less than linearly with the
// rows it commits, so chunks that pile up while the lanes are busy are written together in one.
// Each chunk still commits with its own ledger row, so exactly-once holds per chunk; when a group
// fails, its chunks are retried one per transaction on the same lane and only the faulty one is
// rejected.
//
// Why lanes (issue 19 item 2): one connection runs one transaction at a time, and most of an ingest
// transaction (DuckDB's append into the table, the index, the WAL write at COMMIT) runs off the
// JavaScript thread, which meanwhile waits. With two lanes one lane's commit runs while the other
// appends: on two free cores 3 M rows went in at 136 k rows/s against 100 k (bench/ingest-micro.mjs,
// medians of 3, alternating).
// Concurrent transactions never write the same row: the ledger rows and results rows of different
// chunks differ, the job's progress counter is not part of them (chunk-ledger.ts), and a chunk
// already in a lane's transaction is not given to another lane until that transaction ended.
import type { PendingChunk } from "./chunk-ingest.js";

interface Waiting {
  chunk: PendingChunk;
  resolve: (written: boolean) => void;
  reject: (err: unknown) => void;
}

/** Work that needs every lane idle; `droppable`: a second one while it waits would do the same. */
interface Barrier {
  run: () => Promise<void>;
  droppable: boolean;
}

/** Writes chunks in one transaction on a lane; per chunk, whether it was written (false: already there). */
export type GroupWriter = (lane: number, chunks: readonly PendingChunk[]) => Promise<boolean[]>;

/** DuckDB's row group size (rows), the unit it can write straight to the file. */
export const ROW_GROUP_ROWS = 122_880;

const keyOf = (c: PendingChunk) => `${c.chunkId}\u0000${c.jobId}`;

export class GroupCommitter {
  private waiting: Waiting[] = [];
  private readonly lanes: number;
  /** Lanes with no transaction open. */
  private readonly idle: number[];
  /** Chunks in a lane's open transaction: a second delivery of one waits until it ended. */
  private readonly inFlight = new Set<string>();
  private readonly drainedWaiters: (() => void)[] = [];
  private pumpQueued = false;
  /** Work that needs every lane idle (a checkpoint, a snapshot's copy), in order, before any further group. */
  private readonly barriers: Barrier[] = [];
  private barrierRunning = false;

  private readonly maxRows: number;

  /**
   * `lanes` transactions may run at once, each through `write(lane, …)`. `maxRows` bounds one
   * transaction (how long it takes; the chunks are in memory already, their callers hold them).
   * Default: one DuckDB row group, 122,880 rows. A transaction that fills a row group has DuckDB
   * write it compressed straight to the file ("optimistic write") instead of into the WAL and again
   * at the next checkpoint: in bench/ingest-micro.mjs, 123 k-row commits took about 15 % less CPU
   * than 8 k-row ones. Groups that large form only when that many rows queue up (many workers,
   * or a burst after a slow commit): the committer never waits for more chunks, so a slow trickle
   * commits as it comes.
   */
  constructor(
    private readonly write: GroupWriter,
    opts: { lanes?: number; maxRows?: number } = {},
  ) {
    const lanes = opts.lanes ?? 1;
    if (!Number.isInteger(lanes) || lanes < 1) throw new RangeError(`lanes must be ≥ 1, got ${lanes}`);
    this.idle = Array.from({ length: lanes }, (_, i) => i);
    this.lanes = lanes;
    this.maxRows = opts.maxRows ?? ROW_GROUP_ROWS;
  }

  submit(chunk: PendingChunk): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ chunk, resolve, reject });
      // chunks submitted in one go (a burst of results) are grouped before a lane takes any
      if (this.pumpQueued) return;
      this.pumpQueued = true;
      queueMicrotask(() => {
        this.pumpQueued = false;
        this.pump();
      });
    });
  }

  /** Resolves once nothing waits and no lane writes (close() waits for this). */
  drained(): Promise<void> {
    if (this.isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.drainedWaiters.push(resolve));
  }

  private isDrained(): boolean {
    return (
      this.waiting.length === 0 &&
      this.idle.length === this.lanes &&
      !this.pumpQueued &&
      this.barriers.length === 0
    );
  }

  /**
   * Runs `task` once no lane has a transaction open; no group starts until it settled. A second
   * request while one waits is dropped (it would do the same work).
   */
  pauseFor(task: () => Promise<void>): void {
    if (this.barriers.some((b) => b.droppable)) return;
    // ingest goes on regardless; the next commit that finds the need again asks again
    this.barriers.push({ run: () => task().catch(() => undefined), droppable: true });
    this.pump();
  }

  /** Runs `task` once no lane has a transaction open, after the pauses asked before it; its result. */
  whilePaused<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.barriers.push({ run: () => Promise.resolve().then(task).then(resolve, reject), droppable: false });
      this.pump();
    });
  }

  /** Gives waiting chunks to idle lanes, a group per lane, while both exist. */
  private pump(): void {
    if (this.barriers.length > 0) {
      if (this.barrierRunning || this.idle.length < this.lanes) return;
      this.barrierRunning = true;
      void this.barriers[0]!.run().finally(() => {
        this.barriers.shift();
        this.barrierRunning = false;
        this.pump();
      });
      return;
    }
    while (this.idle.length > 0) {
      // idle lanes share what waits, so a burst keeps every lane busy instead of one
      const waitingRows = this.waiting.reduce((n, w) => n + w.chunk.nRows, 0);
      const group = this.takeGroup(Math.min(this.maxRows, Math.ceil(waitingRows / this.idle.length)));
      if (group.length === 0) break;
      const lane = this.idle.shift()!;
      for (const w of group) this.inFlight.add(keyOf(w.chunk));
      void this.run(lane, group);
    }
    if (this.isDrained()) for (const resolve of this.drainedWaiters.splice(0)) resolve();
  }

  /**
   * The oldest waiting chunks up to `limit` rows (at least one chunk). A chunk another lane is writing stays
   * waiting (it will be found in the ledger, or written, once that transaction ended); two copies
   * of one chunk in the same group are fine: the transaction writes the first and skips the other.
   */
  private takeGroup(limit: number): Waiting[] {
    const group: Waiting[] = [];
    const rest: Waiting[] = [];
    let rows = 0;
    let full = false;
    for (const w of this.waiting) {
      if (!full && !this.inFlight.has(keyOf(w.chunk))) {
        if (group.length === 0 || rows + w.chunk.nRows <= limit) {
          group.push(w);
          rows += w.chunk.nRows;
          continue;
        }
        full = true;
      }
      rest.push(w);
    }
    this.waiting = rest;
    return group;
  }

  private async run(lane: number, group: Waiting[]): Promise<void> {
    try {
      const written = await this.write(
        lane,
        group.map((w) => w.chunk),
      );
      group.forEach((w, i) => w.resolve(written[i]!));
    } catch (err) {
      if (group.length === 1) {
        group[0]!.reject(err);
      } else {
        for (const w of group) {
          try {
            w.resolve((await this.write(lane, [w.chunk]))[0]!);
          } catch (one) {
            w.reject(one);
          }
        }
      }
    } finally {
      for (const w of group) this.inFlight.delete(keyOf(w.chunk));
      this.idle.push(lane);
      this.pump();
    }
  }
}
