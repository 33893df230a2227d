// isContiguous and hasNull (fold-block-source.ts) read a DuckDB list vector's (offset, length) entries as
// 32-bit words instead of one BigInt per call; a wrong answer of "contiguous" would hand the
// robustness report the wrong folds for a row, and a NULL list missed by hasNull would be read as
// whatever its entry points at. Checked on list vectors DuckDB itself produced.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance, type DuckDBListVector } from "@duckdb/node-api";
import { hasNull, isContiguous } from "../src/fold-block-source.js";

async function firstListVector(sql: string): Promise<{ list: DuckDBListVector; n: number }> {
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  const result = await conn.stream(sql);
  const chunk = (await result.fetchChunk())!;
  return { list: chunk.getColumnVector(0) as DuckDBListVector, n: chunk.rowCount };
}

test("list entries: back-to-back rows of F elements are contiguous; other lengths are not", async () => {
  const even = await firstListVector("SELECT [i, i + 1, i + 2] FROM range(3000) t(i)");
  assert.equal(even.n, 2048);
  const first = even.list.getEntryOffset(0);
  assert.equal(isContiguous(even.list, even.n, 3, first), true);
  // the same vector judged against another fold count or a shifted start
  assert.equal(isContiguous(even.list, even.n, 2, first), false);
  assert.equal(isContiguous(even.list, even.n, 3, first + 1), false);
  // one row of the block longer than the others
  const ragged = await firstListVector(
    "SELECT CASE WHEN i = 1500 THEN [i, i, i, i] ELSE [i, i, i] END FROM range(2048) t(i)",
  );
  assert.equal(isContiguous(ragged.list, 1500, 3, ragged.list.getEntryOffset(0)), true);
  assert.equal(isContiguous(ragged.list, ragged.n, 3, ragged.list.getEntryOffset(0)), false);
  // the block's last row longer: only its length tells (no row after it starts late)
  const last = await firstListVector(
    "SELECT CASE WHEN i = 2047 THEN [i, i, i, i] ELSE [i, i, i] END FROM range(2048) t(i)",
  );
  assert.equal(isContiguous(last.list, last.n, 3, last.list.getEntryOffset(0)), false);
});

test("list validity: hasNull finds a NULL list in any of the block's 64-row mask words, and only in the rows asked", async () => {
  const none = await firstListVector("SELECT [i, i] FROM range(2048) t(i)");
  assert.equal(hasNull(none.list, none.n), false);
  // one NULL row at a word's first bit, in the middle of a word, at its last bit, the block's last row
  for (const at of [0, 64, 100, 127, 2047]) {
    const one = await firstListVector(
      `SELECT CASE WHEN i = ${at} THEN NULL ELSE [i, i] END FROM range(2048) t(i)`,
    );
    assert.equal(one.n, 2048);
    assert.equal(hasNull(one.list, one.n), true, `NULL at row ${at}`);
    // rows before it only: no NULL among them (the mask of a partial last word)
    assert.equal(hasNull(one.list, at), false, `rows before ${at}`);
    assert.equal(hasNull(one.list, at + 1), true, `rows up to ${at}`);
  }
});
