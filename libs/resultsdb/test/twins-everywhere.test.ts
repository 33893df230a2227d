// Twins count once in every ranked view (ranking.ts rankedRowsWhere is the one filter): the ranked
// rows page and its total, the export of ranked rows, heatmap cell counts and parameter importance;
// `all` counts every row. A file opened read-only before same_as existed counts every row too.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { STAT_NAMES } from "@pairgrid/engine";
import { copyRankedRows, heatmap, paramImportance, ResultsDb, rowsPage } from "../src/index.js";
import { freshDbPath, makeBatch, newJob, range, statValue } from "./fixtures.js";

/** 10 and 11 copy 3's statistics, 12 copies 5's: 20 rows, 17 distinct results. */
const TWIN_OF: Record<number, number> = { 10: 3, 11: 3, 12: 5 };
const stat = (id: number, name: string) => statValue(TWIN_OF[id] ?? id, name);
const GRID = {
  params: [
    { name: "z_entry", values: [1, 1.5, 2] },
    { name: "zscore_window", values: [20, 30] },
  ],
  fixed: {},
};

test("ranked rows, exports, heatmap counts and importance count each group of twins once", async () => {
  const file = freshDbPath("twins-everywhere");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  await db.ingestChunk("j", 0, makeBatch(range(0, 20), { stat }));
  await db.finalizeDsr("j");
  const rowsQ = { by: "total_pnl", order: "desc" as const, limit: 100, offset: 0, minTrades: 0, filter: {} };
  const hmQ = {
    x: "z_entry",
    y: "zscore_window",
    stat: "total_pnl",
    agg: "max" as const,
    minTrades: 0,
    fix: {},
  };
  const impQ = { stat: "total_pnl", minTrades: 0, smallerIsBetter: false };
  const csv = (all: boolean) => {
    const path = join(freshDbPath(`twins-export-${all}`) + ".csv");
    return db.read((c) => copyRankedRows(c, "j", { ...rowsQ, all }, "csv", path)).then(() => path);
  };
  const distinct = {
    page: await db.read((c) => rowsPage(c, "j", rowsQ)),
    heat: await db.read((c) => heatmap(c, "j", GRID, hmQ)),
    imp: await db.read((c) => paramImportance(c, "j", GRID, impQ)),
    csv: readFileSync(await csv(false), "utf8")
      .trim()
      .split("\n"),
  };
  const every = {
    page: await db.read((c) => rowsPage(c, "j", { ...rowsQ, all: true })),
    heat: await db.read((c) => heatmap(c, "j", GRID, { ...hmQ, all: true })),
    imp: await db.read((c) => paramImportance(c, "j", GRID, { ...impQ, all: true })),
    csv: readFileSync(await csv(true), "utf8")
      .trim()
      .split("\n"),
  };
  await db.close();

  assert.equal(distinct.page.total, 17);
  assert.equal(every.page.total, 20);
  const ids = distinct.page.rows.map((r) => r.combo_id as number);
  for (const twin of [10, 11, 12]) assert.ok(!ids.includes(twin), `twin ${twin} listed`);
  // each listed row says what its group holds; with all=1 rows are listed as they are
  const row3 = distinct.page.rows.find((r) => r.combo_id === 3)!;
  assert.equal(row3.n_identical, 2);
  assert.deepEqual(row3.identical_varying, { z_entry: [1, 1.5, 2], zscore_window: [20, 30] });
  assert.equal(distinct.page.rows.find((r) => r.combo_id === 5)!.n_identical, 1);
  assert.equal(distinct.page.rows.find((r) => r.combo_id === 4)!.n_identical, 0);
  assert.ok(!("n_identical" in every.page.rows[0]!));

  assert.equal(distinct.csv.length, 1 + 17, "header and one line per distinct result");
  assert.equal(every.csv.length, 1 + 20);
  const sum = (cells: number[][]) => cells.flat().reduce((a, b) => a + b, 0);
  assert.equal(sum(distinct.heat.counts), 17);
  assert.equal(sum(every.heat.counts), 20);
  assert.equal(distinct.imp.n_rows, 17);
  assert.equal(every.imp.n_rows, 20);
  assert.ok(STAT_NAMES.includes("total_pnl"));
});

test("a file without same_as, opened read-only, counts every row (no twins marked)", async () => {
  const file = freshDbPath("twins-old-file");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  await db.ingestChunk("j", 0, makeBatch(range(0, 20), { stat }));
  await db.finalizeDsr("j");
  await db.read((c) => c.run("ALTER TABLE results DROP COLUMN same_as"));
  await db.close();
  const old = await ResultsDb.open(file, { readOnly: true });
  const page = await old.read((c) =>
    rowsPage(c, "j", { by: "total_pnl", limit: 5, offset: 0, minTrades: 0, filter: {} }),
  );
  const top = await old.top({ jobId: "j", by: "total_pnl", minTrades: 0, limit: 100 });
  await old.close();
  assert.equal(page.total, 20);
  assert.equal(top.length, 20);
  assert.equal(page.rows[0]!.n_identical, 0);
});
