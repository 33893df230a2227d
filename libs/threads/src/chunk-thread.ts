// The Piscina worker module: one grid chunk per task. Everything that does not change during a
// run (spec, plan, base arrays, kernel scratch) is set up once per thread from `workerData`; a
// task carries only the chunk's ids and range plus its group's SharedArrayBuffer (by reference).
import { workerData } from "node:worker_threads";
import {
  type ChunkResult,
  type GroupContext,
  GroupEvents,
  hybridGroupContext,
  inputsFromPacked,
  makeKernelScratch,
  planGrid,
  runChunk,
  slowGroupContext,
  unpackArrays,
} from "@pairgrid/engine";
import type { ChunkTask, ChunkThreadData } from "./chunk-task.js";
import { GroupViewCache } from "./group-view-cache.js";
import { collectGarbage } from "./thread-gc.js";
import { movableChunkResult } from "./movable-chunk-result.js";

const data = workerData as ChunkThreadData;
// The main thread already refused an oversized grid; here the plan is only rebuilt.
const plan = planGrid(data.spec, Number.MAX_SAFE_INTEGER);
const scratch = makeKernelScratch(data.nDays);
// Chunks arrive group-major, so a thread works on one or two groups around a group boundary; two
// contexts suffice, and a context kept longer pins its group's buffer (a z-live one also holds a
// z_live series as long as the fast rows). A slow group packed with an event index
// (kernel-choice.ts) runs on the event-driven kernel.
const groups = new GroupViewCache<GroupContext>(2);

/** The context of a group this thread meets for the first time. */
function groupContext(task: ChunkTask): GroupContext {
  const inputs = inputsFromPacked(data.base, task.group, data.barMs, data.nDays);
  const hybrid = data.hybrid;
  if (hybrid !== null && hybrid !== undefined)
    return hybridGroupContext(hybrid, inputs, unpackArrays(task.group));
  // a new slow group: let the buffers of groups this thread is done with go (thread-gc.ts)
  collectGarbage();
  return slowGroupContext(inputs, GroupEvents.fromPacked(inputs, unpackArrays(task.group)));
}

export default function runChunkTask(task: ChunkTask): ChunkResult {
  const group = groups.get(task.groupId, () => groupContext(task));
  return movableChunkResult(runChunk(data.spec, plan, group, task.chunk, scratch));
}
