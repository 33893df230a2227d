// A Map bounded by entry count, least recently used first out: the project's one LRU. What it
// holds is few and large (the dashboard's specs and loaded jobs, a worker's job contexts, a job's
// group arrays), so a count bound is the right one; the worker's blob cache, whose entries vary in
// size by orders of magnitude, is bounded by bytes instead (apps/worker blob-cache.ts).

export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  /** `onEvict` runs for every entry pushed out by `set` (not for `delete`). */
  constructor(
    private readonly capacity: number,
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
  }

  /** The value of `key`, which becomes the most recently used. */
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      // re-insert: a Map keeps insertion order, so its first key is the least recently used
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** Stores `value` as the most recently used, evicting the least recently used beyond capacity. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const [oldKey, oldValue] = this.map.entries().next().value!;
      this.map.delete(oldKey);
      this.onEvict(oldKey, oldValue);
    }
  }

  /** Looks without touching the recency order. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Removes every entry and returns them (the caller decides how to dispose of them). */
  drain(): [K, V][] {
    const all = [...this.map.entries()];
    this.map.clear();
    return all;
  }

  get size(): number {
    return this.map.size;
  }
}
