// Group commit: chunks that queue up together share one transaction, up to a DuckDB row group of
// rows, so DuckDB can write whole row groups straight to the file.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PendingChunk } from "../src/chunk-ingest.js";
import { GroupCommitter, ROW_GROUP_ROWS } from "../src/group-commit.js";
import { SerialQueue } from "../src/serial-queue.js";

const chunk = (chunkId: number, nRows: number) => ({ jobId: "j", chunkId, nRows }) as PendingChunk;

test("chunks queued together commit in groups of up to one row group of rows", async () => {
  const queue = new SerialQueue();
  const groups: number[][] = [];
  const committer = new GroupCommitter(
    (task) => queue.run(task),
    async (chunks) => {
      groups.push(chunks.map((c) => c.chunkId));
      return chunks.map(() => true);
    },
  );
  // 64 chunks of 2048 rows: 131,072 rows, one row group (60 chunks) and the rest
  const written = await Promise.all(Array.from({ length: 64 }, (_, i) => committer.submit(chunk(i, 2048))));
  assert.ok(written.every((w) => w));
  assert.equal(ROW_GROUP_ROWS, 122_880);
  assert.deepEqual(
    groups.map((g) => g.length),
    [60, 4],
  );
});
