// What file a query process reads. DuckDB lets another process open a file only when no process
// writes it (the writer holds an exclusive lock; read-only openers share one), so:
//   - a read-only results file (`pairgrid serve`) is read as it is;
//   - the coordinator's file, which it writes, is read through a snapshot: a copy made by DuckDB
//     itself (COPY FROM DATABASE, one transaction, on a connection of its own, so ingest goes on
//     meanwhile), remade on the first query after a write. A copy costs time and disk in
//     proportion to the file, paid once per query that follows new writes.
// A query that arrives while a copy is under way takes that copy, although writes may have landed
// since it began: otherwise, while a job ingests a chunk every second or two, a copy that takes
// longer than the query time limit would be remade for every query and no query would ever be
// answered. So a query sees every write committed before the newest copy under way or finished
// when it arrived began: it is at most one copy's duration behind.
// Snapshots live in a hidden folder beside the results file (not /tmp, which may be memory) and are
// deleted once replaced and no query reads them, and with the folder when the file is closed. A
// folder a killed writer left is deleted by the next writer's first snapshot (the file's lock
// says no other process writes it).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A file a query may read until `release` is called. */
export interface QueryFile {
  path: string;
  release(): void;
}

export interface QuerySource {
  acquire(): Promise<QueryFile>;
  close(): Promise<void>;
}

/** A read-only results file: read in place. */
export function fileInPlace(path: string): QuerySource {
  return { acquire: async () => ({ path, release: () => undefined }), close: async () => undefined };
}

/** What a writer offers its snapshots: a count of its writes, and a copy of what is committed. */
export interface SnapshotHost {
  readonly file: string;
  /** Raised after every write; equal counts mean nothing new to copy. */
  generation(): number;
  copyTo(path: string): Promise<void>;
}

interface Snapshot {
  path: string;
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

  constructor(private readonly host: SnapshotHost) {}

  /**
   * The copy under way, else the newest snapshot when the writer wrote nothing since, else a new
   * copy; held until released.
   */
  async acquire(): Promise<QueryFile> {
    if (this.closed) throw new Error(`${this.host.file}: results database is closed`);
    const snapshot =
      this.making ?? (this.current?.generation === this.host.generation() ? this.current : this.remake());
    // counted as read before any other copy can end (a copy is I/O, this is the next microtask),
    // so the copy after it cannot delete it under this query
    return this.hold(await snapshot);
  }

  private hold(snapshot: Snapshot): QueryFile {
    if (this.closed) throw new Error(`${this.host.file}: results database is closed`);
    snapshot.readers++;
    let released = false;
    return {
      path: snapshot.path,
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
    const making = this.host.copyTo(path).then(
      () => {
        const previous = this.current;
        const snapshot: Snapshot = { path, generation, readers: 0, replaced: false };
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
