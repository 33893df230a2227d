// The hybrid fast side a worker assembled last (fast-data.ts), kept in memory for the next job over
// the same data: W3's 60 days are 120 MB of closes whose gunzip, copies and slow→fast index cost
// seconds, paid again by every job when only the disk cache survives between them. Only closes
// whose day blobs were each checked against their sha256 are kept, and the keys name everything
// the arrays are built from, so a hit gives the very bytes a fresh load would.
import type { FastCloses, GridSpec, HybridGridData } from "@pairgrid/engine";
import type { JobManifest } from "@pairgrid/cluster";
import { LruMap } from "@pairgrid/jobs";

/**
 * Closes of one data set (the current job's: a job boundary over the same data is the case that
 * pays). The entry is the very object the job's context holds, so it costs memory only once that
 * job is gone, and a job over other data replaces it.
 */
export const DEFAULT_FAST_DATA_KEPT = 1;
/** Grids (engine × slow side) built over one set of closes: a dollar and a z-live grid of a study. */
const GRIDS_PER_CLOSES = 2;

/** What the assembled closes are: the fast days in order, each by sha256 and rows, and the bar. */
export function fastClosesKey(manifest: JobManifest): string | null {
  const fast = manifest.fast;
  if (fast === undefined) return null;
  return JSON.stringify({ barMs: fast.barMs, rows: fast.rows, days: fast.days.map((d) => [d.sha, d.rows]) });
}

/**
 * What a grid's index and z-live rows are built from besides the closes: the engine, the slow bar
 * times (in the base blob, named by its sha256) and length, the session (the z-live calendar).
 */
export function hybridGridKey(spec: GridSpec, manifest: JobManifest): string {
  return JSON.stringify({
    engine: spec.engine,
    base: manifest.base,
    barMs: manifest.barMs,
    session: spec.session,
  });
}

interface Entry {
  closes: FastCloses;
  grids: LruMap<string, HybridGridData>;
}

export class FastDataMemo {
  private readonly entries: LruMap<string, Entry>;

  constructor(capacity = DEFAULT_FAST_DATA_KEPT) {
    this.entries = new LruMap(capacity);
  }

  /** The closes kept under `closesKey`, and the grid data built on them under `gridKey`, if any. */
  get(
    closesKey: string,
    gridKey: string,
  ): { closes: FastCloses; data: HybridGridData | undefined } | undefined {
    const e = this.entries.get(closesKey);
    return e && { closes: e.closes, data: e.grids.get(gridKey) };
  }

  /** Keeps `data` (built on closes kept under `closesKey`, or new closes that replace them). */
  set(closesKey: string, gridKey: string, data: HybridGridData): void {
    let e = this.entries.get(closesKey);
    if (e === undefined || e.closes !== data.fast) {
      e = { closes: data.fast, grids: new LruMap(GRIDS_PER_CLOSES) };
      this.entries.set(closesKey, e);
    }
    e.grids.set(gridKey, data);
  }
}
