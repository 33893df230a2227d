// Ingest rate, 100 k rows in chunks of 1000 with 16 folds each (the default rank.folds): printed
// as a test diagnostic, and held above what one core's grid run produces (~3 k rows/s) with room.
// Measured twice: awaiting each chunk (one transaction per chunk), and with every chunk in flight
// at once, as when a worker pool outpaces the database (chunks then share group commits).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ResultsDb } from "../src/index.js";
import { freshDbPath, makeBatch, newJob, range } from "./fixtures.js";

const ROWS = 100_000;
const CHUNK = 1000;

async function measure(concurrent: boolean) {
  const db = await ResultsDb.open(freshDbPath("throughput"));
  await db.createJob(newJob("j"));
  // batches built beforehand: the measurement is the database side only
  const batches = range(0, ROWS / CHUNK).map((c) =>
    makeBatch(range(c * CHUNK, (c + 1) * CHUNK), { nFolds: 16 }),
  );
  const t0 = performance.now();
  if (concurrent) {
    const written = await Promise.all(batches.map((b, c) => db.ingestChunk("j", c, b)));
    assert.ok(written.every((w) => w));
  } else {
    for (let c = 0; c < batches.length; c++) assert.equal(await db.ingestChunk("j", c, batches[c]!), true);
  }
  const seconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await db.finalizeDsr("j");
  const dsrSeconds = (performance.now() - t1) / 1000;
  assert.equal((await db.getJob("j"))!.n_done, ROWS);
  await db.close();
  return { rate: ROWS / seconds, seconds, dsrSeconds };
}

test("ingest throughput: 100 k rows in chunks of 1000", async (t) => {
  for (const concurrent of [false, true]) {
    const { rate, seconds, dsrSeconds } = await measure(concurrent);
    t.diagnostic(
      `${concurrent ? "all chunks in flight" : "one chunk at a time"}: ingest ${Math.round(rate)} rows/s ` +
        `(+${(ROWS * 16) / 1000} k fold rows) in ${seconds.toFixed(2)} s; ` +
        `finalizeDsr over ${ROWS} rows ${dsrSeconds.toFixed(2)} s`,
    );
    assert.ok(rate > 5000, `ingest too slow: ${Math.round(rate)} rows/s`);
  }
});
