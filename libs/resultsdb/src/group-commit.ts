// Group commit for chunk ingest. A COMMIT costs DuckDB about half of a 1000-row chunk's ingest time
// and grows less than linearly with the rows it commits, so chunks that pile up while the previous
// transaction runs are written together in one. Each chunk still commits with its own ledger row,
// so exactly-once holds per chunk; when a group fails, its chunks are retried one per transaction
// and only the faulty one is rejected.
import type { PendingChunk } from "./chunk-ingest.js";

interface Waiting {
  chunk: PendingChunk;
  resolve: (written: boolean) => void;
  reject: (err: unknown) => void;
}

/** Writes chunks in one transaction; per chunk, whether it was written (false: already there). */
export type GroupWriter = (chunks: readonly PendingChunk[]) => Promise<boolean[]>;
/** Runs a task on the connection's serial queue. */
export type Scheduler = (task: () => Promise<void>) => Promise<void>;

/** DuckDB's row group size (rows), the unit it can write straight to the file. */
export const ROW_GROUP_ROWS = 122_880;

export class GroupCommitter {
  private waiting: Waiting[] = [];

  /**
   * `maxRows` bounds one transaction (how long other calls wait behind it; the chunks are in
   * memory already, their callers hold them). Default: one DuckDB row group, 122,880 rows. A
   * transaction that fills a row group has DuckDB write it compressed straight to the file
   * ("optimistic write") instead of into the WAL and again at the next checkpoint: in
   * bench/ingest-micro.mjs, 123 k-row commits took about 15 % less CPU than 8 k-row ones. Groups
   * that large form only when that many rows queue up (many workers, or a burst after a slow
   * commit): the committer never waits for more chunks, so a slow trickle commits as it comes.
   */
  constructor(
    private readonly schedule: Scheduler,
    private readonly write: GroupWriter,
    private readonly maxRows = ROW_GROUP_ROWS,
  ) {}

  submit(chunk: PendingChunk): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ chunk, resolve, reject });
      // invariant: while chunks wait, exactly one drain is scheduled and not yet started
      if (this.waiting.length === 1) this.scheduleDrain();
    });
  }

  private scheduleDrain(): void {
    this.schedule(() => this.drain()).catch((err: unknown) => {
      // the queue refused the task (database closed): nobody else will answer these callers
      for (const w of this.waiting.splice(0)) w.reject(err);
    });
  }

  private takeGroup(): Waiting[] {
    let rows = 0;
    let n = 0;
    while (n < this.waiting.length && (n === 0 || rows + this.waiting[n]!.chunk.nRows <= this.maxRows)) {
      rows += this.waiting[n]!.chunk.nRows;
      n++;
    }
    return this.waiting.splice(0, n);
  }

  private async drain(): Promise<void> {
    const group = this.takeGroup();
    if (this.waiting.length > 0) this.scheduleDrain();
    try {
      const written = await this.write(group.map((w) => w.chunk));
      group.forEach((w, i) => w.resolve(written[i]!));
    } catch (err) {
      if (group.length === 1) return group[0]!.reject(err);
      for (const w of group) {
        try {
          w.resolve((await this.write([w.chunk]))[0]!);
        } catch (one) {
          w.reject(one);
        }
      }
    }
  }
}
