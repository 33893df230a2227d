// The dispatch loop of `pairgrid run` with a scripted pool: the in-flight bound, group arrays
// held only while their chunks run, a stop that lets running chunks finish, the drain timeout
// and a second signal that cut the wait short, a failing chunk, and a stop request (which outlives
// the run) left without the run's listeners.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Chunk, ChunkResult, PackedArrays } from "@pairgrid/engine";
import { dispatchChunks } from "../src/local/dispatch.js";
import { StopRequest } from "../src/stop-request.js";

/** 3 groups × 4 chunks, group-major like planChunks. */
const CHUNKS: Chunk[] = Array.from({ length: 12 }, (_, i) => ({
  chunkId: i,
  group: Math.floor(i / 4),
  t0: (i % 4) * 10,
  t1: (i % 4) * 10 + 10,
}));

const resultOf = (c: Chunk) => ({ chunkId: c.chunkId, k: 10 }) as ChunkResult;

/** A pool whose tasks finish when the test says (or after `autoMs`). */
function scriptedPool(autoMs: number | null) {
  const pending: { chunk: Chunk; resolve: (r: ChunkResult) => void; reject: (e: Error) => void }[] = [];
  let running = 0;
  let maxRunning = 0;
  return {
    pending,
    get maxRunning() {
      return maxRunning;
    },
    run(chunk: Chunk): Promise<ChunkResult> {
      running++;
      maxRunning = Math.max(maxRunning, running);
      return new Promise<ChunkResult>((resolve, reject) => {
        const done = { chunk, resolve: (r: ChunkResult) => (running--, resolve(r)), reject };
        if (autoMs === null) pending.push(done);
        else setTimeout(() => done.resolve(resultOf(chunk)), autoMs * (1 + (chunk.chunkId % 3)));
      });
    },
  };
}

function trackedGroups() {
  const live = new Map<number, number>();
  let maxLive = 0;
  const acquired: number[] = [];
  return {
    live,
    acquired,
    get maxLive() {
      return maxLive;
    },
    acquire(g: number): PackedArrays {
      if (!live.has(g)) {
        acquired.push(g);
        live.set(g, CHUNKS.filter((c) => c.group === g).length);
      }
      maxLive = Math.max(maxLive, live.size);
      return {} as PackedArrays;
    },
    release(g: number) {
      const left = live.get(g)! - 1;
      if (left === 0) live.delete(g);
      else live.set(g, left);
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

test("every chunk stored, at most maxInFlight running, groups held only while needed", async () => {
  const pool = scriptedPool(2);
  const groups = trackedGroups();
  const stored: number[] = [];
  const out = await dispatchChunks({
    chunks: CHUNKS,
    maxInFlight: 3,
    pool,
    groups,
    stop: new StopRequest(),
    drainMs: 1000,
    onResult: async (r) => {
      stored.push(r.chunkId);
    },
  });
  assert.deepEqual(out, { stored: 12, stopped: false, abandoned: 0 });
  assert.deepEqual(
    [...stored].sort((a, b) => a - b),
    CHUNKS.map((c) => c.chunkId),
  );
  assert.equal(pool.maxRunning, 3);
  assert.deepEqual(groups.acquired, [0, 1, 2], "each group computed once, in order");
  assert.equal(groups.live.size, 0, "all groups dropped at the end");
  assert.ok(groups.maxLive <= 2, `at most two groups at once (${groups.maxLive})`);
});

test("a settled run leaves no listener on its stop request (they hold the run's group arrays)", async () => {
  // `pairgrid run` keeps its stop request through finalize: a listener left on it would keep the
  // dispatch options, and with them every group array the run held, alive beside DuckDB's finalize
  for (const how of ["done", "stopped", "drain timed out"] as const) {
    const pool = scriptedPool(how === "done" ? 1 : null);
    const stop = new StopRequest();
    const running = dispatchChunks({
      chunks: CHUNKS,
      maxInFlight: 2,
      pool,
      groups: trackedGroups(),
      stop,
      drainMs: how === "drain timed out" ? 20 : 5000,
      onResult: async () => {},
    });
    await tick();
    assert.ok(stop.listenerCount > 0, `${how}: the run listens while it runs`);
    if (how !== "done") {
      stop.request("SIGINT");
      await tick();
      // the drain registered its force listener
      assert.ok(stop.listenerCount > 0, `${how}: the drain listens for a force`);
      if (how === "stopped") for (const p of pool.pending.splice(0)) p.resolve(resultOf(p.chunk));
    }
    await running;
    assert.equal(stop.listenerCount, 0, `${how}: listeners left on the stop request`);
  }
});

test("a stop lets running chunks finish and store, and dispatches nothing more", async () => {
  const pool = scriptedPool(null);
  const stop = new StopRequest();
  const stored: number[] = [];
  const running = dispatchChunks({
    chunks: CHUNKS,
    maxInFlight: 2,
    pool,
    groups: trackedGroups(),
    stop,
    drainMs: 5000,
    onResult: async (r) => {
      stored.push(r.chunkId);
    },
  });
  await tick();
  pool.pending.shift()!.resolve(resultOf(CHUNKS[0]!)); // chunk 0 done, chunk 2 dispatched
  await tick();
  stop.request("SIGINT");
  await tick();
  assert.deepEqual(
    pool.pending.map((p) => p.chunk.chunkId),
    [1, 2],
  );
  for (const p of pool.pending.splice(0)) p.resolve(resultOf(p.chunk));
  const out = await running;
  assert.deepEqual(out, { stored: 3, stopped: true, abandoned: 0 });
  assert.deepEqual(stored, [0, 1, 2]);
});

test("chunks still running after the drain time are abandoned; their results are dropped", async () => {
  const pool = scriptedPool(null);
  const stop = new StopRequest();
  const stored: number[] = [];
  const running = dispatchChunks({
    chunks: CHUNKS,
    maxInFlight: 2,
    pool,
    groups: trackedGroups(),
    stop,
    drainMs: 50,
    onResult: async (r) => {
      stored.push(r.chunkId);
    },
  });
  await tick();
  stop.request("SIGTERM");
  const out = await running;
  assert.deepEqual(out, { stored: 0, stopped: true, abandoned: 2 });
  for (const p of pool.pending.splice(0)) p.resolve(resultOf(p.chunk));
  await tick();
  assert.deepEqual(stored, [], "late results are not stored");
});

test("a second signal (force) ends the wait at once", async () => {
  const pool = scriptedPool(null);
  const stop = new StopRequest();
  const running = dispatchChunks({
    chunks: CHUNKS,
    maxInFlight: 4,
    pool,
    groups: trackedGroups(),
    stop,
    drainMs: 60_000,
    onResult: async () => {},
  });
  await tick();
  stop.request("SIGINT");
  stop.force();
  const out = await running;
  assert.equal(out.abandoned, 4);
});

test("a failing chunk stops dispatching and rejects once running chunks are done", async () => {
  const pool = scriptedPool(null);
  const stored: number[] = [];
  const running = dispatchChunks({
    chunks: CHUNKS,
    maxInFlight: 2,
    pool,
    groups: trackedGroups(),
    stop: new StopRequest(),
    drainMs: 5000,
    onResult: async (r) => {
      stored.push(r.chunkId);
    },
  });
  await tick();
  pool.pending.shift()!.reject(new Error("thread died"));
  await tick();
  assert.equal(pool.pending.length, 1, "nothing new dispatched after the failure");
  pool.pending.shift()!.resolve(resultOf(CHUNKS[1]!));
  await assert.rejects(running, /thread died/);
  assert.deepEqual(stored, [1], "the chunk that finished is still stored");
});
