// The cluster's default chunk size (cluster-chunk-size.ts): hybrid_dollar chunks hold at least
// MIN_HYBRID_DOLLAR_CHUNK combinations (W4H's 10 × 10 TP × SL grid: 25 chunks, not 100), fewer
// only when a group has fewer; z-live and slow grids keep the slow engines' default.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chunkingOf, defaultChunkSize, type GridSpec, planGrid, validateSpec } from "@pairgrid/engine";
import {
  CLUSTER_THREADS_HINT,
  clusterChunkSize,
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
