// The per-job tally of fast-side work the job view shows: sums per worker and in all, nothing for
// slow results, and only the last jobs kept.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastWork } from "../src/fast-work.js";

test("fast work: per worker and in all; slow results leave the job unseen", () => {
  const w = new FastWork();
  w.add("aaaaaaaa", "h:2", 100, 0);
  w.add("aaaaaaaa", "h:1", 50, 4096);
  w.add("aaaaaaaa", "h:2", 25, 0);
  w.add("bbbbbbbb", "h:1", 0, 0);
  assert.deepEqual(w.view("aaaaaaaa"), {
    rows_scanned: 175,
    blob_bytes_fetched: 4096,
    by_worker: [
      { worker: "h:1", rows_scanned: 50, blob_bytes_fetched: 4096 },
      { worker: "h:2", rows_scanned: 125, blob_bytes_fetched: 0 },
    ],
  });
  assert.equal(w.view("bbbbbbbb"), null);
  assert.equal(w.view("cccccccc"), null);
});

test("fast work: the oldest job's counts go once more jobs than kept are seen", () => {
  const w = new FastWork(2);
  w.add("j1", "h:1", 1, 0);
  w.add("j2", "h:1", 2, 0);
  w.add("j1", "h:1", 1, 0); // a job already kept does not push another out
  assert.equal(w.view("j1")?.rows_scanned, 2);
  w.add("j3", "h:1", 3, 0);
  assert.equal(w.view("j1"), null);
  assert.equal(w.view("j2")?.rows_scanned, 2);
  assert.equal(w.view("j3")?.rows_scanned, 3);
});
