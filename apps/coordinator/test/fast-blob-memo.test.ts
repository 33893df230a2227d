// The coordinator keeps the fast day blobs it cut for a hybrid job (fast-blob-memo.ts) for the next
// job over the same files, and only while the files are unchanged: a second submission ships the
// kept blobs; a fast file rewritten with a bad line is read again and refused (400 naming it, not
// the old blobs); put back, it is read and cut afresh. Real coordinator, Redis and HTTP
// (live-coordinator.ts); no worker, so the jobs stay running — only submission and shipping are
// looked at, through the coordinator's log and the manifests in Redis.
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { writeSynthFiles } from "@pairgrid/engine";
import { type LiveCoordinator, startLiveCoordinator } from "./live-coordinator.js";

let live: LiveCoordinator;
before(async () => {
  live = await startLiveCoordinator();
  writeSynthFiles(join(live.root, "data"), { days: 2, seed: 11, bar_minutes: 5, fast_seconds: 1 });
});
after(() => live?.stop());

const SPEC = {
  name: "memo",
  data: {
    a: { symbol: "NQ", slow: "data/NQ.csv", fast: "data/NQ_fast.csv", multiplier: 20, tick_size: 0.25 },
    b: { symbol: "YM", slow: "data/YM.csv", fast: "data/YM_fast.csv", multiplier: 5, tick_size: 1 },
    bar_minutes: 5,
    fast_seconds: 1,
  },
  engine: "hybrid_dollar",
  params: { ols_window: 120, zscore_window: 40, z_entry: 1.5, z_exit: 0, dollar_tp: [100, 200] },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function submit(): Promise<{ status: number; body: Record<string, unknown> }> {
  const { status, text } = await live.post(JSON.stringify(SPEC), "application/json");
  return { status, body: JSON.parse(text) as Record<string, unknown> };
}

/** The coordinator's "fast data" line of a job, once it has shipped it. */
async function shippedLine(jobId: string): Promise<string> {
  for (let t0 = Date.now(); Date.now() - t0 < 20_000; await sleep(50)) {
    const line = live.logs.find((l) => l.includes(`job ${jobId}: fast data:`));
    if (line !== undefined) return line;
  }
  assert.fail(`job ${jobId} shipped no fast data:\n${live.logs.join("\n")}`);
}

const blobsOf = (line: string) => /fast data: (\d+ day blobs, \d+ bytes \(\d+ rows)/.exec(line)?.[1];

test("kept for the next job over the same files, read again once a file changes", async () => {
  const first = await submit();
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const cut = await shippedLine(String(first.body.job_id));
  assert.doesNotMatch(cut, /earlier job/);

  const second = await submit();
  assert.equal(second.status, 201, JSON.stringify(second.body));
  const kept = await shippedLine(String(second.body.job_id));
  assert.match(kept, /cut for an earlier job over the same files/);
  assert.equal(blobsOf(kept), blobsOf(cut));

  // a bad line appended to a fast file: read again, and refused as any bad file is
  const file = join(live.root, "data", "NQ_fast.csv");
  const good = readFileSync(file);
  appendFileSync(file, "2024/13/45, 99:99:99, x, y, z, w, v\n");
  const bad = await submit();
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.equal(bad.body.path, "data.a.fast", JSON.stringify(bad.body));

  // put back (a new mtime and ctime): read and cut afresh, the same blobs as the first time
  writeFileSync(file, good);
  const back = await submit();
  assert.equal(back.status, 201, JSON.stringify(back.body));
  const again = await shippedLine(String(back.body.job_id));
  assert.doesNotMatch(again, /earlier job/);
  assert.equal(blobsOf(again), blobsOf(cut));
});
