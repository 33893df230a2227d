// A thread's small cache of BacktestInputs views, keyed by group id. Consecutive chunks of one
// group (the usual case: chunks are group-major) reuse the same views instead of rebuilding them;
// the bound keeps a thread from pinning the SharedArrayBuffers of groups the main thread dropped.
import type { BacktestInputs } from "@pairgrid/engine";

/** Views are BacktestInputs, or a group context (runChunk's, chunk-thread.ts). */
export class GroupViewCache<V = BacktestInputs> {
  private readonly views = new Map<number, V>();

  constructor(private readonly capacity: number) {}

  /** The cached views of `groupId`, or those `make` builds (evicting the least recently used). */
  get(groupId: number, make: () => V): V {
    let v = this.views.get(groupId);
    if (v !== undefined) {
      // re-insert: Map keeps insertion order, so the first key is the least recently used
      this.views.delete(groupId);
    } else {
      v = make();
      if (this.views.size >= this.capacity) this.views.delete(this.views.keys().next().value!);
    }
    this.views.set(groupId, v);
    return v;
  }

  get size(): number {
    return this.views.size;
  }
}
