// The worker's on-disk copy of the coordinator's fast day blobs (compressed, as Redis holds them),
// so a second job over the same days fetches nothing. A file is named by its sha256 and checked
// against it on every read: a file damaged on disk is dropped and fetched again. A blob that
// Redis returns corrupt is fetched once more, then the chunk fails naming the blob: a wrong row
// must never come out of a wrong byte. The bound is on bytes, least recently used file first out
// (a read touches the file's mtime). Several worker processes of one host may share the folder:
// files appear by rename (never half-written) and a file evicted under a reader is just a miss.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readdir, readFile, rename, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type BlobRedis, getBlob, sha256Hex } from "@pairgrid/cluster";

/** 4 GiB: a year of 1-second bars of a pair, compressed, with room for a second data set. */
export const DEFAULT_DISK_BLOB_CACHE_BYTES = 4 * 1024 ** 3;

/** The blob came back from Redis not matching its hash twice: retrying the chunk cannot help. */
export class CorruptBlobError extends Error {}

export interface DiskBlobCounts {
  /** Blobs read from the disk cache. */
  hits: number;
  /** Blobs fetched from Redis. */
  misses: number;
  /** Bytes fetched from Redis (compressed), refetches included. */
  bytesFetched: number;
}

const SHA = /^[0-9a-f]{64}$/;

export class DiskBlobCache {
  readonly counts: DiskBlobCounts = { hits: 0, misses: 0, bytesFetched: 0 };
  /** Bytes in the folder as last counted plus what this process wrote since (null: not counted yet). */
  private approxBytes: number | null = null;

  constructor(
    private readonly redis: BlobRedis,
    readonly dir: string,
    readonly maxBytes: number = DEFAULT_DISK_BLOB_CACHE_BYTES,
    /** Called with the bytes of each fetch from Redis (the worker's metrics). */
    private readonly onFetched: (bytes: number) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * The blob's bytes, checked against `sha`: from the disk when there, else from Redis (kept).
   * `tally` also counts this read: a caller's own counts, right while other jobs' loads share the
   * cache (a difference of `counts` taken around a load would take their fetches in too).
   */
  async get(sha: string, tally: DiskBlobCounts | null = null): Promise<Buffer> {
    if (!SHA.test(sha)) throw new CorruptBlobError(`blob name ${JSON.stringify(sha)} is not a sha256`);
    const file = join(this.dir, sha);
    const local = await readFile(file).catch(() => null);
    if (local !== null) {
      if (sha256Hex(local) === sha) {
        this.counts.hits++;
        if (tally) tally.hits++;
        const now = new Date();
        await utimes(file, now, now).catch(() => undefined);
        return local;
      }
      // damaged on disk: dropped, and fetched again below
      await unlink(file).catch(() => undefined);
    }
    const buf = await this.fetch(sha, tally);
    await this.keep(sha, buf);
    return buf;
  }

  /** From Redis, verified (getBlob); a corrupt copy is fetched once more before giving up. */
  private async fetch(sha: string, tally: DiskBlobCounts | null): Promise<Buffer> {
    this.counts.misses++;
    if (tally) tally.misses++;
    for (let attempt = 1; ; attempt++) {
      try {
        const buf = await getBlob(this.redis, sha);
        this.counted(buf.length);
        if (tally) tally.bytesFetched += buf.length;
        return buf;
      } catch (err) {
        const corrupt = /does not match its hash/.test((err as Error).message);
        if (!corrupt) throw err; // missing: the chunk's retry fetches again (it may be re-shipped)
        if (attempt >= 2)
          throw new CorruptBlobError(
            `blob ${sha}: Redis returned content that does not match its sha256 twice; not used`,
          );
      }
    }
  }

  private counted(bytes: number): void {
    this.counts.bytesFetched += bytes;
    this.onFetched(bytes);
  }

  private async keep(sha: string, buf: Buffer): Promise<void> {
    const tmp = join(this.dir, `${sha}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      await writeFile(tmp, buf);
      await rename(tmp, join(this.dir, sha));
    } catch {
      // a full or read-only disk costs the cache, not the chunk
      await unlink(tmp).catch(() => undefined);
      return;
    }
    if (this.approxBytes === null) this.approxBytes = await this.folderBytes();
    else this.approxBytes += buf.length;
    if (this.approxBytes > this.maxBytes) await this.trim(sha);
  }

  private async folderBytes(): Promise<number> {
    return (await this.files()).reduce((s, f) => s + f.bytes, 0);
  }

  private async files(): Promise<{ name: string; bytes: number; mtimeMs: number }[]> {
    const out: { name: string; bytes: number; mtimeMs: number }[] = [];
    for (const name of await readdir(this.dir)) {
      if (!SHA.test(name)) continue;
      const st = await stat(join(this.dir, name)).catch(() => null);
      if (st) out.push({ name, bytes: st.size, mtimeMs: st.mtimeMs });
    }
    return out;
  }

  /** Deletes least recently used files until under the bound; `keep` (just written) stays. */
  async trim(keep: string | null = null): Promise<void> {
    const files = (await this.files()).sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = files.reduce((s, f) => s + f.bytes, 0);
    for (const f of files) {
      if (total <= this.maxBytes) break;
      if (f.name === keep) continue;
      await unlink(join(this.dir, f.name)).catch(() => undefined);
      total -= f.bytes;
    }
    this.approxBytes = total;
  }

  /** Hit rate over this process's reads so far (NaN before the first). */
  get hitRate(): number {
    return this.counts.hits / (this.counts.hits + this.counts.misses);
  }
}
