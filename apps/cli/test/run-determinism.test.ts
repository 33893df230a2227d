// `pairgrid run` gives the same rows — every parameter, statistic, dsr and fold value, bit for
// bit — whatever the number of threads and the chunk size: each combination is computed alone,
// and only the order in which chunks arrive changes.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { assertSameResults, jobState, makeRunDir, runToEnd, specObject, writeSpec } from "./run-fixtures.js";

const rd = makeRunDir("run-det", 25, 5);
// 4 groups × 144 threshold sets; z_exit 2 is invalid with z_entry 1.5 and 2 (skipped)
const spec = writeSpec(
  rd,
  "grid.json",
  specObject({
    ols_window: [120, 240],
    zscore_window: [30, 60],
    z_entry: [1.5, 2, 2.5],
    z_exit: [0, 0.5, 2],
    z_stop: [null, 3.5],
    max_hold: [0, 60],
    corr_window: 200,
    min_corr: [null, 0.5],
    hl_window: 150,
    hl_max: [null, 120],
  }),
);

test("threads 1, 2, 4 and two chunk sizes store identical results", async () => {
  const runs = [
    { threads: 1, chunk: 50 },
    { threads: 2, chunk: 50 },
    { threads: 4, chunk: 50 },
    { threads: 2, chunk: 7 },
  ].map(({ threads, chunk }) => {
    const db = join(rd.dir, `t${threads}-c${chunk}.duckdb`);
    const { jobId, r } = runToEnd(rd, [
      spec,
      "--db",
      db,
      "--threads",
      String(threads),
      "--chunk-size",
      String(chunk),
    ]);
    assert.match(r.stderr, new RegExp(`${threads} threads`), "the thread count asked for");
    return { db, jobId };
  });
  const first = runs[0]!;
  const state = await jobState(first.db, first.jobId);
  assert.equal(state.status, "done");
  assert.ok(state.finished, "finished_at stamped");
  assert.equal(state.rows, 4 * 144 * (7 / 9), "every valid combination, no invalid one");
  assert.equal(state.nCombos, state.rows, "n_combos counts the valid combinations");
  assert.equal(state.nDone, state.rows);
  for (const other of runs.slice(1)) {
    const n = await assertSameResults([first.db, other.db], [first.jobId, other.jobId]);
    assert.equal(n, state.rows);
  }
});
