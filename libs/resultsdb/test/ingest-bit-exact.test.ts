// The typed-array ingest (typed-columns.ts) stores exactly what the kernels produced: every
// parameter, statistic and fold value reads back bit for bit (-0, ±Infinity, subnormals, the
// largest doubles), NaN as NULL, across data-chunk boundaries (2048 rows) and chunks committed
// together, in both fold layouts; and a chunk delivered again adds no row.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { FOLD_WIDTH, N_STATS, PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import { type ChunkBatch, FOLD_COLUMNS, RESULT_COLUMNS, ResultsDb } from "../src/index.js";
import { counts, freshDbPath, inspect, newJob } from "./fixtures.js";

const N_FOLDS = 16;
/** Chunk sizes that cross the 2048-row data chunk inside a chunk and between chunks. */
const SIZES = [2500, 1, 2047, 452];
const FOLD_FIELDS = ["n_trades", "pnl", "pnl_sq", "n_days"] as const;

/** A deterministic xorshift generator: the same awkward values on every run. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const SPECIAL = [
  -0,
  0,
  Infinity,
  -Infinity,
  5e-324,
  -2.2250738585072014e-308,
  1.7976931348623157e308,
  Number.NaN,
];

/** A double: mostly ordinary, often special, sometimes NaN. */
function awkwardDouble(rand: () => number): number {
  const u = rand();
  if (u < 0.15) return SPECIAL[Math.floor(rand() * SPECIAL.length)]!;
  if (u < 0.25) return Number.NaN;
  return (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
}

/** A count (INTEGER column): a whole number, sometimes NaN (NULL). */
const awkwardCount = (rand: () => number) => (rand() < 0.1 ? Number.NaN : Math.floor(rand() * 2 ** 31));

function awkwardBatch(firstId: number, k: number, rand: () => number): ChunkBatch {
  const params = new Float64Array(k * PARAM_NAMES.length).map(() => awkwardDouble(rand));
  const stats = new Float64Array(k * N_STATS);
  STAT_NAMES.forEach((s, j) => {
    for (let r = 0; r < k; r++) {
      stats[r * N_STATS + j] = s.startsWith("n_") ? awkwardCount(rand) : awkwardDouble(rand);
    }
  });
  const folds = new Float64Array(k * N_FOLDS * FOLD_WIDTH);
  for (let i = 0; i < folds.length; i++) {
    const field = FOLD_FIELDS[i % FOLD_WIDTH]!;
    folds[i] = field.startsWith("n_") ? awkwardCount(rand) : awkwardDouble(rand);
  }
  const comboIds = Float64Array.from({ length: k }, (_, r) => firstId + r * 3);
  return { comboIds, params, stats, folds, nFolds: N_FOLDS };
}

/** Same value, bit for bit where a double is stored; NULL where the batch held NaN. */
function assertSame(got: unknown, want: number, what: string): void {
  if (Number.isNaN(want)) return assert.equal(got, null, `${what}: NaN must be NULL`);
  assert.ok(Object.is(got, want), `${what}: stored ${String(got)}, produced ${want}`);
}

/** A file as pairgrid made them before issue 19: results with a primary key, a fold table. */
async function makeOldFile(file: string): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  const cols = (defs: typeof RESULT_COLUMNS) => defs.map((c) => `"${c.name}" ${c.sql}`).join(", ");
  await conn.run(`CREATE TABLE results (${cols(RESULT_COLUMNS)}, PRIMARY KEY (job_id, combo_id))`);
  await conn.run(`CREATE TABLE results_folds (${cols(FOLD_COLUMNS)})`);
  conn.closeSync();
  instance.closeSync();
}

for (const layout of ["lists", "table"] as const) {
  test(`${layout} layout: rows with folds read back bit for bit, NaN as NULL; a chunk again adds nothing`, async () => {
    const file = freshDbPath(`bit-exact-${layout}`);
    if (layout === "table") await makeOldFile(file);
    const rand = prng(19);
    let first = 0;
    const batches = SIZES.map((k) => {
      const b = awkwardBatch(first, k, rand);
      first += 3 * k;
      return b;
    });
    const db = await ResultsDb.open(file);
    await db.createJob(newJob("j"));
    // in flight together: committed as one group through one appender
    const written = await Promise.all(batches.map((b, c) => db.ingestChunk("j", c, b)));
    assert.deepEqual(written, [true, true, true, true]);
    const nRows = SIZES.reduce((a, b) => a + b, 0);
    // a redelivered chunk (here with other contents) is refused by the ledger and adds no row
    assert.equal(await db.ingestChunk("j", 2, awkwardBatch(10 ** 9, 5, rand)), false);
    await db.close();
    assert.deepEqual(await counts(file, "j"), {
      results: nRows,
      folds: nRows * N_FOLDS,
      chunks: SIZES.length,
      n_done: nRows,
    });

    // read after close: what the checkpoint compressed, as another process finds it
    const rows = await inspect(file, "SELECT * FROM results ORDER BY combo_id");
    const folds = await inspect(
      file,
      "SELECT combo_id, fold, n_trades, pnl, pnl_sq, n_days FROM results_folds ORDER BY combo_id, fold",
    );
    assert.equal(rows.length, nRows);
    assert.equal(folds.length, nRows * N_FOLDS);
    let at = 0;
    for (const b of batches) {
      for (let r = 0; r < b.comboIds.length; r++, at++) {
        const row = rows[at]!;
        const id = b.comboIds[r]!;
        assert.equal(row.combo_id, id);
        assert.equal(row.job_id, "j");
        PARAM_NAMES.forEach((p, j) =>
          assertSame(row[p], b.params[r * PARAM_NAMES.length + j]!, `${p} of ${id}`),
        );
        STAT_NAMES.forEach((s, j) => assertSame(row[s], b.stats[r * N_STATS + j]!, `${s} of ${id}`));
        assert.equal(row.dsr, null);
        assert.equal(row.same_as, null);
        for (let f = 0; f < N_FOLDS; f++) {
          const fold = folds[at * N_FOLDS + f]!;
          assert.equal(fold.combo_id, id);
          assert.equal(fold.fold, f);
          FOLD_FIELDS.forEach((name, w) =>
            assertSame(
              fold[name],
              b.folds[(r * N_FOLDS + f) * FOLD_WIDTH + w]!,
              `fold ${f} ${name} of ${id}`,
            ),
          );
        }
      }
    }
  });
}
