// Everything written survives close and reopen, read-write and read-only.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ResultsDb } from "../src/index.js";
import { freshDbPath, makeBatch, newJob, range } from "./fixtures.js";

test("after close, a reopened file shows jobs, rows, ledger, dsr and status", async () => {
  const file = freshDbPath("reopen");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j", { rank: { by: "dsr", min_trades: 3 } }));
  await db.ingestChunk("j", 0, makeBatch(range(0, 20)));
  await db.ingestChunk("j", 1, makeBatch(range(20, 40)));
  await db.finalizeDsr("j");
  await db.setStatus("j", "done", true);
  const before = await db.top({ by: "dsr", minTrades: 3, limit: 10 });
  await db.close();
  await db.close(); // closing twice is harmless
  await assert.rejects(db.listJobs(), /closed/);

  for (const readOnly of [false, true]) {
    const again = await ResultsDb.open(file, { readOnly });
    const job = (await again.getJob("j"))!;
    assert.equal(job.status, "done");
    assert.equal(job.n_done, 40);
    assert.deepEqual(job.spec, { rank: { by: "dsr", min_trades: 3 } });
    assert.deepEqual([...(await again.doneChunks("j"))].sort(), [0, 1]);
    assert.deepEqual(await again.top({ by: "dsr", minTrades: 3, limit: 10 }), before);
    // a write-mode reopen still knows the ledger: a redelivered chunk is refused
    if (!readOnly) assert.equal(await again.ingestChunk("j", 1, makeBatch(range(20, 40))), false);
    await again.close();
  }
});
