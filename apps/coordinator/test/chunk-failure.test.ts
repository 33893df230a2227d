// The reason a job failed names the chunk and what really happened to it: how many workers died
// running it (BullMQ's stalledCounter), or how many attempts threw and the last error — not
// BullMQ's "job stalled more than allowable limit (1 attempts)".
import assert from "node:assert/strict";
import { test } from "node:test";
import { chunkFailure, resultFailure } from "../src/chunk-failure.js";

const chunk = { chunkId: 17, group: 2, t0: 3400, t1: 3600 };

test("a chunk that stalled past the limit: the deaths, not the one deferred-failure attempt", () => {
  const facts = {
    failedReason: "job stalled more than allowable limit",
    attemptsMade: 1,
    stalledCounter: 4,
    stacktrace: [],
  };
  assert.equal(
    chunkFailure(chunk, facts),
    "chunk 17 (group 2, thresholds 3400–3599) failed: its worker died 4 times (stalled)",
  );
});

test("a chunk that stalled and also threw: both counts and the last error's first line", () => {
  const facts = {
    failedReason: "job stalled more than allowable limit",
    attemptsMade: 3,
    stalledCounter: 4,
    stacktrace: ["Error: first\n    at x", "Error: blob abc is missing from Redis\n    at y"],
  };
  assert.equal(
    chunkFailure(chunk, facts),
    "chunk 17 (group 2, thresholds 3400–3599) failed: its worker died 4 times (stalled), and it threw 2 times — " +
      "last error: Error: blob abc is missing from Redis",
  );
});

test("a chunk that threw every attempt: the attempts and the last error; a result that could not be stored", () => {
  const facts = { failedReason: "boom\nmore", attemptsMade: 3, stalledCounter: 1, stacktrace: null };
  assert.equal(
    chunkFailure(chunk, facts),
    "chunk 17 (group 2, thresholds 3400–3599) failed after 3 attempts — last error: boom; its worker also died 1 time",
  );
  assert.equal(
    resultFailure(17, { failedReason: "disk full", attemptsMade: 5, stalledCounter: 0, stacktrace: [] }),
    "the result of chunk 17 failed to be stored after 5 attempts — last error: disk full",
  );
});
