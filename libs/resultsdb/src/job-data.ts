// A job's market data, loaded again from the files its stored spec names, so one combination can
// be re-run with the reference engine (and the hybrid engine where the spec has fast files) after
// the grid is done. Loading is the slow part of such a run; callers keep the result (see the
// dashboard's per-job cache).
import { existsSync } from "node:fs";
import {
  type FastLoad,
  fastCalendarColumns,
  type GridPlan,
  type GridSpec,
  InputError,
  loadFastCloses,
  loadSlowPair,
  planGrid,
  type SlowPair,
} from "@pairgrid/engine";

/**
 * The job's data cannot be read now: a file moved or deleted since the job ran, or changed so it
 * no longer parses. Not the request's fault, not a server bug either: HTTP answers 409.
 */
export class DataUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataUnavailableError";
  }
}

export interface JobData {
  spec: GridSpec;
  plan: GridPlan;
  slow: SlowPair;
  /** Aligned fast closes, when the spec names fast files for both legs and a fast bar length. */
  fast: FastLoad | null;
  /** Session calendar at each fast bar's close (what the hybrid engines read besides the closes). */
  fastCalendar: { fastEod: Uint8Array; fastWindowOk: Uint8Array } | null;
}

/** True when the spec can run a hybrid engine: fast files for both legs and `fast_seconds`. */
export function hasFastData(spec: GridSpec): boolean {
  return (
    spec.data.a.fast !== undefined && spec.data.b.fast !== undefined && spec.data.fast_seconds !== undefined
  );
}

function dataFiles(spec: GridSpec): [string, string][] {
  const files: [string, string][] = [
    ["data.a.slow", spec.data.a.slow],
    ["data.b.slow", spec.data.b.slow],
  ];
  if (hasFastData(spec)) files.push(["data.a.fast", spec.data.a.fast!], ["data.b.fast", spec.data.b.fast!]);
  return files;
}

/** The combination plan of a stored spec (ids as the job numbered them; no size limit: it ran). */
export function jobPlan(spec: GridSpec): GridPlan {
  return planGrid(spec, Number.MAX_SAFE_INTEGER);
}

export async function loadJobData(spec: GridSpec, jobId: string, plan = jobPlan(spec)): Promise<JobData> {
  for (const [field, file] of dataFiles(spec)) {
    if (!existsSync(file)) {
      throw new DataUnavailableError(
        `job ${jobId}: ${field} ${file} no longer exists; put the file back to re-run its combinations`,
      );
    }
  }
  try {
    const slow = await loadSlowPair(spec);
    const fast = hasFastData(spec) ? await loadFastCloses(spec, slow) : null;
    const fastCalendar = fast ? fastCalendarColumns(fast.fast, slow.calendar) : null;
    return { spec, plan, slow, fast, fastCalendar };
  } catch (err) {
    // a file that changed since the job ran (bad rows, no overlap): the engine's one-line reason
    if (err instanceof InputError) throw new DataUnavailableError(`job ${jobId}: ${err.message}`);
    throw err;
  }
}
