// The one ranking rule every view of a job's rows uses (`pairgrid run`/`top`, GET /jobs/:id/results
// and /rows, the dashboard's ranked table, heatmap and SQL example): the job's `rank.by` and
// `rank.min_trades` unless the caller names others; max_dd best when smallest, every other
// statistic best when largest; NULLs last; ties by combo_id ascending. Written once here, so the
// CLI and the dashboard cannot disagree about which row is "the best".
import { InputError, RANKABLE } from "@pairgrid/engine";
import { ident } from "./schema.js";

/** Statistics where smaller is better; the rest rank largest first. */
const SMALLER_IS_BETTER: ReadonlySet<string> = new Set(["max_dd"]);

export interface Ranking {
  /** A RANKABLE statistic (or, for the dashboard's table, any column). */
  by: string;
  /** Rows with fewer trades are left out. */
  minTrades: number;
  /** Best first: ascending only for statistics where smaller is better (or when asked). */
  ascending: boolean;
}

/** What a caller may override; anything left undefined comes from the job's spec. */
export interface RankingAsk {
  by?: string;
  minTrades?: number;
  order?: "asc" | "desc";
}

/** The direction in which `by` ranks best. */
export const bestAscending = (by: string): boolean => SMALLER_IS_BETTER.has(by);

/**
 * The ranking of a job: the caller's choices over the job's `rank.by` / `rank.min_trades` (its
 * stored, validated spec; `sharpe` and 0 for a spec that says nothing).
 */
export function jobRanking(storedSpec: unknown, ask: RankingAsk = {}): Ranking {
  const rank = (storedSpec as { rank?: { by?: unknown; min_trades?: unknown } } | null)?.rank;
  const by = ask.by ?? (typeof rank?.by === "string" ? rank.by : "sharpe");
  const minTrades = ask.minTrades ?? (typeof rank?.min_trades === "number" ? rank.min_trades : 0);
  const ascending = ask.order ? ask.order === "asc" : bestAscending(by);
  return { by, minTrades, ascending };
}

export function checkRankable(by: string): void {
  if (!(RANKABLE as readonly string[]).includes(by)) {
    throw new InputError(`unknown metric '${by}' (one of: ${RANKABLE.join(", ")})`, "by");
  }
}

/**
 * The ORDER BY of a ranking (without the keyword). `by` must already be checked against the
 * column list: it is quoted, not bound. Ties go to the smaller combo_id, everywhere.
 */
export function rankOrderSql(by: string, ascending: boolean): string {
  return `${ident(by)} ${ascending ? "ASC" : "DESC"} NULLS LAST, combo_id ASC`;
}

/**
 * The rows a ranking counts, as a WHERE clause over `results`: the job's rows with at least
 * `minTrades` trades, each group of twins once (INTERFACE.md `same_as`: a row whose statistics all
 * equal those of a lower combo_id is not counted; its group's representative is). `all` (`--all`,
 * `all=1`) counts every row. `$job` and `$min` name the bound parameters holding the job id and
 * the trade minimum. This is the single place where twins are filtered: top, /results, /rows,
 * heatmaps, exports, parallel coordinates and parameter importance all build on it.
 */
export function rankedRowsWhere(job: string, min: string, all = false): string {
  return `job_id = ${job} AND n_trades >= ${min}${all ? "" : " AND same_as IS NULL"}`;
}

/** A SELECT that ranks a job's rows by the rule, with the job id and minimum spliced in (SQL box). */
export function rankingExampleSql(jobId: string, r: Ranking, columns: readonly string[], limit = 20): string {
  const quotedJob = `'${jobId.replaceAll("'", "''")}'`;
  return (
    `SELECT ${columns.map(ident).join(", ")}\nFROM results\n` +
    `WHERE ${rankedRowsWhere(quotedJob, String(r.minTrades))}\n` +
    `ORDER BY ${rankOrderSql(r.by, r.ascending)}\nLIMIT ${limit}`
  );
}
