// The fast side of a hybrid grid run, prepared once in the main thread and shared by every chunk
// thread: the aligned fast closes, the slow→fast index and, for z-live, the processed rows. Every
// array lives in a SharedArrayBuffer, so handing this object to a thread (workerData) shares the
// memory instead of copying it: threads add only a small per-group z_live series.
import type { SlowPair } from "../loaders/load-slow-pair.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import type { SessionCalendar } from "../calendar/index.js";
import type { FastCloses } from "../loaders/fast-closes.js";
import { fastCalendarColumns } from "../kernels/hybrid-inputs.js";
import { type FastLoad, loadFastCloses } from "../loaders/load-fast-closes.js";
import { type SlowFastIndex, slowFastIndex } from "../kernels/slow-fast-index.js";
import { type ZLiveRows, zLiveRows } from "../kernels/zlive-rows.js";

export type HybridEngineName = "hybrid_dollar" | "hybrid_zlive";
/**
 * Grid engines that read the fast files: the two hybrid engines and hybrid_curve, the
 * precomputed-curve TP×SL grid (ENGINE.md §8) — an approximation of hybrid_dollar, not a third
 * hybrid engine: it has no replay or parity path of its own.
 */
export type FastGridEngine = HybridEngineName | "hybrid_curve";

export interface HybridGridData {
  engine: FastGridEngine;
  fast: FastCloses;
  index: SlowFastIndex;
  /** z-live only: the fast rows the state machine runs on. */
  rows: ZLiveRows | null;
  /** hybrid_curve only: the trading day of each fast row's close (a curve exit's day, §10). */
  curveDays: Int32Array | null;
}

/** Whether a grid of this engine reads the fast files (and ships them to cluster workers). */
export function isHybridEngine(engine: string): engine is FastGridEngine {
  return engine === "hybrid_dollar" || engine === "hybrid_zlive" || engine === "hybrid_curve";
}

export function hybridGridData(engine: FastGridEngine, sp: SlowPair, fast: FastCloses): HybridGridData {
  return hybridGridDataOf(engine, { ts: sp.pair.ts, barMs: sp.barMs, calendar: sp.calendar }, fast);
}

/** The slow side hybridGridData reads: what a cluster worker has without the slow files. */
export interface SlowSide {
  ts: Float64Array;
  barMs: number;
  calendar: SessionCalendar;
}

/** hybridGridData from the slow bars' times and calendar only (a worker's base arrays). */
export function hybridGridDataOf(engine: FastGridEngine, slow: SlowSide, fast: FastCloses): HybridGridData {
  const index = slowFastIndex(slow.ts, slow.barMs, fast);
  let rows: ZLiveRows | null = null;
  if (engine === "hybrid_zlive") {
    const cal = fastCalendarColumns(fast, slow.calendar);
    rows = zLiveRows(index, fast, cal.fastEod, cal.fastWindowOk);
  }
  let curveDays: Int32Array | null = null;
  if (engine === "hybrid_curve") {
    // in shared memory, like the fast closes: every chunk thread reads it
    curveDays = new Int32Array(new SharedArrayBuffer(fast.n * Int32Array.BYTES_PER_ELEMENT));
    curveDays.set(slow.calendar.build(fast.ts, fast.barMs).tradingDay);
  }
  return { engine, fast, index, rows, curveDays };
}

/** Loads the spec's fast files (checked against the slow bars) and prepares them for the grid. */
export async function loadHybridGridData(
  spec: GridSpec,
  sp: SlowPair,
): Promise<{ data: HybridGridData; load: FastLoad }> {
  if (!isHybridEngine(spec.engine))
    throw new Error(`loadHybridGridData: engine ${spec.engine} is not hybrid`);
  const load = await loadFastCloses(spec, sp);
  return { data: hybridGridData(spec.engine, sp, load.fast), load };
}
