// Each file format loads into the right bar-start timestamps and values.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadLeg } from "../src/loaders/index.js";
import {
  csvOpts,
  databentoOpts,
  rejectsAt,
  SIERRA_HEADER,
  sierraOpts,
  tempDir,
  utc,
  writeData,
} from "./fixtures/data/helpers.js";

const dir = tempDir();

test("Sierra Chart: both date styles, optional milliseconds, New York time, all columns", async () => {
  const f = writeData(
    dir,
    "sierra.csv",
    [
      SIERRA_HEADER,
      "2024/1/2, 09:30:00.000, 4750.25, 4751.00, 4750.00, 4750.75, 123, 45, 60, 63",
      "2024-01-02, 09:31:00, 4750.75, 4752.5, 4750.5, 4752.25, 7, 2, 3, 4",
      "2024/7/1, 9:30:00, 5500, 5501, 5499, 5500.5, 0, 0, 0, 0",
    ].join("\n"),
  );
  const { bars, report } = await loadLeg(f, sierraOpts());
  assert.deepEqual(Array.from(bars.ts), [
    utc("2024-01-02T14:30:00Z"),
    utc("2024-01-02T14:31:00Z"),
    utc("2024-07-01T13:30:00Z"), // EDT in summer
  ]);
  assert.deepEqual(Array.from(bars.open), [4750.25, 4750.75, 5500]);
  assert.deepEqual(Array.from(bars.high), [4751, 4752.5, 5501]);
  assert.deepEqual(Array.from(bars.low), [4750, 4750.5, 5499]);
  assert.deepEqual(Array.from(bars.close), [4750.75, 4752.25, 5500.5]);
  assert.deepEqual(Array.from(bars.volume), [123, 7, 0]);
  assert.equal(report.rowsRead, 3);
  assert.equal(report.bars, 3);
  for (const col of Object.values(bars)) assert.ok(col.buffer instanceof SharedArrayBuffer);
});

test("Sierra Chart: Close stands in for Last, Last wins over Close, names match case-insensitively", async () => {
  const close = writeData(
    dir,
    "close.csv",
    "date,time,open,high,low,CLOSE,volume\n2024/1/2,09:30:00,1,3,1,2,5\n",
  );
  assert.deepEqual(Array.from((await loadLeg(close, sierraOpts())).bars.close), [2]);
  const both = writeData(
    dir,
    "both.csv",
    "Date, Time, Open, High, Low, Close, Last, Volume\n2024/1/2, 09:30:00, 1, 9, 1, 2, 3, 5\n",
  );
  assert.deepEqual(Array.from((await loadLeg(both, sierraOpts())).bars.close), [3]);
});

test("CRLF line ends, a UTF-8 BOM and trailing blank lines load like a plain file", async () => {
  const rows = [
    SIERRA_HEADER,
    "2024/1/2, 09:30:00, 4750, 4751, 4749.5, 4750.5, 10, 1, 1, 1",
    "2024/1/2, 09:31:00, 4750.5, 4752, 4750, 4751.5, 20, 1, 1, 1",
  ];
  const plain = writeData(dir, "plain.csv", `${rows.join("\n")}\n`);
  const messy = writeData(dir, "messy.csv", `\uFEFF${rows.join("\r\n")}\r\n\r\n\r\n  \n`);
  const a = await loadLeg(plain, sierraOpts());
  const b = await loadLeg(messy, sierraOpts());
  assert.deepEqual(b.bars, a.bars);
  assert.equal(b.report.rowsRead, 2);
  const noFinalNewline = writeData(dir, "nonl.csv", rows.join("\r\n"));
  assert.deepEqual((await loadLeg(noFinalNewline, sierraOpts())).bars, a.bars);
});

const DB_HEADER = "ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume,symbol";

test("Databento: nanosecond timestamps beyond 2^53 and fixed-point prices (1e-9 units)", async () => {
  const f = writeData(
    dir,
    "db-raw.csv",
    [
      DB_HEADER,
      "1704205800000000000,33,1,4916,4750250000000,4751000000000,4750000000000,4750750000000,123,ESH4",
      "1704205860000000000,33,1,4916,4750750000000,4752500000000,4750500000000,4752250000000,7,ESH4",
    ].join("\n"),
  );
  const { bars, report } = await loadLeg(f, databentoOpts());
  assert.deepEqual(Array.from(bars.ts), [utc("2024-01-02T14:30:00Z"), utc("2024-01-02T14:31:00Z")]);
  assert.deepEqual(Array.from(bars.open), [4750.25, 4750.75]);
  assert.deepEqual(Array.from(bars.high), [4751, 4752.5]);
  assert.deepEqual(Array.from(bars.low), [4750, 4750.5]);
  assert.deepEqual(Array.from(bars.close), [4750.75, 4752.25]);
  assert.deepEqual(Array.from(bars.volume), [123, 7]);
  assert.deepEqual(report.rolls, []);
});

