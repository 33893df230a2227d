// Market data as vendors deliver it: a leg from a folder or glob of daily Databento files, mixed
// compression and Parquet, headers repeated inside a file, overlapping days; each merged series
// is checked bar by bar against the bars it was generated from.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DataFileError } from "../src/errors.js";
import { readDatabentoFast, readDatabentoFiles } from "../src/loaders/duckdb-databento.js";
import { type Bars, loadLeg } from "../src/loaders/index.js";
import { databentoOpts, tempDir, writeData } from "./fixtures/data/helpers.js";
import { type DbBar, dbRow, dbText, DB_HEADER, walk, writeEncoded } from "./fixtures/data/vendor-files.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 5, 3); // Monday 2024-06-03 00:00 UTC
const oneSecond = databentoOpts({ fileBarMs: null, targetBarMs: 1000 });

function assertBars(got: Bars, want: DbBar[]): void {
  assert.equal(got.ts.length, want.length, "bar count");
  want.forEach((b, i) => {
    const row = [got.ts[i], got.open[i], got.high[i], got.low[i], got.close[i], got.volume[i]];
    assert.deepEqual(row, [b.ts, b.open, b.high, b.low, b.close, b.volume], `bar ${i}`);
  });
}

/** Four daily files of 300 one-second bars each: one bar series cut by day. */
function fourDays(): DbBar[][] {
  const all = walk(T0, 4 * 300, 5602, "ESM4", 5300);
  return [0, 1, 2, 3].map((d) =>
    all.slice(d * 300, (d + 1) * 300).map((b) => ({ ...b, ts: b.ts + d * DAY })),
  );
}

test("a folder of daily files in mixed encodings loads as one series, in time order, bar by bar", async () => {
  const dir = join(tempDir(), "es");
  mkdirSync(dir);
  const days = fourDays();
  const names = ["20240603.csv", "20240604.csv.gz", "20240605.csv.zst", "20240606.parquet"];
  for (let d = 0; d < 4; d++) await writeEncoded(dir, `glbx-mdp3-${names[d]}`, dbText(days[d]!));
  writeData(dir, "README.txt", "not data: ignored by the folder listing");
  const { bars, report } = await loadLeg(dir, oneSecond);
  assertBars(bars, days.flat());
  assert.equal(report.files, 4);
  assert.equal(report.fileBarMs, 1000, "bar length read from rtype 32");
  assert.equal(report.rowsRead, 1200);
  assert.deepEqual(report.rolls, []);
  // the same through a glob, and resampled to 1 minute from the rtype-given 1-second bars
  const glob = await loadLeg(join(dir, "glbx-mdp3-2024060[34].*"), oneSecond);
  assertBars(glob.bars, [...days[0]!, ...days[1]!]);
  const minutes = await loadLeg(dir, databentoOpts({ fileBarMs: null, targetBarMs: 60_000 }));
  assert.equal(minutes.bars.ts.length, 4 * 5);
  assert.equal(minutes.bars.close[0], days[0]![59]!.close);
});

test("a header repeated mid-file is skipped and counted; an overlapping identical day is merged", async () => {
  const dir = join(tempDir(), "es");
  mkdirSync(dir);
  const days = fourDays();
  // day 1 concatenated by hand from two halves, each with its header; day 2 downloaded twice
  const half = 150;
  const glued = dbText(days[0]!.slice(0, half)) + dbText(days[0]!.slice(half));
  writeData(dir, "a-20240603.csv", glued);
  writeData(dir, "b-20240604.csv", dbText(days[1]!));
  await writeEncoded(dir, "c-20240604-again.csv.zst", dbText([...days[1]!.slice(200), ...days[2]!]));
  const { bars, report } = await loadLeg(dir, oneSecond);
  assertBars(bars, [...days[0]!, ...days[1]!, ...days[2]!]);
  assert.equal(report.headersRepeated, 1);
  assert.equal(report.duplicatesMerged, 100);
});

test("overlapping files that disagree: an error naming both files and lines", async () => {
  const dir = join(tempDir(), "es");
  mkdirSync(dir);
  const days = fourDays();
  const a = writeData(dir, "a.csv", dbText(days[0]!));
  const changed = days[0]!.slice(250).map((b, i) => (i === 10 ? { ...b, volume: b.volume + 1 } : b));
  const b = await writeEncoded(dir, "b.csv.gz", dbText([...changed, ...days[1]!]));
  await assert.rejects(loadLeg(dir, oneSecond), (e: unknown) => {
    assert.ok(e instanceof DataFileError, String(e));
    assert.equal(e.file, b);
    assert.equal(e.line, 12); // header + 10 rows before it
    assert.match(
      e.reason,
      new RegExp(`differs from the same bar .* in ${a.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} line 262`),
    );
    return true;
  });
});

