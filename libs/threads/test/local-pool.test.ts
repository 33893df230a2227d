// The chunk pool against the chunk function run in this thread: every chunk of a grid with
// several groups, on 2 threads, gives the same rows bit for bit, whatever order results arrive in.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  type ChunkResult,
  GroupPrecompute,
  groupCombination,
  inputsFromPacked,
  loadSlowPair,
  packGridData,
  planChunks,
  planGrid,
  runChunk,
  slowGroupContext,
  validateSpec,
  writeSynthFiles,
} from "@pairgrid/engine";
import { createChunkPool } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-pool-"));
writeSynthFiles(join(dir, "data"), { days: 12, seed: 11 });
const spec = validateSpec(
  {
    name: "pool",
    data: {
      a: { symbol: "NQ", slow: "data/NQ.csv", multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "data/YM.csv", multiplier: 5, tick_size: 1 },
      cache: false,
    },
    session: { flat_time: "16:55" },
    costs: { commission: 2.25, slippage_ticks: 0.5 },
    params: {
      ols_window: [150, 300],
      zscore_window: [30, 60],
      z_entry: [1.5, 2, 2.5],
      z_exit: [0, 0.5, 2],
      z_stop: [null, 3.5],
      corr_window: 200,
      min_corr: [null, 0.5],
    },
    rank: { folds: 4 },
  },
  dir,
);

function sameArray(got: Float64Array, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Object.is(got[i], want[i]), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

test("pool results equal the in-thread chunk function bit for bit", async () => {
  const plan = planGrid(spec);
  const sp = await loadSlowPair(spec);
  const data = packGridData(sp);
  const pre = new GroupPrecompute(sp.pair, spec);
  const groups = Array.from({ length: plan.nGroups }, (_, g) => pre.compute(groupCombination(plan, g)));
  const chunks = planChunks(plan, 5);
  assert.ok(plan.nGroups === 4 && chunks.length > 8, "several groups, several chunks each");

  const pool = createChunkPool({ threads: 2, spec, data });
  let results: ChunkResult[];
  try {
    results = await Promise.all(chunks.map((c) => pool.run(c, c.group, groups[c.group]!)));
  } finally {
    await pool.close();
  }
  let rows = 0;
  chunks.forEach((chunk, j) => {
    const got = results[j]!;
    const want = runChunk(
      spec,
      plan,
      slowGroupContext(inputsFromPacked(data.base, groups[chunk.group]!, data.barMs, data.nDays)),
      chunk,
    );
    assert.equal(got.chunkId, chunk.chunkId);
    assert.equal(got.k, want.k);
    assert.equal(got.skipped, want.skipped);
    assert.equal(got.nFolds, 4);
    assert.ok(got.stats instanceof Float64Array, "typed arrays survive the trip");
    sameArray(got.comboIds, want.comboIds, `chunk ${chunk.chunkId} comboIds`);
    sameArray(got.params, want.params, `chunk ${chunk.chunkId} params`);
    sameArray(got.stats, want.stats, `chunk ${chunk.chunkId} stats`);
    sameArray(got.folds, want.folds, `chunk ${chunk.chunkId} folds`);
    rows += got.k;
  });
  // z_exit 2 is invalid with z_entry 1.5 and 2 (|z_exit| < z_entry): 2 of 9 threshold pairs
  assert.equal(rows, (plan.total * 7) / 9);
});

test("a thread error rejects that chunk's promise and the pool keeps working", async () => {
  const plan = planGrid(spec);
  const sp = await loadSlowPair(spec);
  const data = packGridData(sp);
  const group = new GroupPrecompute(sp.pair, spec).compute(groupCombination(plan, 0));
  const pool = createChunkPool({ threads: 1, spec, data });
  try {
    // a group without its z array: the kernel cannot run
    const broken = { ...group, names: ["beta"], types: ["f64" as const] };
    await assert.rejects(pool.run({ chunkId: 0, group: 0, t0: 0, t1: 2 }, 99, broken));
    const ok = await pool.run({ chunkId: 1, group: 0, t0: 0, t1: 2 }, 0, group);
    assert.equal(ok.k + ok.skipped, 2);
  } finally {
    await pool.close();
  }
});
