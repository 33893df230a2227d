// What file a query process reads. DuckDB lets another process open a file only when no process
// writes it (the writer holds an exclusive lock; read-only openers share one), so:
//   - a read-only results file (`pairgrid serve`) is read as it is;
//   - the coordinator's file, which it writes, is read through a snapshot: a copy of the file's
//     bytes made while the writer's writes wait (results-db.ts snapshotHost), remade on the first
//     query after a write. A copy costs time and disk in proportion to the file, paid once per
//     query that follows new writes.
// While a job ingests, the writer writes every second or two, and a copy of a large file takes
// longer than that, perhaps longer than the query time limit. So that queries are still answered:
//   - a query that arrives while a copy is under way takes that copy rather than starting another
//     (a new copy per query would never finish within any query's limit);
//   - a query waits for a copy at most half its time limit when a previous snapshot exists, then
//     reads that one: the copy goes on, for the queries after it.
// So a query sees at least every write committed before the previous copy began: a copy or two
// behind the writer while it writes, current once it has stopped (and any rest, below, is over).
// A copy pauses the writer's ingest (results-db.ts), so a long one is followed by a rest: after a
// copy of d ≥ 5 s, the next starts no sooner than restFactor × d after it ended, and queries
// meanwhile read the last snapshot (their as_of says how old). However often queries come, ingest
// then waits for such copies at most 1 / (1 + restFactor) of the time (a third by default). Shorter
// copies (small files) do not rest, so that a query right after a write sees it; between two
// copies the ingest lanes always get their turn (group-commit.ts runs pauses in order).
// Snapshots live in a hidden folder beside the results file (not /tmp, which may be memory) and are
// deleted once replaced and no query reads them, and with the folder when the file is closed. A
// folder a killed writer left is deleted by the next writer's first snapshot (the file's lock
// says no other process writes it).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A file a query may read until `release` is called. */
export interface QueryFile {
  path: string;
  /**
   * When the snapshot's copy was asked for: every write committed by then is in it (and perhaps
   * some after, committed while the copy waited for the writes to pause); null: the file itself.
   */
  asOf: Date | null;
  release(): void;
}

export interface QuerySource {
  /** The file to read; `deadline` (a performance.now() time) is the query's, for its patience. */
  acquire(deadline: number): Promise<QueryFile>;
  close(): Promise<void>;
}

/** A read-only results file: read in place. */
export function fileInPlace(path: string): QuerySource {
  return {
    acquire: async () => ({ path, asOf: null, release: () => undefined }),
    close: async () => undefined,
  };
}

/** What a writer offers its snapshots: a count of its writes, and a copy of what is committed. */
export interface SnapshotHost {
  readonly file: string;
  /** Raised after every write; equal counts mean nothing new to copy. */
  generation(): number;
  copyTo(path: string): Promise<void>;
}

export interface SnapshotOptions {
  /** The rest after a copy of d ≥ restAfterMs, as a multiple of d (default 2; 0: none). */
  restFactor?: number;
  /**
   * Copies shorter than this (default 5 s: a file of a few GB here) do not rest: they cost ingest
   * little, and a query right after a write then sees it even on a loaded machine.
   */
  restAfterMs?: number;
}

interface Snapshot {
  path: string;
  /** When its copy was asked for (QueryFile.asOf). */
  startedAt: Date;
  generation: number;
  readers: number;
  replaced: boolean;
}

export class WriterSnapshots implements QuerySource {
  private dir: string | null = null;
  private current: Snapshot | null = null;
  /** The copy under way, shared by every query that arrives before it ends. */
  private making: Promise<Snapshot> | null = null;
  private count = 0;
  private closed = false;
  private readonly restFactor: number;
  private readonly restAfterMs: number;
  /** performance.now() before which no copy starts while a snapshot exists (the rest). */
  private restUntil = 0;

  constructor(
    private readonly host: SnapshotHost,
    opts: SnapshotOptions = {},
  ) {
    this.restFactor = opts.restFactor ?? 2;
    this.restAfterMs = opts.restAfterMs ?? 5000;
  }

  /**
   * The newest snapshot when the writer wrote nothing since it began or while copies rest, else
   * the copy under way or a new one, waited for until `deadline` or, when there is a previous
   * snapshot, for half the time left; held until released.
   */
  async acquire(deadline: number): Promise<QueryFile> {
    if (this.closed) throw new Error(`${this.host.file}: results database is closed`);
    const previous = this.current;
    if (this.making === null && previous !== null) {
      if (previous.generation === this.host.generation()) return this.hold(previous);
      if (performance.now() < this.restUntil) return this.hold(previous);
    }
    const making = this.making ?? this.remake();
    if (previous === null) return this.hold(await making);
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), Math.max(0, (deadline - performance.now()) / 2));
    });
    try {
      // held in the same turn as the race is decided: a copy that ends later cannot delete the
      // previous snapshot before this query counts as its reader (a copy ends in a later turn)
      const made = await Promise.race([making, patience]);
      return this.hold(made ?? (previous.replaced ? this.current! : previous));
    } finally {
      clearTimeout(timer);
    }
  }

  private hold(snapshot: Snapshot): QueryFile {
    if (this.closed) throw new Error(`${this.host.file}: results database is closed`);
    snapshot.readers++;
    let released = false;
    return {
      path: snapshot.path,
      asOf: snapshot.startedAt,
      release: () => {
        if (released) return;
        released = true;
        snapshot.readers--;
        this.dropIfUnused(snapshot);
      },
    };
  }

  private remake(): Promise<Snapshot> {
    // read before the copy begins: a write during the copy may be in it, and then only costs
    // one copy more than needed
    const generation = this.host.generation();
    this.dir ??= freshFolder(this.host.file);
    const path = join(this.dir, `snapshot-${++this.count}.duckdb`);
    const startedAt = new Date();
    const began = performance.now();
    const making = this.host.copyTo(path).then(
      () => {
        const took = performance.now() - began;
        if (took >= this.restAfterMs) this.restUntil = performance.now() + this.restFactor * took;
        const previous = this.current;
        const snapshot: Snapshot = { path, startedAt, generation, readers: 0, replaced: false };
        this.current = snapshot;
        if (previous) {
          previous.replaced = true;
          this.dropIfUnused(previous);
        }
        return snapshot;
      },
      (err: unknown) => {
        removeDatabase(path);
        throw err;
      },
    );
    this.making = making;
    const done = () => {
      if (this.making === making) this.making = null;
    };
    making.then(done, done);
    return making;
  }

  private dropIfUnused(snapshot: Snapshot): void {
    if (snapshot.replaced && snapshot.readers === 0) removeDatabase(snapshot.path);
  }

  /**
   * Waits for a copy under way (a query that gave up at its time limit leaves it running), then
   * deletes every snapshot; the query processes reading them are closed before this.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.making?.catch(() => undefined);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.current = null;
  }
}

/** A new snapshot folder beside `file`, after deleting those an earlier writer left. */
function freshFolder(file: string): string {
  const parent = dirname(file);
  const prefix = `.${basename(file)}.query-`;
  for (const name of readdirSync(parent)) {
    if (name.startsWith(prefix)) rmSync(join(parent, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(parent, prefix));
}

/** A DuckDB file and the write-ahead log a failed copy may have left. */
function removeDatabase(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}