test("a bad row in a zstd file read by DuckDB is named by file and line", async () => {
  const dir = join(tempDir(), "es");
  mkdirSync(dir);
  const days = fourDays();
  const rows = dbText(days[0]!).split("\n");
  rows[41] = rows[41]!.replace(/,(\d+),ESM4$/, ",-5,ESM4"); // negative volume on line 42
  const f = await writeEncoded(dir, "bad.csv.zst", rows.join("\n"));
  await assert.rejects(loadLeg(dir, oneSecond), (e: unknown) => {
    assert.ok(e instanceof DataFileError, String(e));
    assert.equal(`${e.file}:${e.line}`, `${f}:42`);
    assert.match(e.reason, /negative volume in 'volume'/);
    return true;
  });
  // an empty folder, or a glob matching nothing, says so
  const empty = join(tempDir(), "none");
  mkdirSync(empty);
  await assert.rejects(loadLeg(empty, oneSecond), /no data files .* in this folder/);
  await assert.rejects(loadLeg(join(empty, "*.csv"), oneSecond), /no data files .* match this pattern/);
});

/**
 * A parent-symbol file: ESM4 and ESU4 interleaved over 3 days of 200 one-second bars; ESU4 =
 * ESM4 + 73.25 at every second. Volume moves to ESU4 on day 2, so it is the front from day 3.
 */
function interleaved(): { m: DbBar[]; u: DbBar[] } {
  const m: DbBar[] = [];
  const u: DbBar[] = [];
  for (let d = 0; d < 3; d++) {
    const base = walk(T0 + d * DAY + 14 * 3_600_000, 200, 5602, "ESM4", 5300 + d, d + 1);
    for (const b of base) {
      m.push({ ...b, volume: d === 0 ? 100 : 5 });
      u.push({
        ...b,
        id: 118,
        symbol: "ESU4",
        open: b.open + 73.25,
        high: b.high + 73.25,
        low: b.low + 73.25,
        close: b.close + 73.25,
        volume: d === 0 ? 5 : 100,
      });
    }
  }
  return { m, u };
}

function interleavedText(m: DbBar[], u: DbBar[]): string {
  const rows = [DB_HEADER];
  m.forEach((b, i) => rows.push(dbRow(b), dbRow(u[i]!)));
  return `${rows.join("\n")}\n`;
}

const volumeRoll = (adjust: "difference" | "ratio" | "none") =>
  databentoOpts({ fileBarMs: null, targetBarMs: 1000, roll: { select: "volume", adjust } });

test("roll select volume: the front month by the previous day's volume, no look-ahead; the roll reported", async () => {
  const { m, u } = interleaved();
  const f = writeData(tempDir(), "glbx-mdp3-es.ohlcv-1s.csv", interleavedText(m, u));
  const { bars, report } = await loadLeg(f, volumeRoll("none"));
  // day 1: only day 1's own volume exists (ESM4); day 2: ESM4 led day 1; day 3: ESU4 led day 2
  assertBars(bars, [...m.slice(0, 400), ...u.slice(400)]);
  assert.equal(report.rolls.length, 1);
  const roll = report.rolls[0]!;
  assert.equal(roll.day, "2024-06-05");
  assert.deepEqual([roll.from, roll.fromSymbol, roll.to, roll.toSymbol], ["5602", "ESM4", "118", "ESU4"]);
  assert.equal(roll.gap, 73.25);
  assert.equal(roll.ts, u[400]!.ts);
  assert.equal(roll.file, f);
  assert.equal(roll.line, 2 + 2 * 400 + 1, "the ESU4 row of the roll's first bar");
  // without data.roll such a file is refused: rows of two contracts interleave
  await assert.rejects(loadLeg(f, oneSecond), /several instruments are interleaved/);
});

test("adjust difference leaves no gap at the roll; ratio keeps returns; the last contract keeps its prices", async () => {
  const { m, u } = interleaved();
  const dir = join(tempDir(), "es");
  mkdirSync(dir);
  // daily files, one per encoding, as a vendor's parent-symbol download
  for (let d = 0; d < 3; d++) {
    const name = ["d1.csv.gz", "d2.csv.zst", "d3.parquet"][d]!;
    await writeEncoded(
      dir,
      name,
      interleavedText(m.slice(d * 200, (d + 1) * 200), u.slice(d * 200, (d + 1) * 200)),
    );
  }
  const diff = await loadLeg(dir, volumeRoll("difference"));
  // every bar before the roll is ESM4 + 73.25 = exactly the ESU4 price at that second
  assertBars(diff.bars, [
    ...u.slice(0, 400).map((b) => ({ ...b, volume: m[u.indexOf(b)]!.volume })),
    ...u.slice(400),
  ]);
  const i = 400;
  const step = diff.bars.open[i]! - diff.bars.close[i - 1]!;
  assert.ok(Math.abs(step) <= 0.25, `no gap at the roll: ${step}`);
  const ratio = await loadLeg(dir, volumeRoll("ratio"));
  const r = diff.report.rolls[0]!.ratio;
  assert.equal(ratio.bars.close[399], m[399]!.close * r);
  assert.equal(ratio.bars.close[400], u[400]!.close);
  // returns before the roll are kept
  const ret = (b: Bars, k: number) => b.close[k]! / b.close[k - 1]!;
  assert.ok(Math.abs(ret(ratio.bars, 100) - m[100]!.close / m[99]!.close) < 1e-12);
});

