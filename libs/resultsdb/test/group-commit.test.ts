// Group commit: chunks that queue up together share one transaction, up to a DuckDB row group of
// rows, so DuckDB can write whole row groups straight to the file; with several lanes, that many
// transactions run at once, and a chunk one lane is writing is never given to another meanwhile.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PendingChunk } from "../src/chunk-ingest.js";
import { GroupCommitter, ROW_GROUP_ROWS } from "../src/group-commit.js";
import { tick } from "./fixtures.js";

const chunk = (chunkId: number, nRows: number, jobId = "j") => ({ jobId, chunkId, nRows }) as PendingChunk;

/** Submits each chunk in a turn of its own, so each may start a group (take an idle lane) alone. */
async function submitApart(committer: GroupCommitter, chunks: PendingChunk[]): Promise<Promise<boolean>[]> {
  const done: Promise<boolean>[] = [];
  for (const c of chunks) {
    done.push(committer.submit(c));
    await tick();
  }
  return done;
}

/** A promise and the function that settles it: lets a test hold a lane's transaction open. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

test("chunks queued together commit in groups of up to one row group of rows", async () => {
  const groups: number[][] = [];
  const committer = new GroupCommitter(async (_lane, chunks) => {
    groups.push(chunks.map((c) => c.chunkId));
    return chunks.map(() => true);
  });
  // 64 chunks of 2048 rows: 131,072 rows, one row group (60 chunks) and the rest
  const written = await Promise.all(Array.from({ length: 64 }, (_, i) => committer.submit(chunk(i, 2048))));
  assert.ok(written.every((w) => w));
  assert.equal(ROW_GROUP_ROWS, 122_880);
  assert.deepEqual(
    groups.map((g) => g.length),
    [60, 4],
  );
});

test("two lanes write two groups at once; what queues meanwhile goes to the lane that frees first", async () => {
  const running = new Map<number, number[]>();
  const gates = [gate(), gate()];
  let most = 0;
  const log: string[] = [];
  const committer = new GroupCommitter(
    async (lane, chunks) => {
      running.set(
        lane,
        chunks.map((c) => c.chunkId),
      );
      most = Math.max(most, running.size);
      log.push(`lane ${lane}: ${chunks.map((c) => c.chunkId).join(",")}`);
      await gates[lane]!.opened;
      running.delete(lane);
      return chunks.map(() => true);
    },
    { lanes: 2 },
  );
  const done = await submitApart(committer, [chunk(0, 100), chunk(1, 100)]);
  done.push(...[2, 3, 4].map((i) => committer.submit(chunk(i, 100))));
  await tick();
  // chunks 0 and 1 each took an idle lane as they came; 2, 3, 4 wait for one of them
  assert.deepEqual(log, ["lane 0: 0", "lane 1: 1"]);
  gates[1]!.open();
  await done[1];
  await done[4];
  assert.deepEqual(log, ["lane 0: 0", "lane 1: 1", "lane 1: 2,3,4"]);
  let drained = false;
  const whenDrained = committer.drained().then(() => (drained = true));
  await tick();
  assert.equal(drained, false, "lane 0 still holds chunk 0");
  gates[0]!.open();
  await whenDrained;
  assert.equal(most, 2);
  assert.deepEqual(await Promise.all(done), [true, true, true, true, true]);
});

test("a chunk delivered again while a lane writes it waits for that transaction, then goes to a lane", async () => {
  const first = gate();
  const log: string[] = [];
  const stored = new Set<number>();
  const committer = new GroupCommitter(
    async (lane, chunks) => {
      log.push(`lane ${lane}: ${chunks.map((c) => c.chunkId).join(",")}`);
      if (log.length === 1) await first.opened;
      // the ledger of a real lane: a chunk already stored is skipped (false)
      return chunks.map((c) => {
        if (stored.has(c.chunkId)) return false;
        stored.add(c.chunkId);
        return true;
      });
    },
    { lanes: 2 },
  );
  const a = committer.submit(chunk(7, 10));
  await tick();
  // chunk 7 again (a redelivery) and chunk 8, while lane 0 still writes chunk 7: lane 1 takes 8 only
  const again = committer.submit(chunk(7, 10));
  const b = committer.submit(chunk(8, 10));
  assert.equal(await b, true);
  assert.deepEqual(log, ["lane 0: 7", "lane 1: 8"]);
  first.open();
  assert.equal(await a, true);
  assert.equal(await again, false);
  assert.equal(log.length, 3);
  assert.match(log[2]!, /^lane [01]: 7$/);
  await committer.drained();
});

test("the same chunk id of two jobs is two chunks", async () => {
  const hold = gate();
  const log: string[] = [];
  const committer = new GroupCommitter(
    async (lane, chunks) => {
      log.push(`lane ${lane}: ${chunks.map((c) => `${c.jobId}/${c.chunkId}`).join(",")}`);
      await hold.opened;
      return chunks.map(() => true);
    },
    { lanes: 2 },
  );
  const done = await submitApart(committer, [chunk(0, 10, "a"), chunk(0, 10, "b")]);
  assert.deepEqual(log, ["lane 0: a/0", "lane 1: b/0"]);
  hold.open();
  assert.deepEqual(await Promise.all(done), [true, true]);
});

test("a failed group is retried chunk by chunk on its lane; only the faulty chunk is rejected", async () => {
  const log: string[] = [];
  const hold = gate();
  const committer = new GroupCommitter(
    async (lane, chunks) => {
      log.push(`lane ${lane}: ${chunks.map((c) => c.chunkId).join(",")}`);
      if (chunks[0]!.chunkId === 0) await hold.opened;
      if (chunks.some((c) => c.chunkId === 3)) throw new Error("bad chunk 3");
      return chunks.map(() => true);
    },
    { lanes: 2 },
  );
  const [first, ...rest] = await submitApart(committer, [chunk(0, 10), chunk(1, 10)]);
  rest.push(...[2, 3, 4].map((i) => committer.submit(chunk(i, 10))));
  const settled = await Promise.allSettled(rest);
  assert.deepEqual(
    settled.map((s) => s.status),
    ["fulfilled", "fulfilled", "rejected", "fulfilled"],
  );
  assert.deepEqual(log, ["lane 0: 0", "lane 1: 1", "lane 1: 2,3,4", "lane 1: 2", "lane 1: 3", "lane 1: 4"]);
  hold.open();
  assert.equal(await first, true);
});

test("a pause waits for every lane's transaction to end, and no group starts until it is done", async () => {
  const hold = [gate(), gate()];
  const log: string[] = [];
  const committer = new GroupCommitter(
    async (lane, chunks) => {
      log.push(`lane ${lane}: ${chunks.map((c) => c.chunkId).join(",")}`);
      if (chunks[0]!.chunkId < 2) await hold[lane]!.opened;
      return chunks.map(() => true);
    },
    { lanes: 2 },
  );
  const done = await submitApart(committer, [chunk(0, 10), chunk(1, 10)]);
  const checkpoint = gate();
  committer.pauseFor(async () => {
    log.push("checkpoint");
    await checkpoint.opened;
  });
  committer.pauseFor(async () => {
    log.push("second checkpoint");
  });
  done.push(committer.submit(chunk(2, 10)));
  hold[0]!.open();
  await done[0];
  await tick();
  assert.deepEqual(log, ["lane 0: 0", "lane 1: 1"], "lane 1 still writes: no checkpoint, no group");
  hold[1]!.open();
  await done[1];
  await tick();
  assert.deepEqual(log, ["lane 0: 0", "lane 1: 1", "checkpoint"], "chunk 2 waits for the checkpoint");
  checkpoint.open();
  assert.equal(await done[2], true);
  assert.deepEqual(log, ["lane 0: 0", "lane 1: 1", "checkpoint", "lane 0: 2"]);
  await committer.drained();
});

test("whilePaused runs after the open transactions and the pauses asked before it, and gives its result", async () => {
  const hold = gate();
  const log: string[] = [];
  const committer = new GroupCommitter(
    async (lane, chunks) => {
      log.push(`lane ${lane}: ${chunks.map((c) => c.chunkId).join(",")}`);
      if (chunks[0]!.chunkId === 0) await hold.opened;
      return chunks.map(() => true);
    },
    { lanes: 2 },
  );
  const [first] = await submitApart(committer, [chunk(0, 10)]);
  committer.pauseFor(async () => {
    log.push("checkpoint");
  });
  const copy = committer.whilePaused(async () => {
    log.push("copy");
    return 42;
  });
  // a failing task rejects its caller only; the next pause and the ingest go on
  const failing = committer.whilePaused(async () => {
    log.push("failing");
    throw new Error("disk full");
  });
  // a second checkpoint while the first waits would do the same work: dropped
  committer.pauseFor(async () => {
    log.push("second checkpoint");
  });
  const later = committer.submit(chunk(1, 10));
  await tick();
  assert.deepEqual(log, ["lane 0: 0"], "lane 0's transaction is open: nothing paused runs yet");
  hold.open();
  assert.equal(await copy, 42);
  await assert.rejects(failing, /disk full/);
  assert.equal(await later, true);
  assert.equal(await first, true);
  assert.deepEqual(log, ["lane 0: 0", "checkpoint", "copy", "failing", "lane 1: 1"]);
  await committer.drained();
});

test("lanes must be a positive integer", () => {
  assert.throws(() => new GroupCommitter(async () => [], { lanes: 0 }), /lanes must be ≥ 1/);
});
