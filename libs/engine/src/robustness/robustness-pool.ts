// The streamed CSCV and walk-forward (pbo-streamed.ts, walk-forward-streamed.ts) on worker
// threads: the caller's thread only copies the rows it reads into batches and hands each batch to
// the least busy worker; the workers do the per-row work (all of it CPU) on the other cores.
//
// Still exact: a worker's share of the rows gives per-split winners and per-range best rows by
// RunningBest's rule, a total order (larger, then lower id), so the best of the workers' bests is
// the best over all rows; pass 2 counts each share against the merged winners and the counts add.
// Memory: 2 batches per worker plus one being filled (batchRows × F × 24 bytes each, shared).
import { Worker } from "node:worker_threads";
import { BestRowWithFolds, type FoldBlock } from "./fold-blocks.js";
import type { CscvStream } from "./pbo-streamed.js";
import {
  type BatchBuffers,
  batchBuffers,
  type PoolPlan,
  type WorkerReply,
  type WorkerRequest,
} from "./robustness-protocol.js";
import type { WalkForwardStream } from "./walk-forward-streamed.js";

type State1 = Extract<WorkerReply, { kind: "state1" }>;
type State2 = Extract<WorkerReply, { kind: "state2" }>;

export class RobustnessPool {
  private readonly workers: Worker[];
  private readonly inFlight: number[];
  private readonly free: BatchBuffers[] = [];
  private allocated = 0;
  private readonly maxBuffers: number;
  private waiters: (() => void)[] = [];
  private replies: ((r: State1 | State2) => void)[][];
  private failure: Error | null = null;
  private cur: BatchBuffers | null = null;
  private fill = 0;

  constructor(
    private readonly plan: PoolPlan,
    nWorkers: number,
    private readonly batchRows = 8192,
  ) {
    this.maxBuffers = 2 * nWorkers + 1;
    this.inFlight = new Array<number>(nWorkers).fill(0);
    this.replies = Array.from({ length: nWorkers }, () => []);
    this.workers = Array.from({ length: nWorkers }, (_, w) => {
      const worker = new Worker(new URL("./robustness-worker.js", import.meta.url), { workerData: plan });
      worker.on("message", (msg: WorkerReply) => this.onMessage(w, msg));
      worker.on("error", (err) => this.fail(err));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`robustness worker exited with code ${code}`));
      });
      return worker;
    });
  }

  private onMessage(w: number, msg: WorkerReply): void {
    if (msg.kind === "free") {
      this.inFlight[w]!--;
      this.free.push(msg.buf);
      this.waiters.shift()?.();
    } else {
      this.replies[w]!.shift()?.(msg);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const wake of this.waiters.splice(0)) wake();
    for (const queue of this.replies) for (const r of queue.splice(0)) r({ kind: "state2", counts: null });
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private async takeFree(): Promise<BatchBuffers> {
    for (;;) {
      this.check();
      const b = this.free.pop();
      if (b) return b;
      if (this.allocated < this.maxBuffers) {
        this.allocated++;
        return batchBuffers(this.batchRows, this.plan.nFolds);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The batch being filled goes to the least busy worker. */
  private async dispatch(pass: 1 | 2): Promise<void> {
    if (!this.cur || this.fill === 0) return;
    let w = 0;
    for (let k = 1; k < this.workers.length; k++) if (this.inFlight[k]! < this.inFlight[w]!) w = k;
    this.inFlight[w]!++;
    const buf = this.cur;
    const msg: WorkerRequest = { kind: "block", pass, n: this.fill, buf };
    this.workers[w]!.postMessage(msg);
    this.cur = null;
    this.fill = 0;
  }

  /**
   * A FoldBlockSource visitor for pass 1 or 2: copies the block's rows (DuckDB reuses its memory),
   * their trade counts only with `trades` (a pass whose source reads them).
   */
  async visit(pass: 1 | 2, { m, ids }: FoldBlock, trades: boolean): Promise<void> {
    const F = this.plan.nFolds;
    for (let r0 = 0; r0 < m.nRows;) {
      this.cur ??= await this.takeFree();
      const b = this.cur;
      const take = Math.min(m.nRows - r0, this.batchRows - this.fill);
      const at = this.fill * F;
      b.ids.set(ids.subarray(r0, r0 + take), this.fill);
      b.pnl.set(m.pnl.subarray(r0 * F, (r0 + take) * F), at);
      b.pnlSq.set(m.pnlSq.subarray(r0 * F, (r0 + take) * F), at);
      b.nDays.set(m.nDays.subarray(r0 * F, (r0 + take) * F), at);
      if (trades) b.nTrades.set(m.nTrades.subarray(r0 * F, (r0 + take) * F), at);
      this.fill += take;
      r0 += take;
      if (this.fill === this.batchRows) await this.dispatch(pass);
    }
  }

  private async ask<T extends State1 | State2>(msg: WorkerRequest): Promise<T[]> {
    // a worker that failed earlier would never answer: fail() only settles replies already asked
    this.check();
    const answers = this.workers.map(
      (worker, w) =>
        new Promise<T>((resolve) => {
          this.replies[w]!.push(resolve as (r: State1 | State2) => void);
          worker.postMessage(msg);
        }),
    );
    const out = await Promise.all(answers);
    this.check();
    return out;
  }

  /** After pass 1: every worker's winners and walk-forward bests merged into `cscv` and `wf`. */
  async finishPass1(cscv: CscvStream | null, wf: WalkForwardStream | null): Promise<void> {
    await this.dispatch(1);
    const states = await this.ask<State1>({ kind: "end1" });
    const F = this.plan.nFolds;
    for (const s of states) {
      if (cscv && s.winners) cscv.mergeWinners(s.winners);
      if (wf) {
        wf.merge(
          s.bests.map((b) => {
            const row = new BestRowWithFolds(F);
            if (b.id >= 0) row.offerRow(b.value, b.id, b, 0);
            return row;
          }),
        );
      }
    }
    if (cscv)
      for (const worker of this.workers) worker.postMessage({ kind: "winners", winners: cscv.winners });
  }

  /** After pass 2: every worker's counts added into `cscv`. */
  async finishPass2(cscv: CscvStream | null): Promise<void> {
    await this.dispatch(2);
    const states = await this.ask<State2>({ kind: "end2" });
    for (const s of states) if (cscv && s.counts) cscv.addCounts(s.counts);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
