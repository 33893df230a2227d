// Every kind of bad input gives a DataFileError naming the file, the 1-based line and the problem;
// lenient mode skips bad rows and reports them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadLeg } from "../src/loaders/index.js";
import { DataFileError, InputError } from "../src/errors.js";
import {
  csvOpts,
  rejectsAt,
  SIERRA_HEADER,
  sierraOpts,
  sierraRow,
  tempDir,
  writeData,
} from "./fixtures/data/helpers.js";

const dir = tempDir();
const good = (i: number) => sierraRow("2024/1/2", `09:${String(30 + i).padStart(2, "0")}:00`, 4750 + i);

/** A Sierra file whose data row `bad` (0-based) is replaced; that row sits on line bad + 2. */
function sierraWith(name: string, bad: number, row: string, rows = 5): string {
  const lines = [SIERRA_HEADER];
  for (let i = 0; i < rows; i++) lines.push(i === bad ? row : good(i));
  return writeData(dir, name, `${lines.join("\n")}\n`);
}

test("missing column: line 1, names the column and lists those found", async () => {
  const f = writeData(
    dir,
    "nocol.csv",
    "Date, Time, Open, High, Low, Last\n2024/1/2, 09:30:00, 1, 1, 1, 1\n",
  );
  await rejectsAt(
    loadLeg(f, sierraOpts()),
    f,
    1,
    /missing column 'Volume'.*columns found: 'Date', 'Time'.*'Last'/,
  );
  const g = writeData(
    dir,
    "noclose.csv",
    "Date, Time, Open, High, Low, Volume\n2024/1/2, 09:30:00, 1, 1, 1, 1\n",
  );
  await rejectsAt(loadLeg(g, sierraOpts()), g, 1, /missing column 'Last' or 'Close'/);
});

test("unparsable number names the field", async () => {
  const f = sierraWith("badnum.csv", 2, "2024/1/2, 09:32:00, 4752, 47x2, 4752, 4752, 10, 1, 5, 5");
  await rejectsAt(loadLeg(f, sierraOpts()), f, 4, /unparsable number in 'High': '47x2'/);
  const g = sierraWith("emptynum.csv", 1, "2024/1/2, 09:31:00, 4752, 4752, 4752, , 10, 1, 5, 5");
  await rejectsAt(loadLeg(g, sierraOpts()), g, 3, /empty field 'Last'/);
});

test("unparsable date and time name the field", async () => {
  const f = sierraWith("badtime.csv", 3, sierraRow("2024/1/2", "09:3x:00", 4753));
  await rejectsAt(loadLeg(f, sierraOpts()), f, 5, /unparsable time in 'Time': '09:3x:00'/);
  const g = sierraWith("baddate.csv", 0, sierraRow("2024/2/30", "09:30:00", 4753));
  await rejectsAt(loadLeg(g, sierraOpts()), g, 2, /unparsable date in 'Date': '2024\/2\/30'/);
});

test("non-positive and non-finite prices", async () => {
  const zero = sierraWith("zero.csv", 1, "2024/1/2, 09:31:00, 4751, 4751, 0, 4751, 10, 1, 5, 5");
  await rejectsAt(loadLeg(zero, sierraOpts()), zero, 3, /non-positive price in 'Low': 0/);
  const neg = sierraWith("neg.csv", 4, sierraRow("2024/1/2", "09:34:00", -3));
  await rejectsAt(loadLeg(neg, sierraOpts()), neg, 6, /non-positive price in 'Open': -3/);
  const inf = sierraWith("inf.csv", 2, "2024/1/2, 09:32:00, 4751, inf, 4751, 4751, 10, 1, 5, 5");
  await rejectsAt(loadLeg(inf, sierraOpts()), inf, 4, /non-finite price in 'High': Infinity/);
  const nan = sierraWith("nan.csv", 2, "2024/1/2, 09:32:00, 4751, 4751, 4751, NaN, 10, 1, 5, 5");
  await rejectsAt(loadLeg(nan, sierraOpts()), nan, 4, /non-finite value in 'Last': NaN/);
  const huge = sierraWith("huge.csv", 0, sierraRow("2024/1/2", "09:30:00", "1e400"));
  await rejectsAt(loadLeg(huge, sierraOpts()), huge, 2, /non-finite price in 'Open'/);
});

test("negative and non-finite volume", async () => {
  const neg = sierraWith("negvol.csv", 1, sierraRow("2024/1/2", "09:31:00", 4751, -1));
  await rejectsAt(loadLeg(neg, sierraOpts()), neg, 3, /negative volume in 'Volume': -1/);
  const inf = sierraWith("infvol.csv", 1, sierraRow("2024/1/2", "09:31:00", 4751, "Infinity"));
  await rejectsAt(loadLeg(inf, sierraOpts()), inf, 3, /non-finite volume in 'Volume'/);
});

test("timestamp going backwards, and a duplicate timestamp", async () => {
  const back = sierraWith("back.csv", 3, sierraRow("2024/1/2", "09:31:00", 4751));
  await rejectsAt(
    loadLeg(back, sierraOpts()),
    back,
    5,
    /goes backwards \(earlier than line 4\): 2024-01-02T14:31:00Z after 2024-01-02T14:32:00Z/,
  );
  const dup = sierraWith("dup.csv", 3, sierraRow("2024/1/2", "09:32:00", 4751));
  await rejectsAt(
    loadLeg(dup, sierraOpts()),
    dup,
    5,
    /duplicate timestamp \(same bar as line 4\): 2024-01-02T14:32:00Z/,
  );
});

