// Which axes of a grid matter: for each varying parameter, the share of a statistic's variance
// across the job's ranked rows that its value alone explains (η², the between-group sum of squares
// over the total). 1: the statistic is fixed by this parameter; 0: it does not move with it.
// Shares of different axes need not sum to 1 (axes interact, and a grid with rules is not a full
// factorial). One GROUP BY per axis in DuckDB, over the rows the job's ranking counts.
import { BIGINT, DOUBLE, type DuckDBConnection, VARCHAR } from "@duckdb/node-api";
import { InputError } from "@pairgrid/engine";
import { GRID_STATS, type JobGrid } from "./grid-axes.js";
import { rankedRowsWhere } from "./ranking.js";
import { ident } from "./schema.js";

export interface ParamImportance {
  param: string;
  /** η² of the statistic on this parameter; null when the statistic does not vary at all. */
  share: number | null;
  /** Values of the parameter among the rows, and the best mean of the statistic by value. */
  n_values: number;
  best_value: number | null;
  best_mean: number | null;
}

export interface ImportanceReport {
  stat: string;
  /** Rows used: the ranked rows (n_trades ≥ min_trades) with a non-NULL statistic. */
  n_rows: number;
  params: ParamImportance[];
}

export async function paramImportance(
  conn: DuckDBConnection,
  jobId: string,
  grid: Pick<JobGrid, "params">,
  q: { stat: string; minTrades: number; smallerIsBetter: boolean; all?: boolean },
): Promise<ImportanceReport> {
  if (!GRID_STATS.includes(q.stat)) {
    throw new InputError(`stat: unknown statistic '${q.stat}' (one of: ${GRID_STATS.join(", ")})`, "stat");
  }
  const s = ident(q.stat);
  const from = `FROM results WHERE ${rankedRowsWhere("$1", "$2", q.all === true)} AND ${s} IS NOT NULL AND isfinite(${s}::DOUBLE)`;
  const values = [jobId, BigInt(q.minTrades)];
  const types = [VARCHAR, BIGINT];
  const total = await conn.runAndReadAll(
    `SELECT count(*)::BIGINT, var_pop(${s}::DOUBLE) * count(*), avg(${s}::DOUBLE) ${from}`,
    values,
    types,
  );
  const [n, totalSs, mean] = total.getRowsJS()[0]! as [bigint, number | null, number | null];
  const params: ParamImportance[] = [];
  for (const axis of grid.params) {
    const p = ident(axis.name);
    const order = q.smallerIsBetter ? "ASC" : "DESC";
    const reader = await conn.runAndReadAll(
      `WITH g AS (SELECT ${p} AS v, count(*) AS n, avg(${s}::DOUBLE) AS m ${from} GROUP BY ${p}) ` +
        `SELECT (SELECT sum(n * (m - $3) * (m - $3)) FROM g), (SELECT count(*)::BIGINT FROM g), ` +
        `(SELECT v FROM g ORDER BY m ${order} NULLS LAST, v NULLS FIRST LIMIT 1), ` +
        `(SELECT m FROM g ORDER BY m ${order} NULLS LAST LIMIT 1)`,
      [...values, mean ?? 0],
      [...types, DOUBLE],
    );
    const [between, nValues, bestValue, bestMean] = reader.getRowsJS()[0]! as [
      number | null,
      bigint,
      number | null,
      number | null,
    ];
    params.push({
      param: axis.name,
      share: totalSs && totalSs > 0 && between !== null ? between / totalSs : null,
      n_values: Number(nValues),
      best_value: bestValue,
      best_mean: bestMean,
    });
  }
  params.sort((a, b) => (b.share ?? -1) - (a.share ?? -1));
  return { stat: q.stat, n_rows: Number(n), params };
}
