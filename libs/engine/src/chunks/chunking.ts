// How a grid is cut into chunks (`pairgrid run` and the coordinator alike). Chunk ids depend on the chunk size, so a resumed job
// must reuse its size — and the jobs table stores only the number of chunks. Chunks are therefore
// always BALANCED: a group of P threshold indices in m chunks gets size ⌈P/m⌉, which gives back
// exactly m chunks. The stored count then determines the size: m = n_chunks / nGroups.
import { InputError } from "../errors.js";
import { type Chunk, type GridPlan, planChunks } from "./grid-plan.js";

/** Largest default chunk: big enough to amortize a task's message, small for smooth progress. */
export const MAX_DEFAULT_CHUNK = 2000;
/** Default chunks per thread, so the last chunks of a run do not leave threads idle for long. */
export const CHUNKS_PER_THREAD = 4;

/**
 * The balanced size closest to `requested` from below: same number of chunks, no runt chunk. With
 * a `block` > 1 (GridPlan.chunkBlock, which divides perGroup) the size is a whole number of blocks,
 * balanced over blocks: `requested` rounds up to whole blocks, so a chunk never splits one. The
 * stored chunk count still gives the size back: ⌈⌈P/m⌉/B⌉ = ⌈(P/B)/m⌉.
 */
export function balancedChunkSize(perGroup: number, requested: number, block = 1): number {
  if (block > 1) return block * balancedChunkSize(perGroup / block, Math.ceil(requested / block));
  const m = Math.ceil(perGroup / Math.max(1, Math.min(requested, perGroup)));
  return Math.ceil(perGroup / m);
}

/** Default size: at least 4 chunks per thread over the grid, at most MAX_DEFAULT_CHUNK. */
export function defaultChunkSize(plan: GridPlan, threads: number): number {
  const perGroupChunks = Math.ceil((CHUNKS_PER_THREAD * threads) / plan.nGroups);
  const size = Math.min(MAX_DEFAULT_CHUNK, Math.max(1, Math.floor(plan.perGroup / perGroupChunks)));
  return balancedChunkSize(plan.perGroup, size, plan.chunkBlock);
}

export interface Chunking {
  chunkSize: number;
  chunks: Chunk[];
}

export function chunkingOf(plan: GridPlan, chunkSize: number): Chunking {
  const size = balancedChunkSize(plan.perGroup, chunkSize, plan.chunkBlock);
  return { chunkSize: size, chunks: planChunks(plan, size) };
}

/** The chunking of an existing job, from its number of chunks (see the top of this file). */
export function chunkingOfJob(plan: GridPlan, nChunks: number, jobId: string): Chunking {
  const m = nChunks / plan.nGroups;
  const chunking = Number.isInteger(m) && m >= 1 ? chunkingOf(plan, Math.ceil(plan.perGroup / m)) : null;
  if (chunking === null || chunking.chunks.length !== nChunks) {
    throw new InputError(
      `--resume ${jobId}: the job's ${nChunks} chunks do not match this grid's ${plan.nGroups} groups ` +
        "(was it created by pairgrid run?)",
      "--resume",
    );
  }
  return chunking;
}
