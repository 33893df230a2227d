// Creating a job for a run, or picking up a cancelled one (`--resume JOB`): which chunks are left.
import {
  type Chunk,
  type Chunking,
  chunkingOf,
  chunkingOfJob,
  type GridPlan,
  type GridSpec,
  InputError,
} from "@pairgrid/engine";
import type { ResultsDb } from "@pairgrid/resultsdb";
import { firstDifference, storedForm } from "./run-spec-diff.js";

export interface RunJob {
  jobId: string;
  chunking: Chunking;
  /** Chunks still to run, in order. */
  toRun: Chunk[];
  resumed: boolean;
}

export async function createRunJob(
  db: ResultsDb,
  spec: GridSpec,
  plan: GridPlan,
  chunkSize: number,
  nCombos: number,
): Promise<RunJob> {
  const chunking = chunkingOf(plan, chunkSize);
  const jobId = await db.newJobId();
  await db.createJob({
    job_id: jobId,
    name: spec.name,
    spec: storedForm(spec),
    n_combos: nCombos,
    n_chunks: chunking.chunks.length,
    runner: "local",
  });
  return { jobId, chunking, toRun: chunking.chunks, resumed: false };
}

/**
 * The chunks of job `jobId` not yet stored. The spec must be the job's own (a different one would
 * mix results of two grids under one job), and so must the chunk size (chunk ids depend on it).
 */
export async function resumeRunJob(
  db: ResultsDb,
  jobId: string,
  spec: GridSpec,
  plan: GridPlan,
  requestedChunkSize: number | undefined,
): Promise<RunJob> {
  const job = await db.getJob(jobId);
  if (!job) throw new InputError(`--resume ${jobId}: no such job in ${db.file}`, "--resume");
  const diff = firstDifference(job.spec, storedForm(spec));
  if (diff !== null) {
    throw new InputError(
      `--resume ${jobId}: the spec differs from the job's at ${diff}; resume with the job's spec file`,
      diff,
    );
  }
  const chunking = chunkingOfJob(plan, job.n_chunks, jobId);
  if (
    requestedChunkSize !== undefined &&
    chunkingOf(plan, requestedChunkSize).chunkSize !== chunking.chunkSize
  ) {
    throw new InputError(
      `--chunk-size: job ${jobId} was cut into chunks of ${chunking.chunkSize}; leave --chunk-size out to resume`,
      "--chunk-size",
    );
  }
  const done = await db.doneChunks(jobId);
  return { jobId, chunking, toRun: chunking.chunks.filter((c) => !done.has(c.chunkId)), resumed: true };
}
