// A heatmap of one statistic over two varying parameters of a job: every other varying parameter
// either fixed to a value or aggregated over (max, median, mean, min). One GROUP BY in DuckDB.
// Column names reach the SQL only after they are found in the job's axes or the statistic list,
// and then quoted; every value is a bound parameter.
import {
  BIGINT,
  DOUBLE,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  VARCHAR,
} from "@duckdb/node-api";
import { InputError } from "@pairgrid/engine";
import { type AxisValues, GRID_STATS, type JobGrid } from "./grid-axes.js";
import { bestAscending, rankedRowsWhere } from "./ranking.js";
import { ident } from "./schema.js";

export const HEATMAP_AGGS = ["max", "median", "mean", "min", "fixed"] as const;
export type HeatmapAgg = (typeof HEATMAP_AGGS)[number];

/** Largest heatmap answered (x values × y values); a bigger one would be megabytes of JSON. */
export const MAX_HEATMAP_CELLS = 250_000;

export interface HeatmapQuery {
  x: string;
  y: string;
  stat: string;
  agg: HeatmapAgg;
  /** Rows with fewer trades are left out. */
  minTrades: number;
  /** Varying parameters held at one of their values; with `fixed`, every one but x and y. */
  fix: Record<string, number | null>;
  /** Every row, twins included (`all=1`); default a cell counts distinct results (ranking.ts). */
  all?: boolean;
}

export interface HeatmapBest {
  /** The combination behind the best cell; null when the cell is a median or a mean. */
  combo_id: number | null;
  x: number | null;
  y: number | null;
  value: number;
}

export interface Heatmap {
  x: AxisValues;
  y: AxisValues;
  stat: string;
  agg: HeatmapAgg;
  /** cells[yi][xi]: the aggregated statistic; null where no row (or only null values) fell. */
  cells: (number | null)[][];
  /** counts[yi][xi]: rows aggregated in the cell. */
  counts: number[][];
  /** Best cell: largest value, smallest for max_dd (as rankings sort it). */
  best: HeatmapBest | null;
  /** combo_ids[yi][xi]: the row shown (fixed) or reaching the max / min; null otherwise. */
  combo_ids: (number | null)[][];
}

const SQL_AGG: Record<HeatmapAgg, string> = {
  max: "max",
  min: "min",
  mean: "avg",
  median: "median",
  // every other varying parameter is fixed: one row per cell, max() just takes it
  fixed: "max",
};

function axisOf(grid: JobGrid, name: string, field: "x" | "y"): AxisValues {
  const axis = grid.params.find((a) => a.name === name);
  if (!axis) {
    const known = grid.params.map((a) => a.name).join(", ") || "none";
    throw new InputError(
      `${field}: '${name}' is not a varying parameter of this job (varying: ${known})`,
      field,
    );
  }
  return axis;
}

const sameValue = (a: number | null, b: number | null) => a === b;

function checkFix(grid: JobGrid, q: HeatmapQuery): [string, number | null][] {
  const fixes: [string, number | null][] = [];
  for (const [name, value] of Object.entries(q.fix)) {
    const path = `fix.${name}`;
    if (name === q.x || name === q.y) throw new InputError(`${path}: is an axis of the heatmap`, path);
    const axis = grid.params.find((a) => a.name === name);
    if (!axis) throw new InputError(`${path}: not a varying parameter of this job`, path);
    if (!axis.values.some((v) => sameValue(v, value))) {
      throw new InputError(`${path}: ${value} is not one of its values (${axis.values.join(", ")})`, path);
    }
    fixes.push([name, value]);
  }
  if (q.agg === "fixed") {
    const missing = grid.params.find((a) => a.name !== q.x && a.name !== q.y && !(a.name in q.fix));
    if (missing) {
      const path = `fix.${missing.name}`;
      throw new InputError(
        `${path}: required with agg=fixed (one of ${missing.values.join(", ")}), or aggregate with max/median`,
        path,
      );
    }
  }
  return fixes;
}

/** Checks the names and values of a query against the job's grid; returns the axes and the fixes. */
export function checkHeatmapQuery(
  grid: JobGrid,
  q: HeatmapQuery,
): { x: AxisValues; y: AxisValues; fixes: [string, number | null][] } {
  const x = axisOf(grid, q.x, "x");
  const y = axisOf(grid, q.y, "y");
  if (q.x === q.y) throw new InputError(`y: must differ from x ('${q.x}')`, "y");
  if (!GRID_STATS.includes(q.stat)) {
    throw new InputError(`stat: unknown statistic '${q.stat}' (one of: ${GRID_STATS.join(", ")})`, "stat");
  }
  if (!(HEATMAP_AGGS as readonly string[]).includes(q.agg)) {
    throw new InputError(`agg: expected one of ${HEATMAP_AGGS.join(", ")}`, "agg");
  }
  if (!Number.isSafeInteger(q.minTrades) || q.minTrades < 0) {
    throw new InputError(`min_trades: expected an integer ≥ 0, got ${q.minTrades}`, "min_trades");
  }
  if (x.values.length * y.values.length > MAX_HEATMAP_CELLS) {
    throw new InputError(
      `x: ${x.values.length} × ${y.values.length} cells is over the maximum of ${MAX_HEATMAP_CELLS}`,
      "x",
    );
  }
  return { x, y, fixes: checkFix(grid, q) };
}

