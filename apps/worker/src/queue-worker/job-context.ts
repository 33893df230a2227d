// Everything a worker needs to run chunks of one grid job, built once per job from its manifest:
// the spec and plan, the base arrays (one SharedArrayBuffer shared with every thread), for a
// hybrid grid its fast side (fast-data.ts, shared the same way), a chunk pool whose threads hold
// them, and the job's group arrays. Chunks hold the context while they use it; a context pushed
// out of the cache (or whose job was cancelled) closes its pool once the last of them lets go.
import {
  BASE_ARRAYS,
  type Chunk,
  type GridData,
  type GridPlan,
  type GridSpec,
  eventSettingsFor,
  type KernelChoice,
  planGrid,
  unpackArrays,
} from "@pairgrid/engine";
import { UnrecoverableError } from "bullmq";
import type { Redis } from "ioredis";
import { GroupArrays } from "@pairgrid/jobs";
import { type ChunkPool, createChunkPool } from "@pairgrid/threads";
import { clusterEngineRefusal, type JobManifest, jobManifestSchema, manifestKey } from "@pairgrid/cluster";
import type { BlobCache } from "./blob-cache.js";
import type { DiskBlobCache } from "./disk-blob-cache.js";
import { type FastDataLoad, loadFastData } from "./fast-data.js";
import type { FastDataMemo } from "./fast-data-memo.js";

/**
 * Groups kept per job: the one or two in flight plus one. Each holds its event index (~70 MB on
 * 331 k bars), and a chunk of an evicted group is still right: it recomputes the group.
 */
export const GROUPS_KEPT = 3;

export interface JobContextDeps {
  redis: Redis;
  blobs: BlobCache;
  /** Where a hybrid job's fast day blobs come from (kept on disk across jobs). */
  fastBlobs: DiskBlobCache;
  /** The last assembled fast sides, for the next job over the same data (none: always load). */
  fastMemo?: FastDataMemo | null;
  threads: number;
  /** Which slow kernel the job's groups are built for (kernel-choice.ts); default auto. */
  kernel?: KernelChoice;
}

export class JobContext {
  private users = 0;
  private retired = false;
  private poolClosing = false;
  private resolvePoolClosed!: () => void;
  private readonly poolClosed = new Promise<void>((resolve) => (this.resolvePoolClosed = resolve));
  /** Fast blob bytes this load fetched from Redis not yet reported on a result (takeBlobBytes). */
  private unreportedBlobBytes: number;

  private constructor(
    readonly jobId: string,
    readonly manifest: JobManifest,
    readonly spec: GridSpec,
    readonly plan: GridPlan,
    readonly data: GridData,
    readonly pool: ChunkPool,
    readonly groups: GroupArrays,
    /** A hybrid job's fast side as loaded (null for a slow job). */
    readonly fast: FastDataLoad | null,
  ) {
    this.unreportedBlobBytes = fast?.fetchedBytes ?? 0;
  }

  /**
   * The fast blob bytes fetched for this job not yet reported, now counted as reported: the next
   * result published carries them (the job's progress shows them per worker). A publish that
   * fails hands them back (returnBlobBytes), so they ride on a later result instead.
   */
  takeBlobBytes(): number {
    const bytes = this.unreportedBlobBytes;
    this.unreportedBlobBytes = 0;
    return bytes;
  }

  returnBlobBytes(bytes: number): void {
    this.unreportedBlobBytes += bytes;
  }

  /** Fetches the manifest and base blob and starts the job's pool. */
  static async load(
    jobId: string,
    { redis, blobs, fastBlobs, fastMemo = null, threads, kernel = "auto" }: JobContextDeps,
  ): Promise<JobContext> {
    const raw = await redis.get(manifestKey(jobId));
    // a missing manifest is not final: the chunk is retried (the job may be being cleaned up)
    if (raw === null) throw new Error(`job ${jobId}: no manifest in Redis`);
    const parsed = jobManifestSchema.safeParse(parseJson(raw));
    if (!parsed.success) throw new UnrecoverableError(`job ${jobId}: bad manifest: ${parsed.error.message}`);
    const manifest = parsed.data;
    // validated by the coordinator before it wrote the manifest
    const spec = manifest.spec as unknown as GridSpec;
    if (clusterEngineRefusal(spec.engine) !== null) {
      throw new UnrecoverableError(`job ${jobId}: engine ${spec.engine} does not run on the cluster`);
    }
    const plan = planGrid(spec, Number.MAX_SAFE_INTEGER);
    const base = await blobs.get(manifest.base);
    const arrays = unpackArrays(base);
    const missing = BASE_ARRAYS.filter((name) => arrays[name] === undefined);
    if (missing.length > 0) {
      throw new UnrecoverableError(`job ${jobId}: base blob lacks ${missing.join(", ")}`);
    }
    const closes = {
      a: { close: arrays.closeA as Float64Array },
      b: { close: arrays.closeB as Float64Array },
    };
    const fast = await loadFastData(jobId, spec, manifest, base, fastBlobs, fastMemo);
    const groups = new GroupArrays({
      spec,
      plan,
      // z-live groups run the indicator pipeline too, which reads the closes only
      pair: closes,
      events: eventSettingsFor(spec, plan, base, kernel),
      // each hedge from the blob the coordinator shipped, not the rolling regression again here
      hedges: (key) => {
        const sha = manifest.hedges[key];
        if (sha === undefined) throw new UnrecoverableError(`job ${jobId}: the manifest has no hedge ${key}`);
        return blobs.get(sha);
      },
      // chunks arrive group-major: the one or two groups in flight plus one
      retention: { keep: GROUPS_KEPT },
    });
    const data: GridData = { base, barMs: manifest.barMs, nDays: manifest.nDays };
    const pool = createChunkPool({ threads, spec, data, hybrid: fast?.data ?? null });
    return new JobContext(jobId, manifest, spec, plan, data, pool, groups, fast);
  }

  /** Refuses (UnrecoverableError: retrying cannot help) a chunk outside this job's grid. */
  checkChunk(chunk: Chunk): void {
    const { nGroups, perGroup } = this.plan;
    if (chunk.group >= nGroups || chunk.t0 >= chunk.t1 || chunk.t1 > perGroup) {
      throw new UnrecoverableError(
        `job ${this.jobId}: chunk ${chunk.chunkId} (group ${chunk.group}, [${chunk.t0}, ${chunk.t1})) ` +
          `is outside the grid (${nGroups} groups × ${perGroup})`,
      );
    }
  }

  /** Takes a hold on the context; false once it is retired (the caller loads a fresh one). */
  tryAcquire(): boolean {
    if (this.retired) return false;
    this.users++;
    return true;
  }

  release(): void {
    this.users--;
    if (this.retired && this.users === 0) this.closePool();
  }

  /** No new holds; the pool closes when the last hold is released. Resolves once it has. */
  retire(): Promise<void> {
    this.retired = true;
    if (this.users === 0) this.closePool();
    return this.poolClosed;
  }

  private closePool(): void {
    if (this.poolClosing) return;
    this.poolClosing = true;
    // pool.close() waits for the tasks still running (none: every hold is released)
    this.pool
      .close()
      .catch(() => {})
      .finally(() => this.resolvePoolClosed());
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // refused by the schema with the rest
  }
}
