// The process's copy of the coordinator's blobs (base arrays, hedge arrays), decoded once into
// SharedArrayBuffers that every chunk thread reads without a copy. Several chunks of a job start
// at once on a fresh worker, so concurrent requests for one sha share a single fetch. The bound is
// on bytes (a base blob is many times a hedge blob), least recently used first out.
import type { PackedArrays } from "@pairgrid/engine";
import { decodePacked } from "@pairgrid/engine";
import type { Redis } from "ioredis";
import { getBlob } from "@pairgrid/cluster";

/** 1 GiB: a few jobs' base and hedge arrays on large grids, far below a worker machine's memory. */
export const DEFAULT_BLOB_CACHE_BYTES = 1024 ** 3;

interface Entry {
  promise: Promise<PackedArrays>;
  /** Decoded size; 0 while the fetch is under way (in-flight entries are never evicted). */
  bytes: number;
}

export class BlobCache {
  private readonly entries = new Map<string, Entry>();
  private held = 0;

  constructor(
    private readonly redis: Redis,
    readonly maxBytes: number = DEFAULT_BLOB_CACHE_BYTES,
    /** Called with the bytes of each fetch from Redis (the worker's metrics). */
    private readonly onFetched: (bytes: number) => void = () => {},
  ) {}

  /**
   * The decoded blob `sha`, fetched on first use. A failed fetch is not cached, so the chunk's
   * retry fetches again. Evicting only drops the cache's reference: a job context or a thread
   * still using the arrays keeps them alive, and the next `get` fetches them anew.
   */
  get(sha: string): Promise<PackedArrays> {
    const hit = this.entries.get(sha);
    if (hit !== undefined) {
      this.entries.delete(sha);
      this.entries.set(sha, hit);
      return hit.promise;
    }
    const entry: Entry = { promise: this.fetch(sha), bytes: 0 };
    this.entries.set(sha, entry);
    entry.promise.then(
      (p) => {
        if (this.entries.get(sha) !== entry) return;
        entry.bytes = p.sab.byteLength;
        this.held += entry.bytes;
        this.trim(sha);
      },
      () => {
        if (this.entries.get(sha) === entry) this.entries.delete(sha);
      },
    );
    return entry.promise;
  }

  private async fetch(sha: string): Promise<PackedArrays> {
    const buf = await getBlob(this.redis, sha);
    this.onFetched(buf.length);
    return decodePacked(buf);
  }

  /** Evicts least recently used decoded blobs until under the bound; `keep` (just added) stays. */
  private trim(keep: string): void {
    for (const [sha, e] of this.entries) {
      if (this.held <= this.maxBytes) return;
      if (sha === keep || e.bytes === 0) continue;
      this.entries.delete(sha);
      this.held -= e.bytes;
    }
  }

  /** Bytes of decoded blobs the cache holds (for the metrics). */
  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }
}
