// The worker's Prometheus metrics, in a registry of its own (not prom-client's global one, so
// several workers in one process — tests — do not collide). Counters cover what the coordinator
// cannot see from its side: cancellations and failures here, time on the threads, busy threads.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export interface WorkerCounts {
  processed: number;
  cancelled: number;
  failed: number;
  combos: number;
  /** Threads running a chunk now. */
  busy: number;
}

/** What the worker moved and read for hybrid jobs (beside WorkerCounts, readable the same way). */
export interface WorkerTransfer {
  /** Blob bytes fetched from Redis. */
  blobBytesFetched: number;
  /** Fast day blobs read from the disk cache and fetched from Redis, over job loads. */
  fastBlobsFromCache: number;
  fastBlobsFetched: number;
  /** Fast day blobs a job load did not read: its data was still assembled in memory. */
  fastBlobsFromMemory: number;
  /** Fast rows the hybrid kernels read. */
  fastRows: number;
}

export class WorkerMetrics {
  readonly registry = new Registry();
  /** Same numbers as the counters, readable without parsing the exposition (tests, logs). */
  readonly counts: WorkerCounts = { processed: 0, cancelled: 0, failed: 0, combos: 0, busy: 0 };
  readonly transfer: WorkerTransfer = {
    blobBytesFetched: 0,
    fastBlobsFromCache: 0,
    fastBlobsFetched: 0,
    fastBlobsFromMemory: 0,
    fastRows: 0,
  };

  private readonly processed = new Counter({
    name: "pairgrid_worker_chunks_processed_total",
    help: "Chunks run whose result job was added",
    registers: [this.registry],
  });
  private readonly cancelled = new Counter({
    name: "pairgrid_worker_chunks_cancelled_total",
    help: "Chunks not run or aborted because their grid job was cancelled",
    registers: [this.registry],
  });
  private readonly failed = new Counter({
    name: "pairgrid_worker_chunks_failed_total",
    help: "Chunk attempts that threw (BullMQ retries them up to the job's attempts)",
    registers: [this.registry],
  });
  private readonly combos = new Counter({
    name: "pairgrid_worker_combinations_processed_total",
    help: "Combinations covered by processed chunks, invalid ones included",
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: "pairgrid_worker_chunk_duration_seconds",
    help: "Time a chunk spent on its thread",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  private readonly blobBytesFetched = new Counter({
    name: "pairgrid_worker_blob_bytes_fetched_total",
    help: "Blob bytes fetched from Redis (base, hedge and fast day blobs, as stored: fast days compressed)",
    registers: [this.registry],
  });
  private readonly fastBlobReads = new Counter({
    name: "pairgrid_worker_fast_blob_reads_total",
    help: "Fast day blobs a job load needed, by where they came from (memory: still assembled from an earlier job, cache: the worker's disk cache, redis: fetched)",
    labelNames: ["source"],
    registers: [this.registry],
  });
  private readonly fastRows = new Counter({
    name: "pairgrid_worker_fast_rows_scanned_total",
    help: "Fast rows the hybrid kernels read (dollar mode: rows scanned in held bars after pruning; z-live: rows processed), summed over combinations",
    registers: [this.registry],
  });
  private readonly busy = new Gauge({
    name: "pairgrid_worker_busy_threads",
    help: "Threads running a chunk now",
    registers: [this.registry],
  });

  /** `workerId` labels every series; the gauges' sources are read at scrape time. */
  constructor(workerId: string, read: { blobBytes: () => number; jobContexts: () => number }) {
    this.registry.setDefaultLabels({ worker: workerId });
    new Gauge({
      name: "pairgrid_worker_blob_cache_bytes",
      help: "Decoded base and hedge arrays held by the blob cache",
      registers: [this.registry],
      collect() {
        this.set(read.blobBytes());
      },
    });
    new Gauge({
      name: "pairgrid_worker_job_contexts",
      help: "Jobs whose threads and arrays this worker holds (released when a job finishes or is cancelled)",
      registers: [this.registry],
      collect() {
        this.set(read.jobContexts());
      },
    });
    // process metrics: RSS, heap, CPU, event-loop lag, GC
    collectDefaultMetrics({ register: this.registry });
  }

  threadBusy(): void {
    this.busy.inc();
    this.counts.busy++;
  }

  threadIdle(): void {
    this.busy.dec();
    this.counts.busy--;
  }

  chunkProcessed(combos: number, ms: number): void {
    this.processed.inc();
    this.combos.inc(combos);
    this.duration.observe(ms / 1000);
    this.counts.processed++;
    this.counts.combos += combos;
  }

  blobFetched(bytes: number): void {
    this.blobBytesFetched.inc(bytes);
    this.transfer.blobBytesFetched += bytes;
  }

  fastBlobsRead(fromCache: number, fetched: number, fromMemory = 0): void {
    this.fastBlobReads.inc({ source: "memory" }, fromMemory);
    this.fastBlobReads.inc({ source: "cache" }, fromCache);
    this.fastBlobReads.inc({ source: "redis" }, fetched);
    this.transfer.fastBlobsFromMemory += fromMemory;
    this.transfer.fastBlobsFromCache += fromCache;
    this.transfer.fastBlobsFetched += fetched;
  }

  fastRowsScanned(rows: number): void {
    this.fastRows.inc(rows);
    this.transfer.fastRows += rows;
  }

  chunkCancelled(): void {
    this.cancelled.inc();
    this.counts.cancelled++;
  }

  chunkFailed(): void {
    this.failed.inc();
    this.counts.failed++;
  }
}