test("roll given: files one contract at a time, each taking over at its first bar", async () => {
  const { m, u } = interleaved();
  const dir = join(tempDir(), "es");
  mkdirSync(dir);
  writeData(dir, "ESM4.csv", dbText(m.slice(0, 300)));
  writeData(dir, "ESU4.csv", dbText(u.slice(250)));
  const opts = databentoOpts({
    fileBarMs: null,
    targetBarMs: 1000,
    roll: { select: "given", adjust: "difference" },
  });
  const { bars, report } = await loadLeg(dir, opts);
  assert.equal(report.rolls.length, 1);
  assert.equal(report.rolls[0]!.gap, 73.25, "measured between both contracts at the same second");
  assertBars(bars, [...u.slice(0, 250).map((b, k) => ({ ...b, volume: m[k]!.volume })), ...u.slice(250)]);
});

test("clean Databento files go through DuckDB's readers; a bad row sends a text file to the line parser", async () => {
  const dir = tempDir();
  const days = fourDays();
  const opts = { ...oneSecond, fileBarMs: 1000 };
  for (const name of ["ok.csv", "ok.csv.gz", "ok.csv.zst", "ok.parquet"]) {
    const read = await readDatabentoFast(await writeEncoded(dir, name, dbText(days[0]!)), opts);
    assert.ok(read !== null, name);
    assert.equal(read.segments[0]!.bars.ts.length, 300);
    // Parquet rows are numbered (errors name the row); CSV rows read by DuckDB have no line yet
    assert.equal(read.segments[0]!.lines === null, !name.endsWith(".parquet"));
  }
  const rows = dbText(days[0]!).split("\n");
  rows[5] = rows[5]!.replace(/,(\d+),ESM4$/, ",x,ESM4");
  assert.equal(await readDatabentoFast(await writeEncoded(dir, "bad.csv.zst", rows.join("\n")), opts), null);
});

test("a leg's files share DuckDB queries by layout; a file a query cannot take is left to the single-file path", async () => {
  const dir = tempDir();
  const days = fourDays();
  const opts = { ...oneSecond, fileBarMs: 1000 };
  // open and close swapped in the header and in every row: the same bars in another layout,
  // which must not be read with the other files' column order
  const swapped = dbText(days[3]!)
    .split("\n")
    .map((line) => {
      const f = line.split(",");
      if (f.length > 7) [f[4], f[7]] = [f[7]!, f[4]!];
      return f.join(",");
    })
    .join("\n");
  const bad = dbText(days[2]!).split("\n");
  bad[7] = bad[7]!.replace(/,(\d+),ESM4$/, ",-5,ESM4"); // negative volume: refused
  const files = [
    await writeEncoded(dir, "d0.csv.gz", dbText(days[0]!)),
    await writeEncoded(dir, "d1.csv.zst", dbText(days[1]!)),
    await writeEncoded(dir, "d2.csv.zst", bad.join("\n")),
    await writeEncoded(dir, "d3.csv", swapped),
    await writeEncoded(dir, "d4.parquet", dbText(days[0]!)),
  ];
  const reads = await readDatabentoFiles(files, opts);
  assert.equal(reads.length, 5);
  assert.equal(reads[2], null, "the refused file is read on its own, to name its line");
  for (const [k, want] of [
    [0, days[0]!],
    [1, days[1]!],
    [3, days[3]!],
    [4, days[0]!],
  ] as const) {
    const read = reads[k];
    assert.ok(read, files[k]);
    assert.equal(read.segments.length, 1);
    assert.equal(read.segments[0]!.file, files[k]);
    assertBars(read.segments[0]!.bars, want);
    assert.equal(read.stats.rowsRead, 300);
  }
  // a lenient load leaves text files to the line parser (it counts and samples skips)
  const lenient = await readDatabentoFiles(files, { ...opts, lenient: true });
  assert.deepEqual(
    lenient.map((r) => r !== null),
    [false, false, false, false, true],
  );
});
