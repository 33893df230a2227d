// Prometheus metrics of the coordinator (GET /metrics): per-job combinations, chunk durations as
// the workers measured them, queue depths read from Redis at scrape time, ingest volume and rate,
// and per-worker throughput (rate() of pairgrid_worker_combinations_total), chunks whose worker
// is gone (stalled), Redis's memory and the /query snapshot copies that pause ingest. deploy/grafana/ charts these; apps/cli/test
// prometheus-metrics.test.ts checks every series the dashboard uses in a real Prometheus.
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { RateMeter } from "./rate-meter.js";

/** The ioredis connection the coordinator handed the queue (its `connection` option). */
function redisOf(queue: Queue): Redis {
  const conn = queue.opts.connection as unknown as Partial<Redis> | undefined;
  if (typeof conn?.info !== "function") throw new Error("chunk queue: not built on an ioredis connection");
  return conn as Redis;
}

export class CoordinatorMetrics {
  readonly registry = new Registry();
  private readonly ingestMeter = new RateMeter();

  readonly combosTotal = new Gauge({
    name: "pairgrid_job_combinations_total",
    help: "Combination ids in the job's grid",
    labelNames: ["job"],
    registers: [this.registry],
  });
  readonly combosDone = new Gauge({
    name: "pairgrid_job_combinations_done",
    help: "Combination ids whose chunk is stored",
    labelNames: ["job"],
    registers: [this.registry],
  });
  readonly chunkDuration = new Histogram({
    name: "pairgrid_chunk_duration_seconds",
    help: "Time a chunk took on a worker thread",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  readonly ingestRows = new Counter({
    name: "pairgrid_ingest_rows_total",
    help: "Result rows written to DuckDB",
    registers: [this.registry],
  });
  readonly ingestDuration = new Histogram({
    name: "pairgrid_ingest_duration_seconds",
    help: "Time to ingest one chunk's rows (group commit included)",
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
  readonly workerCombos = new Counter({
    name: "pairgrid_worker_combinations_total",
    help: "Combinations processed, by worker process",
    labelNames: ["worker"],
    registers: [this.registry],
  });
  readonly workerFastRows = new Counter({
    name: "pairgrid_worker_fast_rows_scanned_total",
    help: "Fast rows the hybrid kernels read (dollar mode: scanned in held bars after pruning; z-live: processed), by worker process",
    labelNames: ["worker"],
    registers: [this.registry],
  });
  readonly querySnapshots = new Histogram({
    name: "pairgrid_query_snapshot_seconds",
    help:
      "Time a POST /query snapshot of the results file took, by how it was copied: file " +
      "(result ingest waits meanwhile) or duckdb (the fallback; ingest goes on)",
    labelNames: ["how"],
    buckets: [0.05, 0.25, 1, 2.5, 5, 10, 20, 40, 80, 160],
    registers: [this.registry],
  });
  readonly workerChunks = new Counter({
    name: "pairgrid_worker_chunks_total",
    help: "Chunks processed, by worker process",
    labelNames: ["worker"],
    registers: [this.registry],
  });

  constructor(chunkQueue: Queue, resultQueue: Queue) {
    const meter = this.ingestMeter;
    new Gauge({
      name: "pairgrid_ingest_rows_per_second",
      help: "Result rows written to DuckDB per second, last 20 s",
      registers: [this.registry],
      collect() {
        this.set(meter.rate());
      },
    });
    new Gauge({
      name: "pairgrid_chunks",
      help: "Chunk jobs in the queue by state",
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        const counts = await chunkQueue.getJobCounts("waiting", "active", "failed", "delayed", "prioritized");
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: "pairgrid_chunks_stalled",
      help: "Running chunks whose worker lock has expired (worker gone; requeued by the stalled check)",
      registers: [this.registry],
      async collect() {
        // in flight are at most the workers' threads, so checking each lock at scrape time is cheap
        const active = await chunkQueue.getActive(0, 9_999);
        const client = redisOf(chunkQueue);
        let stalled = 0;
        for (const job of active) {
          if (job.id !== undefined && (await client.exists(chunkQueue.toKey(`${job.id}:lock`))) === 0)
            stalled++;
        }
        this.set(stalled);
      },
    });
    new Gauge({
      name: "pairgrid_redis_used_memory_bytes",
      help: "Memory Redis uses (INFO memory used_memory): queued chunks, results and data blobs",
      registers: [this.registry],
      async collect() {
        const info = await redisOf(chunkQueue).info("memory");
        const m = /^used_memory:(\d+)/m.exec(info);
        if (m) this.set(Number(m[1]));
      },
    });
    new Gauge({
      name: "pairgrid_results_waiting",
      help: "Chunk results waiting to be ingested",
      registers: [this.registry],
      async collect() {
        const counts = await resultQueue.getJobCounts("waiting", "active");
        this.set((counts.waiting ?? 0) + (counts.active ?? 0));
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  ingested(rows: number, seconds: number): void {
    this.ingestRows.inc(rows);
    this.ingestMeter.add(rows);
    this.ingestDuration.observe(seconds);
  }
}
