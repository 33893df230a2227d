// The pieces of the thread that are not the kernel: the result is marked movable with one entry
// per typed-array buffer (posting it with that list detaches the sender's arrays, so nothing is
// copied), and the view cache keeps only its most recently used groups.
import assert from "node:assert/strict";
import { MessageChannel } from "node:worker_threads";
import { test } from "node:test";
import type { BacktestInputs, ChunkResult } from "@pairgrid/engine";
import { transferableSymbol, valueSymbol } from "piscina";
import { GroupViewCache } from "../src/group-view-cache.js";
import { movableChunkResult } from "../src/movable-chunk-result.js";

function result(k: number): ChunkResult {
  return {
    chunkId: 3,
    k,
    skipped: 1,
    comboIds: new Float64Array(k),
    params: new Float64Array(k * 21),
    stats: new Float64Array(k * 25),
    folds: new Float64Array(k * 16 * 4),
    nFolds: 16,
  };
}

test("a chunk result travels with its four buffers in the transfer list", async () => {
  const r = result(5);
  const moved = movableChunkResult(r) as unknown as Record<symbol, unknown>;
  const list = moved[transferableSymbol] as ArrayBuffer[];
  assert.equal(moved[valueSymbol], r);
  assert.deepEqual(list, [r.comboIds.buffer, r.params.buffer, r.stats.buffer, r.folds.buffer]);

  const { port1, port2 } = new MessageChannel();
  const received = new Promise<ChunkResult>((resolve) => port2.once("message", resolve));
  port1.postMessage(moved[valueSymbol], list);
  const got = await received;
  port1.close();
  port2.close();
  assert.equal(r.stats.length, 0, "the sender's arrays are detached: transferred, not copied");
  assert.equal(got.stats.length, 5 * 25);
  assert.equal(got.folds.length, 5 * 16 * 4);
});

test("an empty chunk result (every combination skipped) is movable too", () => {
  const r = result(0);
  const moved = movableChunkResult(r) as unknown as Record<symbol, unknown>;
  assert.equal((moved[transferableSymbol] as ArrayBuffer[]).length, 4);
});

test("the view cache keeps the most recently used groups", () => {
  const cache = new GroupViewCache(2);
  let built = 0;
  const make = () => {
    built++;
    return {} as BacktestInputs;
  };
  const a = cache.get(1, make);
  cache.get(2, make);
  assert.equal(cache.get(1, make), a, "hit");
  cache.get(3, make); // evicts 2, the least recently used
  assert.equal(cache.size, 2);
  cache.get(1, make);
  assert.equal(built, 3);
  cache.get(2, make);
  assert.equal(built, 4, "2 was evicted and is rebuilt");
});
