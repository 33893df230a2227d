// The axes of a job's grid, read from the spec stored with the job: which parameters vary (the
// dashboard's heatmap axes and fix-value selectors) and which are single-valued. They come from
// the spec rather than from the rows, so a running job already has its final grid shape.
import { type DuckDBConnection, VARCHAR } from "@duckdb/node-api";
import { type AxisSpec, axisValues, type GridSpec, RANKABLE, validateSpec } from "@pairgrid/engine";

/** A job's stored spec is unusable (written by an older pairgrid, or not a grid spec at all). */
export class JobSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobSpecError";
  }
}

export interface AxisValues {
  name: string;
  /** In the spec's order; null is a switched-off optional feature. */
  values: (number | null)[];
}

export interface JobGrid {
  /** Parameters with more than one value, in spec order. */
  params: AxisValues[];
  /** Parameters the spec gives a single value. */
  fixed: Record<string, number | null>;
}

/** Columns a heatmap or ranking may show: the §7 statistics and dsr. */
export const GRID_STATS: readonly string[] = RANKABLE;

/**
 * The validated spec of a job. Stored specs were validated when the job was created (data paths
 * absolute, defaults filled in), so this only fails for a spec an older version wrote.
 */
export function jobSpec(stored: unknown, jobId: string): GridSpec {
  try {
    return validateSpec(stored, "/", false);
  } catch (err) {
    throw new JobSpecError(`job ${jobId}: its stored spec is not usable: ${(err as Error).message}`);
  }
}

export function jobGrid(spec: GridSpec): JobGrid {
  const params: AxisValues[] = [];
  const fixed: Record<string, number | null> = {};
  for (const [name, axis] of Object.entries(spec.params as Record<string, AxisSpec>)) {
    const values = axisValues(axis);
    if (values.length > 1) params.push({ name, values });
    else fixed[name] = values[0] ?? null;
  }
  return { params, fixed };
}

/** Rows stored so far for a job. */
export async function countRows(conn: DuckDBConnection, jobId: string): Promise<number> {
  const reader = await conn.runAndReadAll(
    "SELECT count(*)::BIGINT FROM results WHERE job_id = $1",
    [jobId],
    [VARCHAR],
  );
  return Number(reader.getRowsJS()[0]![0]);
}
