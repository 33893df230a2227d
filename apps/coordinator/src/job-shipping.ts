// Ships what workers need to run a job's chunks: the base arrays, ONE hedge per hedge setting
// (computed here once, not by every worker) and, for a hybrid grid, the fast closes as per-day
// blobs (fast-blobs.ts), all content-addressed, then the manifest that names them. Each blob is
// named as the job's in Redis (blob-refs.ts) before it is written, so it stays until the last job
// naming it is over. Idempotent: a restarted coordinator re-ships only when something is missing.
import {
  encodePacked,
  type GridPlan,
  type GridSpec,
  GroupPrecompute,
  groupCombination,
  hedgeKey,
  packArrays,
  packGridData,
  type SlowPair,
} from "@pairgrid/engine";
import {
  addBlobRefs,
  blobKey,
  type JobManifest,
  jobManifestSchema,
  manifestKey,
  putBlob,
  sha256Hex,
} from "@pairgrid/cluster";
import type { Redis } from "ioredis";
import type { FastBlobs } from "./fast-blobs.js";

/** Names the blob as the job's, then stores it (in that order: see blob-refs.ts). */
async function putJobBlob(redis: Redis, jobId: string, buf: Buffer, sha = sha256Hex(buf)): Promise<string> {
  await addBlobRefs(redis, jobId, [sha]);
  await putBlob(redis, buf);
  return sha;
}

export async function shipJobData(
  redis: Redis,
  jobId: string,
  spec: GridSpec,
  plan: GridPlan,
  sp: SlowPair,
  fast: FastBlobs | null,
): Promise<JobManifest> {
  const data = packGridData(sp);
  const base = await putJobBlob(redis, jobId, encodePacked(data.base));
  const precompute = new GroupPrecompute(sp.pair, spec);
  const hedges: Record<string, string> = {};
  for (let g = 0; g < plan.nGroups; g++) {
    const c = groupCombination(plan, g);
    const key = hedgeKey(spec, c);
    if (key in hedges) continue;
    const { h } = precompute.hedge(c);
    hedges[key] = await putJobBlob(
      redis,
      jobId,
      encodePacked(packArrays({ beta: h.beta, spread: h.spread })),
    );
  }
  const manifest: JobManifest = {
    jobId,
    spec: spec as unknown as Record<string, unknown>,
    base,
    barMs: data.barMs,
    nDays: data.nDays,
    hedges,
  };
  if (fast !== null) {
    for (const d of fast.days) await putJobBlob(redis, jobId, d.buf, d.sha);
    manifest.fast = {
      barMs: fast.barMs,
      rows: fast.rows,
      days: fast.days.map((d) => ({ sha: d.sha, rows: d.rows, bytes: d.buf.length })),
    };
  }
  // the manifest last: a worker that can read it finds every blob it names
  await redis.set(manifestKey(jobId), JSON.stringify(manifest));
  return manifest;
}

/** The job's manifest when it and every blob it names are in Redis, else null (ship again). */
export async function shippedManifest(redis: Redis, jobId: string): Promise<JobManifest | null> {
  const text = await redis.get(manifestKey(jobId));
  if (text === null) return null;
  const parsed = jobManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) return null;
  const shas = manifestBlobs(parsed.data);
  const present = await Promise.all(shas.map((sha) => redis.exists(blobKey(sha))));
  return present.every((n) => n === 1) ? parsed.data : null;
}

export function manifestBlobs(m: JobManifest): string[] {
  return [m.base, ...Object.values(m.hedges), ...(m.fast?.days.map((d) => d.sha) ?? [])];
}
