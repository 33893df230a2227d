// The one LRU (dashboard caches, worker job contexts, group arrays): the least recently used
// entry goes first, a read counts as a use and a peek does not.
import assert from "node:assert/strict";
import { test } from "node:test";
import { LruMap } from "../src/lru-map.js";

test("an LRU of 2 keeps the two entries used last", () => {
  const lru = new LruMap<string, number>(2);
  lru.set("a", 1);
  lru.set("b", 2);
  assert.equal(lru.get("a"), 1); // a is now the most recent
  lru.set("c", 3); // evicts b
  assert.equal(lru.get("b"), undefined);
  assert.deepEqual([lru.get("a"), lru.get("c"), lru.size], [1, 3, 2]);
  assert.equal(lru.peek("a"), 1); // c stays the most recent
  lru.set("d", 4); // evicts a
  assert.equal(lru.get("a"), undefined);
  lru.delete("c");
  assert.equal(lru.size, 1);
  assert.throws(() => new LruMap(0));
});