test("empty file, and a header without data rows", async () => {
  const empty = writeData(dir, "empty.csv", "");
  await rejectsAt(loadLeg(empty, sierraOpts()), empty, 1, /empty file/);
  const blank = writeData(dir, "blank.csv", "\n\n  \n");
  await rejectsAt(loadLeg(blank, sierraOpts()), blank, 1, /empty file/);
  const headerOnly = writeData(dir, "header.csv", `${SIERRA_HEADER}\n\n`);
  await rejectsAt(loadLeg(headerOnly, sierraOpts()), headerOnly, 1, /no data rows/);
});

test("wrong delimiter says which was expected and which was found", async () => {
  const f = writeData(dir, "semi.csv", "timestamp;close;volume\n2024-01-02 09:30;4750;1\n");
  await rejectsAt(
    loadLeg(f, csvOpts({ delimiter: "," })),
    f,
    1,
    /wrong delimiter: expected ',' but the header looks ';'-delimited/,
  );
  const t = writeData(dir, "tabs.csv", "Date\tTime\tOpen\tHigh\tLow\tLast\tVolume\n");
  await rejectsAt(loadLeg(t, sierraOpts()), t, 1, /expected ',' but the header looks tab-delimited/);
});

test("a local time in the spring-forward gap", async () => {
  const lines = [SIERRA_HEADER, sierraRow("2024/3/10", "01:59:00", 1), sierraRow("2024/3/10", "02:30:00", 2)];
  const f = writeData(dir, "gap.csv", `${lines.join("\n")}\n`);
  await rejectsAt(
    loadLeg(f, sierraOpts()),
    f,
    3,
    /local time does not exist in America\/New_York .*: 2024-03-10 02:30:00$/,
  );
});

test("a row off the file's bar grid (bar length set wrong)", async () => {
  const f = sierraWith("offgrid.csv", 2, sierraRow("2024/1/2", "09:32:30", 4752));
  await rejectsAt(loadLeg(f, sierraOpts()), f, 4, /not on the 1 min grid .*: 2024-01-02T14:32:30Z$/);
  // 1-minute bars declared as 5-minute bars: the second row is caught.
  const g = sierraWith("declared5.csv", -1, "");
  await rejectsAt(
    loadLeg(g, sierraOpts({ fileBarMs: 300_000, targetBarMs: 300_000 })),
    g,
    3,
    /not on the 5 min grid/,
  );
});

test("a row with too few fields", async () => {
  const f = sierraWith("short.csv", 1, "2024/1/2, 09:31:00, 4751");
  await rejectsAt(loadLeg(f, sierraOpts()), f, 3, /expected at least 7 fields, found 3/);
});

test("file bars coarser than the wanted bars are a settings error", async () => {
  const f = sierraWith("coarse.csv", -1, "");
  await assert.rejects(
    loadLeg(f, sierraOpts({ fileBarMs: 300_000, targetBarMs: 60_000 })),
    (e: unknown) =>
      e instanceof InputError && !(e instanceof DataFileError) && /coarser than bar_minutes/.test(e.message),
  );
  await assert.rejects(
    loadLeg(f, sierraOpts({ fileBarMs: 120_000, targetBarMs: 300_000 })),
    /not a whole number of file bars/,
  );
  await assert.rejects(
    loadLeg(writeData(dir, "x.csv", "a"), sierraOpts({ tz: "Mars/Base" })),
    /unknown time zone/,
  );
  await assert.rejects(loadLeg(`${dir}/missing.csv`, sierraOpts()), /cannot read data file \(no such file\)/);
});

test("lenient mode skips bad rows, counts them and keeps the first ten", async () => {
  const lines = [SIERRA_HEADER];
  for (let i = 0; i < 30; i++) {
    const t = `${String(10 + Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00`;
    // every other row is bad, in several different ways
    if (i % 2 === 1) lines.push(i % 4 === 1 ? sierraRow("2024/1/2", t, 0) : sierraRow("2024/1/2", "xx", 5));
    else lines.push(sierraRow("2024/1/2", t, 4700 + i));
  }
  lines.push(sierraRow("2024/1/2", "10:00:00", 4800)); // duplicate of the first row's time… after it
  const f = writeData(dir, "lenient.csv", `${lines.join("\n")}\n`);
  await rejectsAt(loadLeg(f, sierraOpts()), f, 3, /non-positive price/);
  const { bars, report } = await loadLeg(f, sierraOpts({ lenient: true }));
  assert.equal(report.rowsRead, 31);
  assert.equal(report.skipped, 16);
  assert.equal(bars.ts.length, 15);
  assert.equal(report.bars, 15);
  assert.equal(report.skippedSamples.length, 10);
  assert.deepEqual(
    report.skippedSamples.map((s) => s.line),
    [3, 5, 7, 9, 11, 13, 15, 17, 19, 21],
  );
  assert.match(report.skippedSamples[0].reason, /non-positive price in 'Open'/);
  assert.deepEqual(report.skippedSamples[1], {
    line: 5,
    reason: "unparsable time in 'Time'",
    excerpt: "'xx'",
  });
  assert.deepEqual(Array.from(bars.close.slice(0, 3)), [4700, 4702, 4704]);
});

test("lenient mode still fails on header problems, and when no row is valid", async () => {
  const f = writeData(dir, "lenhead.csv", "Date, Time, Open\n2024/1/2, 09:30:00, 1\n");
  await rejectsAt(loadLeg(f, sierraOpts({ lenient: true })), f, 1, /missing column 'High'/);
  const g = writeData(dir, "allbad.csv", `${SIERRA_HEADER}\n${sierraRow("2024/1/2", "9:3", 1)}\n`);
  await rejectsAt(
    loadLeg(g, sierraOpts({ lenient: true })),
    g,
    2,
    /no valid rows: all 1 data rows were skipped/,
  );
});
