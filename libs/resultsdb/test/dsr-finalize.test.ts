// finalizeDsr stores, for every row of the job, what the engine's deflatedSharpeColumns gives over
// all of that job's rows (ENGINE.md §7) — NULL where it is undefined — and touches no other job.
import assert from "node:assert/strict";
import { test } from "node:test";
import { deflatedSharpeColumns } from "@pairgrid/engine";
import { ResultsDb } from "../src/index.js";
import { freshDbPath, inspect, makeBatch, newJob, range, statValue } from "./fixtures.js";

function expectedDsr(comboIds: number[]): (number | null)[] {
  const col = (stat: string) => Float64Array.from(comboIds, (id) => statValue(id, stat));
  const out = deflatedSharpeColumns(
    col("sharpe"),
    col("n_days"),
    col("skew"),
    col("kurtosis"),
    new Float64Array(comboIds.length),
  );
  return Array.from(out, (v) => (Number.isNaN(v) ? null : v));
}

test("finalizeDsr matches deflatedSharpeColumns over all the job's rows, per job", async () => {
  const file = freshDbPath("dsr");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("a"));
  await db.createJob(newJob("b"));
  // job a in three chunks (out of order), job b interleaved: N differs per job
  const aIds = range(0, 2500);
  await db.ingestChunk("a", 2, makeBatch(range(2000, 2500)));
  await db.ingestChunk("b", 0, makeBatch(range(0, 40)));
  await db.ingestChunk("a", 0, makeBatch(range(0, 1000)));
  await db.ingestChunk("a", 1, makeBatch(range(1000, 2000)));
  await db.finalizeDsr("a");
  await db.close();

  const rows = await inspect(file, "SELECT combo_id, dsr FROM results WHERE job_id = 'a' ORDER BY combo_id");
  const want = expectedDsr(aIds);
  assert.equal(rows.length, aIds.length);
  let nulls = 0;
  rows.forEach((row, i) => {
    const w = want[i]!;
    if (w === null) {
      nulls++;
      assert.equal(row.dsr, null, `combo ${row.combo_id}`);
    } else {
      assert.ok(Math.abs((row.dsr as number) - w) < 1e-12, `combo ${row.combo_id}: ${row.dsr} vs ${w}`);
    }
  });
  assert.ok(nulls >= 500, "rows with a NULL sharpe have a NULL dsr");
  assert.ok(nulls < rows.length);
  const [b] = await inspect(file, "SELECT count(dsr) AS n FROM results WHERE job_id = 'b'");
  assert.equal(b!.n, 0, "job b not finalized");
});

test("finalizeDsr again after more rows: every value recomputed with the new N", async () => {
  const file = freshDbPath("dsr-again");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  await db.ingestChunk("j", 0, makeBatch(range(0, 30)));
  await db.finalizeDsr("j");
  await db.ingestChunk("j", 1, makeBatch(range(30, 60)));
  await db.finalizeDsr("j");
  await db.close();
  const rows = await inspect(file, "SELECT dsr FROM results ORDER BY combo_id");
  assert.deepEqual(
    rows.map((r) => r.dsr),
    expectedDsr(range(0, 60)),
  );
});

test("a single-row job has a NULL dsr (N < 2)", async () => {
  const file = freshDbPath("dsr-one");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  await db.ingestChunk("j", 0, makeBatch([1]));
  await db.finalizeDsr("j");
  await db.close();
  assert.deepEqual(await inspect(file, "SELECT dsr FROM results"), [{ dsr: null }]);
});

test("finalizeDsr is deflatedSharpeColumns bit for bit, with dense ids and with ids too sparse to place", async () => {
  // dense ids are placed by id; ids 1000 apart are read sorted by DuckDB instead (dsr-finalize.ts)
  for (const ids of [range(0, 3000).filter((i) => i % 7 !== 2), range(0, 300).map((i) => i * 1000 + 5)]) {
    const file = freshDbPath("dsr-exact");
    const db = await ResultsDb.open(file);
    await db.createJob(newJob("j"));
    // chunks written last first: the file's row order is not the ids' order
    for (let c = Math.ceil(ids.length / 500) - 1; c >= 0; c--) {
      await db.ingestChunk("j", c, makeBatch(ids.slice(c * 500, c * 500 + 500)));
    }
    await db.finalizeDsr("j");
    await db.close();
    const rows = await inspect(file, "SELECT combo_id, dsr FROM results ORDER BY combo_id");
    assert.deepEqual(
      rows.map((r) => r.dsr),
      expectedDsr(ids),
    );
  }
});
