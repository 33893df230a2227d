// What moving one W6 chunk result (26,600 rows) from a worker to the coordinator costs in CPU, on a
// private redis-server: the rows as base64 inside BullMQ job data (how results travelled before)
// against raw bytes in a Redis hash field beside a small job (libs/cluster result-job.ts). Node's
// CPU covers both ends (encode, add, fetch, decode) in this one process; Redis's is read from
// /proc. Usage: node bench/result-transport.mjs [chunks=8]
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { decodeChunkResult, encodeChunkResult, FOLD_WIDTH, N_STATS, PARAM_NAMES } from "@pairgrid/engine";
import { createServer } from "node:net";

const N = Number(process.argv[2] ?? 8);
const k = 26_600;
const nFolds = 16;
const rnd = (len, scale) => Float64Array.from({ length: len }, () => Math.random() * scale);
const result = {
  chunkId: 0,
  k,
  skipped: 0,
  comboIds: Float64Array.from({ length: k }, (_, i) => i),
  params: rnd(k * PARAM_NAMES.length, 1),
  stats: rnd(k * N_STATS, 1000),
  folds: rnd(k * nFolds * FOLD_WIDTH, 1),
  nFolds,
};

const dir = mkdtempSync(join(tmpdir(), "result-transport-"));
const port = await new Promise((r) => {
  const srv = createServer().listen(0, "127.0.0.1", () => {
    const p = srv.address().port;
    srv.close(() => r(p));
  });
});
const server = spawn(
  "redis-server",
  ["--port", String(port), "--dir", dir, "--save", "", "--appendonly", "no"],
  {
    stdio: "ignore",
  },
);
const connection = { host: "127.0.0.1", port, maxRetriesPerRequest: null };
await new Promise((r) => setTimeout(r, 300)); // the server listening
const producer = new Redis(connection);
const consumer = new Redis(connection);
const queue = new Queue("results", { connection: producer });

const nodeMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e3;
};
const redisMs = () => {
  const f = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, 100 ticks per second
};

/** Publishes N results with `publish`, takes them with `take`, and returns CPU ms per chunk. */
async function measure(name, publish, take) {
  // BullMQ's worker blocks on a connection of its own (and leaves closing it to its owner)
  const blocking = consumer.duplicate();
  let got = 0;
  let done;
  const all = new Promise((r) => (done = r));
  const worker = new Worker(
    "results",
    async (job) => {
      const r = await take(job);
      if (r.k !== k) throw new Error("decoded the wrong rows");
      if (++got === N) done();
    },
    { connection: blocking, autorun: false },
  );
  const n0 = nodeMs();
  const r0 = redisMs();
  for (let i = 0; i < N; i++) await publish(i);
  void worker.run();
  await all;
  await worker.close();
  blocking.disconnect();
  const node = (nodeMs() - n0) / N;
  const redis = (redisMs() - r0) / N;
  console.log(`${name}: node ${node.toFixed(0)} ms, redis ${redis.toFixed(0)} ms per chunk`);
  return { node_ms: Math.round(node), redis_ms: Math.round(redis) };
}

try {
  const out = {
    chunk_rows: k,
    chunk_bytes: encodeChunkResult(result).length,
    base64_job_data: await measure(
      "base64 job data",
      (i) =>
        queue.add(
          "result",
          { chunkId: i, payload: encodeChunkResult(result).toString("base64") },
          { jobId: `a-${i}`, removeOnComplete: true },
        ),
      (job) => decodeChunkResult(Buffer.from(job.data.payload, "base64")),
    ),
    hash_field: await measure(
      "bytes in a hash field",
      async (i) => {
        await producer.hset("rows", String(i), encodeChunkResult(result));
        await queue.add("result", { chunkId: i }, { jobId: `b-${i}`, removeOnComplete: true });
      },
      async (job) => {
        const r = decodeChunkResult(await consumer.hgetBuffer("rows", String(job.data.chunkId)));
        await consumer.hdel("rows", String(job.data.chunkId));
        return r;
      },
    ),
  };
  console.log(JSON.stringify(out));
} finally {
  await queue.close();
  producer.disconnect();
  consumer.disconnect();
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
