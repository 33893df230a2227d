// Rankings: order (NULLs last, ties by combo id), direction, the min-trades filter, the limit, the
// default job, and refusals of bad metrics and unknown jobs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError, PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import { ResultsDb } from "../src/index.js";
import { freshDbPath, makeBatch, newJob, range, statValue } from "./fixtures.js";

async function rankedDb() {
  const db = await ResultsDb.open(freshDbPath("top"));
  await db.createJob(newJob("old"));
  await db.ingestChunk("old", 0, makeBatch(range(0, 10)));
  await db.createJob(newJob("new"));
  await db.ingestChunk("new", 0, makeBatch(range(0, 50)));
  await db.ingestChunk("new", 1, makeBatch(range(50, 100)));
  await db.finalizeDsr("new");
  return db;
}

const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r.combo_id as number);

/** What the ranking must be, computed from the fixture's statistic formula. */
function expectedOrder(by: string, minTrades: number, ascending: boolean, comboIds: number[]) {
  return comboIds
    .filter((id) => statValue(id, "n_trades") >= minTrades)
    .filter((id) => !Number.isNaN(statValue(id, by)))
    .sort((x, y) => {
      const d = statValue(x, by) - statValue(y, by);
      return (ascending ? d : -d) || x - y;
    });
}

test("top: sorted by the metric, largest first, ties by combo id, filtered and limited", async () => {
  const db = await rankedDb();
  const rows = await db.top({ jobId: "new", by: "sharpe", minTrades: 10, limit: 15 });
  assert.deepEqual(ids(rows), expectedOrder("sharpe", 10, false, range(0, 100)).slice(0, 15));
  for (const r of rows) assert.ok((r.n_trades as number) >= 10);
  assert.deepEqual(Object.keys(rows[0]!), ["combo_id", ...PARAM_NAMES, ...STAT_NAMES, "dsr"]);
  assert.equal(typeof rows[0]!.combo_id, "number");
  assert.equal(typeof rows[0]!.dsr, "number");
  assert.equal(rows[0]!.z_stop, null);

  const asc = await db.top({ jobId: "new", by: "max_dd", minTrades: 0, limit: 5, ascending: true });
  assert.deepEqual(ids(asc), expectedOrder("max_dd", 0, true, range(0, 100)).slice(0, 5));
  await db.close();
});

test("top: NULL metric values come last in both directions", async () => {
  const db = await rankedDb();
  for (const ascending of [false, true]) {
    const rows = await db.top({ jobId: "new", by: "profit_factor", minTrades: 0, limit: 100, ascending });
    const firstNull = rows.findIndex((r) => r.profit_factor === null);
    assert.equal(firstNull, expectedOrder("profit_factor", 0, ascending, range(0, 100)).length);
    assert.ok(rows.slice(firstNull).every((r) => r.profit_factor === null));
  }
  await db.close();
});

test("top: default job is the latest; unknown job, unknown metric and bad limits are InputErrors", async () => {
  const db = await rankedDb();
  const latest = await db.top({ by: "dsr", minTrades: 0, limit: 1000 });
  assert.equal(latest.length, 100, "the 'new' job");
  assert.equal((await db.top({ jobId: "old", by: "dsr", minTrades: 0, limit: 1000 })).length, 10);
  assert.equal((await db.top({ by: "sharpe", minTrades: 1000, limit: 10 })).length, 0);
  await assert.rejects(db.top({ jobId: "zzz", by: "sharpe", minTrades: 0, limit: 5 }), InputError);
  await assert.rejects(db.top({ by: "sharpe; DROP TABLE results", minTrades: 0, limit: 5 }), InputError);
  await assert.rejects(db.top({ by: "z_entry", minTrades: 0, limit: 5 }), /unknown metric 'z_entry'/);
  await assert.rejects(db.top({ by: "sharpe", minTrades: -1, limit: 5 }), InputError);
  await assert.rejects(db.top({ by: "sharpe", minTrades: 0, limit: 0 }), InputError);
  await db.close();
});

test("varyingParams names the parameters that take more than one value in the job", async () => {
  const db = await rankedDb();
  assert.deepEqual(await db.varyingParams("new"), ["zscore_window", "z_entry"]);
  await db.close();
  const empty = await ResultsDb.open(freshDbPath("top-empty"));
  await assert.rejects(empty.top({ by: "sharpe", minTrades: 0, limit: 5 }), /no jobs/);
  await empty.close();
});
