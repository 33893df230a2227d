// The Piscina worker module: one grid chunk per task. Everything that does not change during a
// run (spec, plan, base arrays, kernel scratch) is set up once per thread from `workerData`; a
// task carries only the chunk's ids and range plus its group's SharedArrayBuffer (by reference).
import { workerData } from "node:worker_threads";
import {
  type BacktestInputs,
  type ChunkResult,
  GroupEvents,
  hybridGroupContext,
  type HybridGroupContext,
  inputsFromPacked,
  makeKernelScratch,
  planGrid,
  runChunk,
  runHybridChunk,
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
// views suffice, and a view kept longer pins its group's buffer. A group packed with an event
// index (kernel-choice.ts) runs on the event-driven kernel.
const views = new GroupViewCache<{ inputs: BacktestInputs; events: GroupEvents | null }>(2);
// A z-live group context holds a z_live series as long as the fast rows: keep two at most.
const hybridViews = new GroupViewCache<HybridGroupContext>(2);

export default function runChunkTask(task: ChunkTask): ChunkResult {
  const hybrid = data.hybrid;
  if (hybrid !== null && hybrid !== undefined) {
    const group = hybridViews.get(task.groupId, () =>
      hybridGroupContext(
        hybrid,
        inputsFromPacked(data.base, task.group, data.barMs, data.nDays),
        unpackArrays(task.group),
      ),
    );
    return movableChunkResult(runHybridChunk(data.spec, plan, group, task.chunk, scratch));
  }
  const { inputs, events } = views.get(task.groupId, () => {
    // a new group: let the buffers of groups this thread is done with go (thread-gc.ts)
    collectGarbage();
    const inputs = inputsFromPacked(data.base, task.group, data.barMs, data.nDays);
    return { inputs, events: GroupEvents.fromPacked(inputs, unpackArrays(task.group)) };
  });
  return movableChunkResult(runChunk(data.spec, plan, inputs, task.chunk, scratch, null, events));
}
