// A full garbage collection, on demand, inside a chunk thread. Every task brings its group's
// SharedArrayBuffer as a fresh handle, and a buffer's memory is returned only once every thread
// that ever held a handle to it has collected that handle. Chunk threads make almost no garbage,
// so left alone they rarely collect, and the groups they have finished with pile up: W5 measured
// a worker's peak growing by 200–350 MB per added thread. Collecting when a thread moves to a new
// group (a few ms, once per group and thread) lets a finished group go as soon as the main thread
// drops it. `--expose-gc` set at run time exposes `gc` to contexts made afterwards. The main thread
// of a local run uses it too, once, when the run's groups are dropped (@pairgrid/jobs).
// A forced collection also drops the maps of classes with no live object at that moment, and with
// them the optimized code that checks them: the family kernel keeps one object of each kind it
// makes per chunk alive for that reason (FamilyScratch.kept in @pairgrid/engine).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Runs a full collection of this thread's heap. */
export function collectGarbage(): void {
  gc();
}
