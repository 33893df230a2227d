// markTwins marks the job one hash partition of its statistics at a time, grouping each exactly.
// (Candidates share a hash of the statistics; a cut-down hash makes non-twins share one too.)
// Checked here against a brute-force grouping in JS of the statistics as stored: in 1, 2, 3 or 7
// partitions (two statistic vectors in one partition must not become twins; twins must never be
// split across partitions), with NULL, NaN, -NaN and ±0 statistics (NULL = NULL, NaN = -NaN,
// 0 = -0, NaN ≠ NULL), and over pointers that are stale (garbage written into same_as, or a twin
// whose statistics were replaced) which must be rewritten.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { STAT_NAMES } from "@pairgrid/engine";
import { ResultsDb } from "../src/index.js";
import { ident } from "../src/schema.js";
import { markTwins } from "../src/twin-groups.js";
import { freshDbPath, makeBatch, newJob, range } from "./fixtures.js";

const N = 40;

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS();
}

/** Expected same_as from the stored statistics: String() makes -0 "0" and every NaN "NaN". */
async function expected(conn: DuckDBConnection): Promise<Map<number, number | null>> {
  const stats = STAT_NAMES.map(ident).join(", ");
  const all = await rows(conn, `SELECT combo_id, ${stats} FROM results WHERE job_id = 'j' ORDER BY combo_id`);
  const first = new Map<string, number>();
  const out = new Map<number, number | null>();
  for (const r of all) {
    const id = Number(r.combo_id);
    const key = STAT_NAMES.map((s) => (r[s] === null ? "null" : String(r[s]))).join("|");
    if (!first.has(key)) first.set(key, id);
    out.set(id, first.get(key) === id ? null : first.get(key)!);
  }
  return out;
}

async function sameAs(conn: DuckDBConnection): Promise<Map<number, number | null>> {
  const all = await rows(conn, "SELECT combo_id, same_as FROM results WHERE job_id = 'j' ORDER BY combo_id");
  return new Map(all.map((r) => [Number(r.combo_id), r.same_as === null ? null : Number(r.same_as)]));
}

test("markTwins is exact in any number of partitions, with NULL, NaN and ±0, and leaves no stale pointer", async () => {
  const file = freshDbPath("twins-exact");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  await db.ingestChunk("j", 0, makeBatch(range(0, N)));
  await db.close();

  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  try {
    // seven groups by combo_id mod 7, each then split or kept by the special values below
    const set = STAT_NAMES.map((s) => `${ident(s)} = (combo_id % 7)::DOUBLE`).join(", ");
    await conn.run(`UPDATE results SET ${set}`);
    // mod 7 = 1: sharpe NaN on even ids, -NaN on odd ids → still one group
    await conn.run(
      "UPDATE results SET sharpe = CASE WHEN combo_id % 2 = 0 THEN 'nan'::DOUBLE ELSE -('nan'::DOUBLE) END WHERE combo_id % 7 = 1",
    );
    // mod 7 = 2: max_dd 0 on even ids, -0 on odd ids → still one group
    await conn.run(
      "UPDATE results SET max_dd = CASE WHEN combo_id % 2 = 0 THEN 0.0::DOUBLE ELSE -0.0::DOUBLE END WHERE combo_id % 7 = 2",
    );
    // mod 7 = 3: skew NULL, except 38 whose skew is NaN (NaN is not NULL) → 38 has no twin
    await conn.run(
      "UPDATE results SET skew = CASE WHEN combo_id = 38 THEN 'nan'::DOUBLE END WHERE combo_id % 7 = 3",
    );
    // mod 7 = 4: kurtosis differs by 1e-12 on 25 only → 25 has no twin
    await conn.run("UPDATE results SET kurtosis = kurtosis + 1e-12 WHERE combo_id = 25");

    const want = await expected(conn);
    // the fixture holds the cases it claims
    assert.equal(want.get(8), 1); // 8 ≡ 1 (mod 7), sharpe NaN: twin of 1 (sharpe -NaN)
    assert.equal(want.get(9), 2); // 9 ≡ 2, max_dd -0: twin of 2 (max_dd 0)
    assert.equal(want.get(38), null);
    assert.equal(want.get(24), 3); // 24 ≡ 3: NULL skew twin of 3
    assert.equal(want.get(25), null);
    assert.equal(want.get(32), 4);
    const nTwins = [...want.values()].filter((v) => v !== null).length;

    for (const partitions of [undefined, 1, 2, 3, 7]) {
      // hashModulus 3: rows of different statistics share a candidate hash, which must not make
      // them twins (the exact grouping decides)
      for (const hashModulus of [undefined, 3]) {
        // stale pointers everywhere: every row must be rewritten to the exact answer
        await conn.run("UPDATE results SET same_as = combo_id + 1000 WHERE combo_id % 3 = 0");
        const opts = {
          ...(partitions === undefined ? {} : { partitions }),
          ...(hashModulus ? { hashModulus } : {}),
        };
        const n = await markTwins(conn, "j", opts);
        assert.deepEqual(await sameAs(conn), want, `partitions ${partitions}, hashModulus ${hashModulus}`);
        assert.equal(n, nTwins);
      }
    }

    // rows whose statistics are replaced (no row shares them now): 32, a twin of 4, goes back to
    // NULL; 3 was its group's first, so the rest of that group now points at 10
    await conn.run("UPDATE results SET total_pnl = 123.5 WHERE combo_id IN (3, 32)");
    const again = await expected(conn);
    assert.equal(again.get(3), null);
    assert.equal(again.get(32), null);
    assert.equal(again.get(17), 10);
    for (const partitions of [undefined, 3]) {
      await markTwins(conn, "j", partitions === undefined ? {} : { partitions });
      assert.deepEqual(await sameAs(conn), again, `after replacing, partitions ${partitions}`);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});

test("markTwins refuses a partitions count that is not a positive integer", async () => {
  const file = freshDbPath("twins-buckets");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  await db.close();
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  try {
    for (const partitions of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(markTwins(conn, "j", { partitions }), /partitions must be a positive integer/);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});
