// The fast day blobs of the data last submitted, kept for the next job over the same files: a
// hybrid job's submission otherwise reads and aligns both fast legs (≈ 5 M rows each for W3's 60
// days) and gzips them again, seconds before its 201, only to produce the same blobs. Keyed by
// the spec's data and session settings and the stat of every data file (dataFilesStamp), taken
// before and after the load: blobs are kept only when the files did not change meanwhile.
import { LruMap } from "@pairgrid/jobs";
import type { FastBlobs } from "./fast-blobs.js";

/**
 * One data set: a study submits its grids over the same data one after another. The blobs are
 * compressed (W3: 22.7 MB), and a submission over other data replaces them.
 */
export const FAST_BLOB_SETS_KEPT = 1;

/** Fast day blobs by the stamp of the data they were cut from, least recently used first out. */
export class FastBlobMemo {
  private readonly entries: LruMap<string, FastBlobs>;

  constructor(capacity = FAST_BLOB_SETS_KEPT) {
    this.entries = new LruMap(capacity);
  }

  get(stamp: string): FastBlobs | undefined {
    return this.entries.get(stamp);
  }

  set(stamp: string, blobs: FastBlobs): void {
    this.entries.set(stamp, blobs);
  }
}
