// `pairgrid top` and twins (INTERFACE.md same_as): rows with identical statistics are listed once,
// by the lowest combo id, with "+N identical" and the parameters that vary inside the group;
// `--all` lists every row.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { FOLD_WIDTH, N_STATS, PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import { type ChunkBatch, ResultsDb } from "@pairgrid/resultsdb";
import { pairgrid } from "./cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-top-twins-"));
const dbPath = join(dir, "results.duckdb");
const STAT = (name: string) => STAT_NAMES.indexOf(name as (typeof STAT_NAMES)[number]);
const PARAM = (name: string) => PARAM_NAMES.indexOf(name);

/** Rows 0…5; 2 and 4 make the trades of 1 (a z_entry they never reach differently): twins of 1. */
function batch(comboIds: number[]): ChunkBatch {
  const k = comboIds.length;
  const params = new Float64Array(k * PARAM_NAMES.length).fill(Number.NaN);
  const stats = new Float64Array(k * N_STATS).fill(0);
  comboIds.forEach((id, r) => {
    const p = r * PARAM_NAMES.length;
    params[p + PARAM("ols_window")] = 60;
    params[p + PARAM("zscore_window")] = 20 + (id % 2) * 20;
    params[p + PARAM("z_entry")] = 1 + id * 0.25;
    const same = id === 2 || id === 4 ? 1 : id;
    const s = r * N_STATS;
    stats[s + STAT("n_trades")] = 10 + same;
    stats[s + STAT("sharpe")] = same / 10;
    stats[s + STAT("total_pnl")] = same * 100;
  });
  return {
    comboIds: Float64Array.from(comboIds),
    params,
    stats,
    folds: new Float64Array(k * 2 * FOLD_WIDTH),
    nFolds: 2,
  };
}

before(async () => {
  const db = await ResultsDb.open(dbPath);
  await db.createJob({ job_id: "t", name: "twins", spec: {}, n_combos: 6, n_chunks: 1 });
  await db.ingestChunk("t", 0, batch([0, 1, 2, 3, 4, 5]));
  await db.finalizeDsr("t");
  await db.setStatus("t", "done", true);
  await db.close();
});

test("twins are listed once with '+N identical' and what varies inside the group", () => {
  const r = pairgrid(["top", "--db", dbPath, "--by", "total_pnl"]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.match(lines[1]!, /\btwins$/, "a twins column in the header");
  const body = lines.slice(2, -1); // the last line is the replay command
  assert.equal(body.length, 4, "rows 5, 3, 1 and 0: 2 and 4 are 1's twins");
  const row1 = body.find((l) => /^\s*\d+\s+1\s/.test(l));
  assert.ok(row1, r.stdout);
  // inside 1's group (1, 2, 4): z_entry 1.25, 1.5, 2 and zscore_window 40, 20
  assert.match(row1, /\+2 identical \(zscore_window 20\|40, z_entry 1\.25\|1\.5\|2\)$/);
  assert.ok(!/identical/.test(body.find((l) => /^\s*\d+\s+5\s/.test(l))!), "5 has no twin");
});

test("--all lists every row; --json lists each group once (and every row with --all)", () => {
  const all = pairgrid(["top", "--db", dbPath, "--by", "total_pnl", "--all"]);
  assert.equal(all.status, 0, all.stderr);
  const lines = all.stdout.trim().split("\n");
  assert.equal(lines.length - 3, 6, "header lines, 6 rows, the replay command");
  assert.ok(!/identical/.test(all.stdout));
  const json = (extra: string[]) =>
    (
      JSON.parse(pairgrid(["top", "--db", dbPath, "--by", "total_pnl", "--json", ...extra]).stdout) as {
        combo_id: number;
      }[]
    ).map((x) => x.combo_id);
  assert.deepEqual(json([]), [5, 3, 1, 0]);
  assert.deepEqual(json(["--all"]), [5, 3, 1, 2, 4, 0]);
});
