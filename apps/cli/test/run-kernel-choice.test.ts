// `pairgrid run --kernel`: the event-driven kernel and the bar-scan kernel store the same rows (every
// parameter, statistic, dsr and fold value, bit for bit) on a grid with stops, holds, gates and
// dollar exits (which the event kernel leaves to the bar scan); `auto` says which one it took; a bad
// value is refused with exit 2 naming the flag.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { pairgrid } from "./cli-helpers.js";
import { assertSameResults, makeRunDir, runToEnd, specObject, writeSpec } from "./run-fixtures.js";

const rd = makeRunDir("run-kernel", 25, 9);
const spec = writeSpec(
  rd,
  "grid.json",
  specObject({
    ols_window: [120, 240],
    zscore_window: [30, 60],
    z_entry: [1.5, 2, 2.5],
    z_exit: [-0.5, 0, 0.5],
    z_stop: [null, 3, 3.5],
    max_hold: [0, 20, 60],
    dollar_tp: [null, 400],
    corr_window: 200,
    min_corr: [null, 0.5],
  }),
);

test("events, scan and auto kernels store identical rows; the log names the kernel", async () => {
  const runs = (["events", "scan", "auto"] as const).map((kernel) => {
    const db = join(rd.dir, `${kernel}.duckdb`);
    const { jobId, r } = runToEnd(rd, [spec, "--db", db, "--threads", "2", "--kernel", kernel]);
    return { kernel, db, jobId, stderr: r.stderr };
  });
  assert.match(runs[0]!.stderr, /event-driven kernel/);
  assert.match(runs[1]!.stderr, /bar-scan kernel/);
  // 3 × 3 × 3 × 3 × 2 × 2 = 324 threshold sets per group against 32 levels: auto takes events
  assert.match(runs[2]!.stderr, /event-driven kernel/);
  const n = await assertSameResults([runs[0]!.db, runs[1]!.db], [runs[0]!.jobId, runs[1]!.jobId]);
  assert.equal(n, 4 * 324, "every combination of the 4 groups");
  await assertSameResults([runs[0]!.db, runs[2]!.db], [runs[0]!.jobId, runs[2]!.jobId]);
});

test("--kernel with an unknown value exits 2 naming the flag", () => {
  const r = pairgrid(["run", spec, "--db", join(rd.dir, "bad.duckdb"), "--kernel", "fast"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--kernel fast: expected one of auto, events, scan/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
});
