// The cluster's default chunk size (cluster-chunk-size.ts): hybrid_dollar chunks hold at least
// MIN_HYBRID_DOLLAR_CHUNK combinations (W4H's 10 × 10 TP × SL grid: 25 chunks, not 100), fewer
// only when a group has fewer; z-live and slow grids keep the slow engines' default, except that a
// slow grid with groups enough for every hinted thread is cut into whole groups.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chunkingOf, defaultChunkSize, type GridSpec, planGrid, validateSpec } from "@pairgrid/engine";
import {
  CLUSTER_THREADS_HINT,
  clusterChunkSize,
  MAX_GROUP_CHUNK,
  MIN_HYBRID_DOLLAR_CHUNK,
} from "../src/cluster-chunk-size.js";

const LEVELS = Array.from({ length: 10 }, (_, k) => 250 * (k + 1));

function specOf(engine: string | undefined, params: Record<string, unknown>): GridSpec {
  const leg = (symbol: string) => ({
    symbol,
    slow: `${symbol}.csv`,
    fast: `${symbol}_fast.csv`,
    multiplier: 5,
    tick_size: 1,
  });
  return validateSpec(
    {
      name: "chunks",
      data: { a: leg("NQ"), b: leg("YM"), bar_minutes: 5, fast_seconds: 1 },
      ...(engine === undefined ? {} : { engine }),
      params: { ols_window: 1000, zscore_window: 100, ...params },
    },
    "/nonexistent",
    false,
  );
}

const chunksOf = (spec: GridSpec) => {
  const plan = planGrid(spec, Number.MAX_SAFE_INTEGER);
  return { plan, chunking: chunkingOf(plan, clusterChunkSize(spec, plan)) };
};

test("W4H's hybrid_dollar grid: chunks of 4 combinations, 25 of them", () => {
  const { plan, chunking } = chunksOf(
    specOf("hybrid_dollar", { z_entry: 2, z_exit: 0.5, dollar_tp: LEVELS, dollar_sl: LEVELS }),
  );
  assert.equal(plan.nGroups * plan.perGroup, 100);
  assert.equal(chunking.chunkSize, MIN_HYBRID_DOLLAR_CHUNK);
  assert.equal(chunking.chunks.length, 25);
});

test("a hybrid_dollar group smaller than the minimum is one chunk", () => {
  const { plan, chunking } = chunksOf(
    specOf("hybrid_dollar", { z_entry: 2, z_exit: 0.5, dollar_tp: [250, 500, 750] }),
  );
  assert.equal(plan.perGroup, 3);
  assert.equal(chunking.chunks.length, plan.nGroups);
});

test("hybrid_zlive and slow grids keep the default of the slow engines", () => {
  for (const spec of [
    specOf("hybrid_zlive", { z_entry: [2, 2.5, 3], z_exit: [0, 0.5], z_stop: [null, 4] }),
    specOf(undefined, { z_entry: [1.5, 2, 2.5, 3], z_exit: [0, 0.5], z_stop: [null, 4] }),
  ]) {
    const plan = planGrid(spec, Number.MAX_SAFE_INTEGER);
    assert.equal(clusterChunkSize(spec, plan), defaultChunkSize(plan, CLUSTER_THREADS_HINT));
  }
});

test("a slow grid with groups enough for 4 chunks per hinted thread gets whole groups", () => {
  // 8 × 8 indicator groups = 64 = 4 × 16; 3,000 thresholds each (the default would cut 2 chunks)
  const wide = {
    ols_window: [500, 600, 700, 800, 900, 1000, 1100, 1200],
    zscore_window: [50, 60, 70, 80, 90, 100, 110, 120],
    z_entry: Array.from({ length: 30 }, (_, k) => 1 + k / 10),
    z_exit: Array.from({ length: 10 }, (_, k) => k / 20),
    max_hold: Array.from({ length: 10 }, (_, k) => 100 * k),
  };
  const { plan, chunking } = chunksOf(specOf(undefined, wide));
  assert.deepEqual([plan.nGroups, plan.perGroup], [64, 3000]);
  assert.ok(defaultChunkSize(plan, CLUSTER_THREADS_HINT) < plan.perGroup);
  assert.equal(chunking.chunkSize, plan.perGroup);
  assert.equal(chunking.chunks.length, 64);
  // one group fewer: whole groups would leave hinted threads short of chunks
  const fewer = chunksOf(specOf(undefined, { ...wide, zscore_window: wide.zscore_window.slice(1) }));
  assert.equal(fewer.chunking.chunkSize, defaultChunkSize(fewer.plan, CLUSTER_THREADS_HINT));
  // groups above MAX_GROUP_CHUNK keep the default too (a killed worker's redo stays bounded)
  const big = chunksOf(specOf(undefined, { ...wide, z_stop: Array.from({ length: 11 }, (_, k) => 3 + k) }));
  assert.ok(big.plan.perGroup > MAX_GROUP_CHUNK);
  assert.equal(big.chunking.chunkSize, defaultChunkSize(big.plan, CLUSTER_THREADS_HINT));
});

test("the live workers' threads decide: W6's quarter shape gets whole groups on 4 threads", () => {
  // 4 × 4 groups of 3,000 combinations: 4 chunks per thread for 4 threads, not for 5 or the hint
  const quarter = {
    ols_window: [500, 600, 700, 800],
    zscore_window: [50, 60, 70, 80],
    z_entry: Array.from({ length: 30 }, (_, k) => 1 + k / 10),
    z_exit: Array.from({ length: 10 }, (_, k) => k / 20),
    max_hold: Array.from({ length: 10 }, (_, k) => 100 * k),
  };
  const spec = specOf(undefined, quarter);
  const plan = planGrid(spec, Number.MAX_SAFE_INTEGER);
  assert.deepEqual([plan.nGroups, plan.perGroup], [16, 3000]);
  assert.equal(clusterChunkSize(spec, plan, 4), plan.perGroup);
  assert.equal(clusterChunkSize(spec, plan, 5), defaultChunkSize(plan, CLUSTER_THREADS_HINT));
  // no worker connected: the hint, as before
  assert.equal(clusterChunkSize(spec, plan, 0), defaultChunkSize(plan, CLUSTER_THREADS_HINT));
  assert.equal(clusterChunkSize(spec, plan), defaultChunkSize(plan, CLUSTER_THREADS_HINT));
  // more live threads than the hint: chunks for all of them
  assert.equal(clusterChunkSize(spec, plan, 64), defaultChunkSize(plan, 64));
  assert.ok(defaultChunkSize(plan, 64) < defaultChunkSize(plan, CLUSTER_THREADS_HINT));
  // hybrid grids never take whole groups
  const { max_hold: _unused, ...noHold } = quarter;
  const hybrid = specOf("hybrid_zlive", noHold);
  const hplan = planGrid(hybrid, Number.MAX_SAFE_INTEGER);
  assert.notEqual(clusterChunkSize(hybrid, hplan, 1), hplan.perGroup);
});
