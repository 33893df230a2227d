// Ranked rows of one job (`pairgrid top`, GET /jobs/:id/results): parameters, §7 statistics and
// dsr, ranked by the one rule of ranking.ts (a RANKABLE statistic, NULLs last, ties by combo_id)
// among rows with enough trades.
import { BIGINT, type DuckDBConnection, VARCHAR } from "@duckdb/node-api";
import { InputError, PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import { checkRankable, rankedRowsWhere, rankOrderSql } from "./ranking.js";
import { ident } from "./schema.js";

export interface TopOptions {
  /** Job to rank; default the most recently created one. */
  jobId?: string;
  /** A RANKABLE name: a §7 statistic or `dsr`. */
  by: string;
  /** Rows with fewer trades are left out. */
  minTrades: number;
  limit: number;
  /** Smallest first; default: the direction in which `by` ranks best (ranking.ts). */
  ascending?: boolean;
  /**
   * Every row, twins included (`--all`). By default a group of rows with identical statistics is
   * listed once, by its lowest combo_id (`same_as` NULL); ResultsDb.twinGroups says what it holds.
   */
  all?: boolean;
}

/** Columns of a ranked row, in output order. */
export const TOP_COLUMNS: readonly string[] = ["combo_id", ...PARAM_NAMES, ...STAT_NAMES, "dsr"];

function checkCount(name: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) {
    throw new InputError(`${name} must be an integer ≥ ${min}, got ${v}`, name);
  }
}

/** DuckDB BIGINT arrives as bigint; every value here fits a double (ids < 2^53). */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of TOP_COLUMNS) {
    const v = row[name];
    out[name] = typeof v === "bigint" ? Number(v) : (v ?? null);
  }
  return out;
}

export async function topRows(
  conn: DuckDBConnection,
  jobId: string,
  opts: Omit<TopOptions, "jobId" | "ascending"> & { ascending: boolean },
): Promise<Record<string, unknown>[]> {
  checkRankable(opts.by);
  checkCount("min_trades", opts.minTrades, 0);
  checkCount("limit", opts.limit, 1);
  // `by` is checked against RANKABLE above, so splicing it into the SQL is safe
  const reader = await conn.runAndReadAll(
    `SELECT ${TOP_COLUMNS.map(ident).join(", ")} FROM results ` +
      `WHERE ${rankedRowsWhere("$1", "$2", opts.all === true)} ` +
      `ORDER BY ${rankOrderSql(opts.by, opts.ascending)} LIMIT $3`,
    [jobId, BigInt(opts.minTrades), BigInt(opts.limit)],
    [VARCHAR, BIGINT, BIGINT],
  );
  return reader.getRowObjectsJS().map(plainRow);
}

/**
 * Parameters that take more than one value (NULL counting as a value) across the job's rows: the
 * ones worth a column when showing its ranking.
 */
export async function varyingParams(conn: DuckDBConnection, jobId: string): Promise<string[]> {
  // More than one value, NULL counting as one: two different non-NULL values (min < max), or a
  // NULL beside a value. min/max instead of count(DISTINCT …): at 25 M rows that was ~2 s of the
  // 3.5 s `pairgrid top` took, for the same answer.
  const distinct = PARAM_NAMES.map((p) => {
    const c = ident(p);
    return `(coalesce(min(${c}) < max(${c}), false) OR (count(${c}) > 0 AND count(${c}) < count(*)))`;
  });
  const reader = await conn.runAndReadAll(
    `SELECT ${distinct.join(", ")} FROM results WHERE job_id = $1`,
    [jobId],
    [VARCHAR],
  );
  const counts = reader.getRowsJS()[0] ?? [];
  return PARAM_NAMES.filter((_, j) => counts[j] === true);
}