const grid2 = <T>(ny: number, nx: number, fill: T): T[][] =>
  Array.from({ length: ny }, () => new Array<T>(nx).fill(fill));

/** Index of each axis value; Map keys compare numbers by value and null as itself. */
const indexOf = (axis: AxisValues) => new Map<number | null, number>(axis.values.map((v, i) => [v, i]));

export async function heatmap(
  conn: DuckDBConnection,
  jobId: string,
  grid: JobGrid,
  q: HeatmapQuery,
): Promise<Heatmap> {
  const { x, y, fixes } = checkHeatmapQuery(grid, q);
  const values: DuckDBValue[] = [jobId, BigInt(q.minTrades)];
  const types: DuckDBType[] = [VARCHAR, BIGINT];
  const where = [rankedRowsWhere("$1", "$2", q.all === true)];
  for (const [name, value] of fixes) {
    if (value === null) where.push(`${ident(name)} IS NULL`);
    else {
      values.push(value);
      types.push(DOUBLE);
      where.push(`${ident(name)} = $${values.length}`);
    }
  }
  // The combination behind a max or min cell: the lowest combo_id reaching the cell's value, so
  // ties resolve the same way on every call. Taken in the same GROUP BY as the value, as the
  // extreme of (value, ±combo_id) pairs: structs compare field by field, so max({v, −id}) is the
  // largest value and, among rows tied at it, the smallest id. (A correlated lookup of the rows
  // reaching each cell's value joined the job's rows with themselves: 15.8 s at 25 M rows.)
  const achiever =
    q.agg === "fixed"
      ? "min(combo_id)"
      : q.agg === "max"
        ? "-(max({'v': v, 'c': -combo_id}) FILTER (WHERE v IS NOT NULL)).c"
        : q.agg === "min"
          ? "(min({'v': v, 'c': combo_id}) FILTER (WHERE v IS NOT NULL)).c"
          : "NULL";
  const sql =
    `SELECT x, y, ${SQL_AGG[q.agg]}(v) AS v, count(*)::INTEGER AS n, ${achiever} AS combo_id FROM (` +
    `SELECT ${ident(x.name)} AS x, ${ident(y.name)} AS y, ${ident(q.stat)}::DOUBLE AS v, combo_id ` +
    `FROM results WHERE ${where.join(" AND ")}) GROUP BY x, y`;
  const reader = await conn.runAndReadAll(sql, values, types);

  const xi = indexOf(x);
  const yi = indexOf(y);
  const cells = grid2<number | null>(y.values.length, x.values.length, null);
  const counts = grid2(y.values.length, x.values.length, 0);
  const comboIds = grid2<number | null>(y.values.length, x.values.length, null);
  for (const row of reader.getRowsJS()) {
    const i = xi.get(row[0] as number | null);
    const j = yi.get(row[1] as number | null);
    // a value outside the spec's axis cannot come from this job's grid; it has no cell
    if (i === undefined || j === undefined) continue;
    const v = row[2] as number | null;
    cells[j]![i] = v === null || Number.isNaN(v) ? null : v;
    counts[j]![i] = Number(row[3]);
    comboIds[j]![i] = row[4] === null ? null : Number(row[4]);
  }
  return {
    x,
    y,
    stat: q.stat,
    agg: q.agg,
    cells,
    counts,
    best: bestCell(x, y, cells, comboIds, bestAscending(q.stat)),
    combo_ids: comboIds,
  };
}

function bestCell(
  x: AxisValues,
  y: AxisValues,
  cells: (number | null)[][],
  comboIds: (number | null)[][],
  smallerIsBetter: boolean,
): HeatmapBest | null {
  let best: HeatmapBest | null = null;
  for (let j = 0; j < cells.length; j++) {
    for (let i = 0; i < cells[j]!.length; i++) {
      const v = cells[j]![i];
      if (v === null || v === undefined) continue;
      const id = comboIds[j]![i] ?? null;
      // ties go to the smaller combo_id, as in every ranking (ranking.ts)
      const tie =
        best !== null && v === best.value && id !== null && (best.combo_id === null || id < best.combo_id);
      if (best === null || tie || (smallerIsBetter ? v < best.value : v > best.value)) {
        best = {
          combo_id: comboIds[j]![i] ?? null,
          x: x.values[i] ?? null,
          y: y.values[j] ?? null,
          value: v,
        };
      }
    }
  }
  return best;
}
