// Chunk sizes of `pairgrid run`: balanced chunks whose size a resumed job recovers from its
// stored number of chunks, and the default of at least 4 chunks per thread, capped.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  balancedChunkSize,
  chunkingOf,
  chunkingOfJob,
  defaultChunkSize,
  type GridPlan,
  MAX_DEFAULT_CHUNK,
  planChunks,
  planGrid,
} from "../src/index.js";

/** planChunks only reads the group count and size. */
const planOf = (nGroups: number, perGroup: number) => ({ nGroups, perGroup }) as GridPlan;

test("a balanced size keeps the requested number of chunks and the job's count gives it back", () => {
  for (let perGroup = 1; perGroup <= 120; perGroup++) {
    const plan = planOf(3, perGroup);
    for (let requested = 1; requested <= perGroup + 3; requested++) {
      const { chunkSize, chunks } = chunkingOf(plan, requested);
      assert.ok(chunkSize <= Math.max(1, Math.min(requested, perGroup)));
      assert.equal(chunks.length, 3 * Math.ceil(perGroup / Math.min(requested, perGroup)));
      assert.deepEqual(
        chunkingOfJob(plan, chunks.length, "j").chunks,
        chunks,
        `P ${perGroup}, size ${requested}`,
      );
    }
  }
  assert.equal(balancedChunkSize(100, 40), 34, "3 chunks of 34, 34, 32 rather than 40, 40, 20");
});

test("a chunk count that no balanced chunking gives is refused", () => {
  assert.throws(() => chunkingOfJob(planOf(3, 10), 7, "abc"), /--resume abc: the job's 7 chunks/);
  // 10 indices cannot be cut into exactly 6 balanced chunks (sizes 2 give 5)
  assert.throws(() => chunkingOfJob(planOf(1, 10), 6, "abc"), /--resume abc/);
});

test("the default gives at least 4 chunks per thread, at most MAX_DEFAULT_CHUNK combinations each", () => {
  for (const [nGroups, perGroup] of [
    [1, 10_000],
    [16, 3402],
    [4, 96],
    [1, 3],
    [500, 50_000],
  ] as const) {
    for (const threads of [1, 2, 4, 16]) {
      const plan = planOf(nGroups, perGroup);
      const size = defaultChunkSize(plan, threads);
      const n = planChunks(plan, size).length;
      assert.ok(size >= 1 && size <= MAX_DEFAULT_CHUNK, `size ${size}`);
      assert.ok(n >= Math.min(4 * threads, nGroups * perGroup), `${n} chunks for ${threads} threads`);
    }
  }
});

test("hybrid_curve: chunks are whole (tp, sl) blocks of one slow setting, and the job's count gives them back", () => {
  for (const block of [2, 4, 9]) {
    for (let settings = 1; settings <= 30; settings++) {
      const plan = { nGroups: 2, perGroup: block * settings, chunkBlock: block } as GridPlan;
      for (let requested = 1; requested <= plan.perGroup + 3; requested++) {
        const { chunkSize, chunks } = chunkingOf(plan, requested);
        for (const c of chunks) {
          assert.equal(
            c.t0 % block,
            0,
            `B ${block}, S ${settings}, size ${requested}: chunk starts inside a block`,
          );
          assert.equal(
            c.t1 % block,
            0,
            `B ${block}, S ${settings}, size ${requested}: chunk ends inside a block`,
          );
        }
        assert.equal(chunkSize % block, 0);
        assert.ok(chunkSize <= block * Math.ceil(requested / block));
        assert.deepEqual(chunkingOfJob(plan, chunks.length, "j").chunks, chunks);
      }
      assert.equal(defaultChunkSize(plan, 2) % block, 0);
    }
  }
});

test("planGrid: a hybrid_curve plan's chunk block is its trailing dollar axes, other engines' 1", () => {
  const spec = (engine: string, params: Record<string, unknown>) =>
    ({ engine, params, constraints: [] }) as unknown as Parameters<typeof planGrid>[0];
  const trailing = {
    ols_window: [100, 150],
    z_entry: [1.5, 2],
    dollar_tp: [null, 200, 300],
    dollar_sl: [null, 250],
  };
  assert.equal(planGrid(spec("hybrid_curve", trailing)).chunkBlock, 6);
  assert.equal(planGrid(spec("hybrid_dollar", trailing)).chunkBlock, 1);
  const inside = {
    dollar_tp: [null, 200, 300],
    z_entry: [1.5, 2],
    dollar_sl: [null, 250],
    ols_window: [100, 150],
  };
  // dollar_sl is the last threshold axis (ols_window is an indicator axis); dollar_tp is not next to it
  assert.equal(planGrid(spec("hybrid_curve", inside)).chunkBlock, 2);
});