test("Databento: a sub-millisecond ts_event is caught, not rounded away", async () => {
  // Number("1704205800000000001") rounds to …000000000: a naive parse would accept this row.
  const f = writeData(dir, "db-subms.csv", `${DB_HEADER}\n1704205800000000001,33,1,1,1,1,1,1,1,X\n`);
  await rejectsAt(loadLeg(f, databentoOpts()), f, 2, /not on the 1 min grid/);
});

test("Databento: pretty prices and ISO timestamps give bit-identical bars", async () => {
  const raw = writeData(
    dir,
    "db-raw2.csv",
    `${DB_HEADER}\n1704205800000000000,33,1,4916,4750250000000,4751000000000,4750000000000,4750100000000,123,ESH4\n`,
  );
  const pretty = writeData(
    dir,
    "db-pretty.csv",
    `${DB_HEADER}\n2024-01-02T14:30:00.000000000Z,33,1,4916,4750.250000000,4751.000000000,4750.000000000,4750.100000000,123,ESH4\n`,
  );
  const pandas = writeData(
    dir,
    "db-pandas.csv",
    `${DB_HEADER}\n2024-01-02 14:30:00+00:00,33,1,4916,4750.25,4751.0,4750.0,4750.1,123,ESH4\n`,
  );
  const a = (await loadLeg(raw, databentoOpts())).bars;
  assert.equal(a.close[0], 4750.1);
  assert.deepEqual((await loadLeg(pretty, databentoOpts())).bars, a);
  assert.deepEqual((await loadLeg(pandas, databentoOpts())).bars, a);
});

test("Databento: every instrument_id change is reported as a roll", async () => {
  const rows = [DB_HEADER];
  const t0 = 1710460800000; // 2024-03-15T00:00:00Z
  const ids = [
    [4916, "ESH4"],
    [4916, "ESH4"],
    [5002, "ESM4"],
    [5002, "ESM4"],
    [6100, "ESU4"],
  ] as const;
  ids.forEach(([id, sym], i) => {
    rows.push(
      `${t0 + i * 60_000}000000,33,1,${id},5000000000000,5000000000000,5000000000000,5000000000000,1,${sym}`,
    );
  });
  const f = writeData(dir, "db-roll.csv", rows.join("\n"));
  const { report } = await loadLeg(f, databentoOpts());
  // a roll also names its trading day and file, and the price gap between the contracts there
  const at = { day: "2024-03-15", file: f, gap: 0, ratio: 1 };
  assert.deepEqual(report.rolls, [
    { ts: t0 + 2 * 60_000, line: 4, from: "4916", to: "5002", fromSymbol: "ESH4", toSymbol: "ESM4", ...at },
    { ts: t0 + 4 * 60_000, line: 6, from: "5002", to: "6100", fromSymbol: "ESM4", toSymbol: "ESU4", ...at },
  ]);
});

test("Databento: undefined prices, interleaved instruments and a wrong bar length are errors", async () => {
  const undef = writeData(
    dir,
    "db-undef.csv",
    `${DB_HEADER}\n1704205800000000000,33,1,1,9223372036854775807,1,1,1,1,X\n`,
  );
  await rejectsAt(loadLeg(undef, databentoOpts()), undef, 2, /undefined price in 'open' \(UNDEF_PRICE\)/);
  const empty = writeData(
    dir,
    "db-empty.csv",
    `${DB_HEADER}\n2024-01-02T14:30:00.000000000Z,33,1,1,1.0,,1.0,1.0,1,X\n`,
  );
  await rejectsAt(loadLeg(empty, databentoOpts()), empty, 2, /undefined price in 'high' \(empty\)/);
  const mixed = writeData(
    dir,
    "db-mixed.csv",
    `${DB_HEADER}\n1704205800000000000,33,1,1,1.0,1.0,1.0,1.0,1,A\n1704205800000000000,33,1,2,1.0,1.0,1.0,1.0,1,B\n`,
  );
  await rejectsAt(loadLeg(mixed, databentoOpts()), mixed, 3, /several instruments are interleaved/);
  const rtype = writeData(
    dir,
    "db-rtype.csv",
    `${DB_HEADER}\n1704205800000000000,32,1,1,1.0,1.0,1.0,1.0,1,A\n`,
  );
  await rejectsAt(
    loadLeg(rtype, databentoOpts({ lenient: true })),
    rtype,
    2,
    /rtype 32 is ohlcv-1s bars but the file's bar length is set to 1 min/,
  );
});

