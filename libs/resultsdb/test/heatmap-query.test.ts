// The heatmap query (heatmap-query.ts: value and achieving row in one GROUP BY) against the query
// it replaced (a correlated lookup of the rows reaching each cell's value), kept here verbatim as
// the reference: the same cells, counts and combination per cell for every aggregate, statistics
// with ties and NULLs, twins counted once or all rows, a trade minimum and fixed parameters.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BIGINT, DOUBLE, type DuckDBType, type DuckDBValue, VARCHAR } from "@duckdb/node-api";
import { type HeatmapQuery, heatmap, rankedRowsWhere, ResultsDb } from "../src/index.js";
import { freshDbPath } from "./fixtures.js";
import { fillGridJob, GRID_JOB_AXES } from "./grid-job.js";

const ident = (n: string) => `"${n}"`;

/** The query as it was before issue 19 item 3: rows of the cells keyed "x|y" → [v, n, combo_id]. */
function referenceSql(q: HeatmapQuery): { sql: string; values: DuckDBValue[]; types: DuckDBType[] } {
  const values: DuckDBValue[] = ["j", BigInt(q.minTrades)];
  const types: DuckDBType[] = [VARCHAR, BIGINT];
  const where = [rankedRowsWhere("$1", "$2", q.all === true)];
  for (const [name, value] of Object.entries(q.fix)) {
    if (value === null) where.push(`${ident(name)} IS NULL`);
    else {
      values.push(value);
      types.push(DOUBLE);
      where.push(`${ident(name)} = $${values.length}`);
    }
  }
  const agg = { max: "max", min: "min", mean: "avg", median: "median", fixed: "max" }[q.agg];
  const achiever =
    q.agg === "fixed"
      ? "c.combo_id"
      : q.agg === "max" || q.agg === "min"
        ? "(SELECT min(f.combo_id) FROM f WHERE f.x IS NOT DISTINCT FROM c.x " +
          "AND f.y IS NOT DISTINCT FROM c.y AND f.v = c.v)"
        : "NULL";
  const sql =
    `WITH f AS (SELECT ${ident(q.x)} AS x, ${ident(q.y)} AS y, ${ident(q.stat)}::DOUBLE AS v, combo_id ` +
    `FROM results WHERE ${where.join(" AND ")}), ` +
    `c AS (SELECT x, y, ${agg}(v) AS v, count(*)::INTEGER AS n, min(combo_id) AS combo_id ` +
    `FROM f GROUP BY x, y) ` +
    `SELECT c.x, c.y, c.v, c.n, ${achiever} AS combo_id FROM c`;
  return { sql, values, types };
}

test("heatmap cells, counts and achieving rows equal the previous query's", async () => {
  const db = await ResultsDb.open(freshDbPath("heatmap-query"));
  await fillGridJob(db, "j");
  const queries: HeatmapQuery[] = [];
  for (const stat of ["sharpe", "max_dd", "win_rate", "total_pnl"]) {
    for (const agg of ["max", "min", "mean", "median"] as const) {
      for (const all of [false, true]) {
        queries.push({ x: "z_entry", y: "zscore_window", stat, agg, minTrades: 0, fix: {}, all });
        queries.push({ x: "z_exit", y: "z_stop", stat, agg, minTrades: 30, fix: { z_entry: 2 }, all });
      }
    }
    queries.push({
      x: "z_entry",
      y: "z_exit",
      stat,
      agg: "fixed",
      minTrades: 0,
      fix: { zscore_window: 40, z_stop: null },
    });
  }
  let tiedCells = 0;
  for (const q of queries) {
    const got = await db.read((c) => heatmap(c, "j", GRID_JOB_AXES, q));
    const ref = referenceSql(q);
    const rows = await db.read(async (c) =>
      (await c.runAndReadAll(ref.sql, ref.values, ref.types)).getRowsJS(),
    );
    const cells = new Map(rows.map((r) => [`${r[0]}|${r[1]}`, r]));
    got.y.values.forEach((yv, j) => {
      got.x.values.forEach((xv, i) => {
        const r = cells.get(`${xv}|${yv}`);
        const label = `${JSON.stringify(q)} at ${xv}, ${yv}`;
        const v = r ? (r[2] as number | null) : null;
        assert.equal(got.cells[j]![i], v === null || Number.isNaN(v) ? null : v, label);
        assert.equal(got.counts[j]![i], r ? Number(r[3]) : 0, label);
        assert.equal(got.combo_ids[j]![i], r && r[4] !== null ? Number(r[4]) : null, label);
      });
    });
    // the fixture has cells where several rows share the extreme (the tie-break is exercised)
    if (q.agg === "max" && q.stat === "win_rate") tiedCells += rows.filter((r) => Number(r[3]) > 1).length;
  }
  assert.ok(tiedCells > 0);
  await db.close();
});
