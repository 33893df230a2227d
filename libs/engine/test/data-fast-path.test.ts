// The fast path of a leg of daily Databento files (DuckDB's readers, per-file pieces released
// once the leg is assembled) against the line parser on the same files: the same bars bit for
// bit, the same rolls, repeated headers and merged duplicates.
import assert from "node:assert/strict";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { BAR_COLUMNS, type Bars } from "../src/loaders/bars.js";
import { readDatabentoFiles } from "../src/loaders/duckdb-databento.js";
import { loadLeg } from "../src/loaders/index.js";
import { LegBuilder } from "../src/loaders/leg-builder.js";
import { releaseReads } from "../src/loaders/leg-parts.js";
import { databentoOpts, rejectsAt, tempDir, writeData } from "./fixtures/data/helpers.js";
import { type DbBar, dbText, walk, writeEncoded } from "./fixtures/data/vendor-files.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 5, 3, 13); // Monday 2024-06-03 13:00 UTC

const bytesOf = (bars: Bars) =>
  BAR_COLUMNS.map((c) => Buffer.from(bars[c].buffer, bars[c].byteOffset, bars[c].byteLength));

/** Day `d` of a contract: 240 one-second bars from 13:00 UTC. */
const day = (d: number, id: number, symbol: string, base: number): DbBar[] =>
  walk(T0 + d * DAY, 240, id, symbol, base, d + 7);

test("DuckDB's path and the line parser build the same leg from daily files with a roll, a repeated header and an overlap", async () => {
  const dir = join(tempDir(), "es");
  mkdirSync(dir);
  const m = [0, 1, 2].map((d) => day(d, 5602, "ESM4", 5300 + d));
  const u = [2, 3, 4].map((d) => day(d, 118, "ESU4", 5380 + d));
  // ESM4 days 1–3, day 2 glued from two downloads (its header repeated mid-file), day 3 also
  // downloaded again in part; ESU4 takes over on day 3 (given roll, back-adjusted by difference)
  await writeEncoded(dir, "a-20240603.csv.gz", dbText(m[0]!));
  writeData(dir, "a-20240604.csv", dbText(m[1]!.slice(0, 100)) + dbText(m[1]!.slice(100)));
  await writeEncoded(dir, "a-20240605.csv.zst", dbText(m[2]!));
  await writeEncoded(dir, "a-20240605-again.csv.zst", dbText(m[2]!.slice(150)));
  await writeEncoded(dir, "b-20240605.csv", dbText(u[0]!));
  await writeEncoded(dir, "b-20240606.parquet", dbText(u[1]!));
  await writeEncoded(dir, "b-20240607.csv.gz", dbText(u[2]!));
  const opts = databentoOpts({
    fileBarMs: null,
    targetBarMs: 1000,
    roll: { select: "given", adjust: "difference" },
  });

  // every file but the glued one is one DuckDB can read (the glued one fails its query, so the
  // loader reads the files of that query one by one, and the glued one by the line parser)
  const clean = readdirSync(dir)
    .filter((n) => !n.endsWith(".txt") && n !== "a-20240604.csv")
    .map((n) => join(dir, n));
  const reads = await readDatabentoFiles(clean, { ...opts, fileBarMs: 1000 });
  assert.deepEqual(
    reads.map((r) => r !== null),
    clean.map(() => true),
  );

  const fast = await loadLeg(dir, opts);
  // lenient: every text file goes through the line parser (the files have no bad rows, so
  // nothing is skipped and the result must be the same)
  const slow = await loadLeg(dir, { ...opts, lenient: true });
  assert.equal(slow.report.skipped, 0);
  assert.deepEqual(bytesOf(fast.bars), bytesOf(slow.bars));
  assert.equal(fast.bars.ts.length, 5 * 240, "ESM4 on days 1–2, ESU4 from its first bar on day 3");
  for (const k of ["rowsRead", "headersRepeated", "duplicatesMerged", "files"] as const) {
    assert.equal(fast.report[k], slow.report[k], k);
  }
  assert.equal(fast.report.headersRepeated, 1);
  assert.equal(fast.report.duplicatesMerged, 90);
  assert.deepEqual(fast.report.rolls, slow.report.rolls);
  const roll = fast.report.rolls[0]!;
  assert.deepEqual([roll.from, roll.to, roll.line], ["5602", "118", 2]);
  assert.equal(roll.file, join(dir, "b-20240605.csv"));
  // the leg's columns are shared memory, intact after the per-file pieces were released
  for (const c of BAR_COLUMNS) assert.ok(fast.bars[c].buffer instanceof SharedArrayBuffer, c);
  assert.equal(fast.bars.close[fast.bars.ts.length - 1], u[2]![239]!.close);
});

test("a file's rows live in releasable memory cut to their count; releasing hands it back", () => {
  const b = new LegBuilder("f.csv", 1000, false, null);
  b.reserve(1000);
  for (let i = 0; i < 10; i++) b.add(i + 1, i * 1000, 10, 11, 9, 10, 1);
  const bars = b.finish();
  for (const c of BAR_COLUMNS) {
    assert.equal(bars[c].length, 10, c);
    assert.equal(bars[c].buffer.byteLength, 80, `${c}: the reserve's tail is returned, not copied`);
  }
  assert.deepEqual([...bars.close], Array(10).fill(10));
  const read = { segments: [{ file: "f.csv", id: "", bars, lines: b.rowLines() }], stats: {} };
  releaseReads([read as unknown as Parameters<typeof releaseReads>[0][number]]);
  for (const c of BAR_COLUMNS) assert.equal(bars[c].length, 0, `${c} released`);
});

test("an empty field reaches the row checks as a missing value: Parquet names its row, text its line", async () => {
  const bars = day(0, 5602, "ESM4", 5300).slice(0, 50);
  // the 8th volume left empty: a NULL in DuckDB's typed read of either encoding. (A NULL's slot
  // in a DuckDB vector holds any number, often 0: a volume of 0 would pass every check.)
  const text = dbText(bars)
    .split("\n")
    .map((line, k) => (k === 8 ? line.replace(/,(\d+),ESM4$/, ",,ESM4") : line))
    .join("\n");
  const opts = databentoOpts({ fileBarMs: 1000, targetBarMs: 1000, cacheDir: null });
  for (const name of ["d.parquet", "d.csv.zst"]) {
    const dir = join(tempDir(), name.replace(/\W/g, "-"));
    mkdirSync(dir);
    const file = await writeEncoded(dir, name, text);
    // the other 49 rows are fine: only the NULL can refuse the file (Parquet: row 8; text: the
    // header is line 1, so line 9)
    await rejectsAt(loadLeg(dir, opts), file, name.endsWith(".parquet") ? 8 : 9, /volume/);
  }
  // with no NULL the same files load on DuckDB's path, every bar kept
  const dir = join(tempDir(), "clean");
  mkdirSync(dir);
  await writeEncoded(dir, "d.parquet", dbText(bars));
  const clean = await loadLeg(dir, opts);
  assert.deepEqual(
    [...clean.bars.close],
    bars.map((b) => b.close),
  );
});