test("csv: semicolons, bar-end labels, 24:00, zone offsets and defaults for missing columns", async () => {
  const f = writeData(
    dir,
    "end.csv",
    [
      "Timestamp;MidPrice;TradeVolume",
      "2015-01-01 23:59;2062.625;0",
      "2015-01-01 24:00;2062.5;48",
      "2015-01-02 00:01;2062.125;49",
    ].join("\n"),
  );
  const opts = csvOpts({
    tz: "America/Chicago",
    label: "end",
    delimiter: ";",
    columns: { timestamp: "Timestamp", close: "MidPrice", volume: "TradeVolume" },
  });
  const { bars } = await loadLeg(f, opts);
  // 24:00 Chicago on Jan 1 = 2015-01-02T06:00Z, a bar END: the bar starts a minute earlier.
  assert.deepEqual(Array.from(bars.ts), [
    utc("2015-01-02T05:58:00Z"),
    utc("2015-01-02T05:59:00Z"),
    utc("2015-01-02T06:00:00Z"),
  ]);
  assert.deepEqual(Array.from(bars.open), [2062.625, 2062.5, 2062.125]);
  assert.deepEqual(Array.from(bars.high), Array.from(bars.close));
  assert.deepEqual(Array.from(bars.volume), [0, 48, 49]);
  const dropped = await loadLeg(f, { ...opts, dropZeroVolume: true });
  assert.equal(dropped.bars.ts.length, 2);
  assert.equal(dropped.report.zeroVolumeDropped, 1);
});

test("csv: date + time columns, tab delimiter, T separator, slashes, seconds, explicit offsets", async () => {
  const dt = writeData(dir, "dt.tsv", "day\tclock\tpx\n2024/1/2\t09:30\t10\n2024/1/2\t09:31:00.000\t11\n");
  const a = await loadLeg(
    dt,
    csvOpts({ delimiter: "\t", columns: { date: "day", time: "clock", close: "px" } }),
  );
  assert.deepEqual(Array.from(a.bars.ts), [utc("2024-01-02T14:30:00Z"), utc("2024-01-02T14:31:00Z")]);
  assert.deepEqual(Array.from(a.bars.volume), [0, 0]);
  const iso = writeData(
    dir,
    "iso.csv",
    "timestamp,open,high,low,close,volume\n" +
      "2024-01-02T09:30:00,100,101,99.5,100.5,3\n" +
      "2024-01-02T14:31:00Z,100,101,99.5,100.5,3\n" +
      '"2024-01-02T15:32:00+01:00",100,101,99.5,100.5,3\n',
  );
  const b = await loadLeg(iso, csvOpts());
  assert.deepEqual(Array.from(b.bars.ts), [
    utc("2024-01-02T14:30:00Z"),
    utc("2024-01-02T14:31:00Z"),
    utc("2024-01-02T14:32:00Z"),
  ]);
});

test("csv: a named column must exist; dropping zero volume needs a volume column", async () => {
  const f = writeData(dir, "named.csv", "time_stamp,px\n2024-01-02 09:30,1\n");
  await rejectsAt(
    loadLeg(f, csvOpts({ columns: { timestamp: "ts", close: "px" } })),
    f,
    1,
    /missing column 'ts': columns found: 'time_stamp', 'px'/,
  );
  await rejectsAt(loadLeg(f, csvOpts()), f, 1, /missing column 'timestamp' \(or 'date' and 'time'\)/);
  await rejectsAt(
    loadLeg(f, csvOpts({ dropZeroVolume: true, columns: { timestamp: "time_stamp", close: "px" } })),
    f,
    1,
    /needs a volume column/,
  );
});
