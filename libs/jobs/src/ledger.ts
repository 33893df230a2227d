// A job's ledger side: creating its row in the results database, or picking it up again — a
// cancelled `pairgrid run` resumed with `--resume JOB`, or every job a coordinator left running —
// and which of its chunks are already stored.
import {
  type Chunk,
  type Chunking,
  chunkingOf,
  chunkingOfJob,
  countValidCombinations,
  type GridPlan,
  type GridSpec,
  InputError,
  planGrid,
  validateSpec,
} from "@pairgrid/engine";
import type { JobRecord, JobRunner, ResultsDb } from "@pairgrid/resultsdb";
import { firstDifference, storedForm } from "./spec-diff.js";

/** A job with its ledger: what the runner runs and every progress view reads. */
export interface LedgerJob {
  jobId: string;
  name: string;
  spec: GridSpec;
  plan: GridPlan;
  chunking: Chunking;
  /** Valid combinations of the grid (rows the finished job holds). */
  nCombos: number;
  /** Chunk ids in the ledger. The runner is the database's only writer, so this copy stays exact. */
  done: Set<number>;
  /** Rows stored so far. */
  rowsDone: number;
  /** Combination ids covered by the stored chunks (valid or not): what progress counts. */
  combosDone: number;
  createdAt: Date;
  /** True when picked up again rather than created. */
  resumed: boolean;
  /** True when its stored status is not `running` (a cancelled run resumed): the run sets it back. */
  reopen: boolean;
}

/** The job's chunks not yet stored, in order. */
export function chunksLeft(job: LedgerJob): Chunk[] {
  return job.chunking.chunks.filter((c) => !job.done.has(c.chunkId));
}

/** Creates the job's row; `runner` says who runs it (a reader of the file tells them apart). */
export async function createJob(
  db: ResultsDb,
  spec: GridSpec,
  plan: GridPlan,
  chunkSize: number,
  runner: JobRunner,
): Promise<LedgerJob> {
  const chunking = chunkingOf(plan, chunkSize);
  const nCombos = countValidCombinations(plan);
  const jobId = await db.newJobId();
  await db.createJob({
    job_id: jobId,
    name: spec.name,
    spec: storedForm(spec),
    n_combos: nCombos,
    n_chunks: chunking.chunks.length,
    runner,
  });
  const record = (await db.getJob(jobId))!;
  return {
    jobId,
    name: spec.name,
    spec,
    plan,
    chunking,
    nCombos,
    done: new Set(),
    rowsDone: 0,
    combosDone: 0,
    createdAt: record.created_at,
    resumed: false,
    reopen: false,
  };
}

/**
 * Job `jobId` picked up again with the spec its user gave (`pairgrid run --resume`). The spec must
 * be the job's own (a different one would mix results of two grids under one job), and so must the
 * chunk size (chunk ids depend on it).
 */
export async function resumeJob(
  db: ResultsDb,
  jobId: string,
  spec: GridSpec,
  plan: GridPlan,
  requestedChunkSize: number | undefined,
): Promise<LedgerJob> {
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
  return withLedger(db, job, spec, plan, chunking);
}

/**
 * A job picked up again from its record alone (a restarted coordinator): the stored spec, already
 * validated and resolved when the job was created, is the one that runs.
 */
export async function adoptJob(db: ResultsDb, record: JobRecord): Promise<LedgerJob> {
  const spec: GridSpec = validateSpec(record.spec, "/", false);
  const plan = planGrid(spec, Number.MAX_SAFE_INTEGER);
  const chunking = chunkingOfJob(plan, record.n_chunks, record.job_id);
  return withLedger(db, record, spec, plan, chunking);
}

async function withLedger(
  db: ResultsDb,
  record: JobRecord,
  spec: GridSpec,
  plan: GridPlan,
  chunking: Chunking,
): Promise<LedgerJob> {
  const done = await db.doneChunks(record.job_id);
  let combosDone = 0;
  for (const c of chunking.chunks) if (done.has(c.chunkId)) combosDone += c.t1 - c.t0;
  return {
    jobId: record.job_id,
    name: record.name,
    spec,
    plan,
    chunking,
    nCombos: record.n_combos,
    done,
    rowsDone: record.n_done,
    combosDone,
    createdAt: record.created_at,
    resumed: true,
    reopen: record.status !== "running",
  };
}
