// Local time → UTC in files: DST gap, the ambiguous fall-back hour, and the time parsers.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { loadLeg } from "../src/loaders/index.js";
import { LocalClock } from "../src/loaders/local-clock.js";
import {
  type ParsedTimestamp,
  parseDate,
  parseTimeOfDay,
  parseTimestamp,
} from "../src/loaders/parse-time.js";
import { naiveMs, TimeZone } from "../src/calendar/tz.js";
import {
  rejectsAt,
  SIERRA_HEADER,
  sierraOpts,
  sierraRow,
  tempDir,
  utc,
  writeData,
} from "./fixtures/data/helpers.js";

const dir = tempDir();
const bytes = (s: string) => Buffer.from(s, "latin1");

function sierraFile(name: string, times: string[], date = "2024/11/3"): string {
  const rows = times.map((t, i) => sierraRow(date, t, 100 + i));
  return writeData(dir, name, `${[SIERRA_HEADER, ...rows].join("\n")}\n`);
}

test("ambiguous hour: a lone 01:30 takes its first occurrence (EDT)", async () => {
  const f = sierraFile("amb1.csv", ["01:30:00"]);
  const { bars } = await loadLeg(f, sierraOpts({ fileBarMs: 1_800_000, targetBarMs: 1_800_000 }));
  assert.deepEqual(Array.from(bars.ts), [utc("2024-11-03T05:30:00Z")]);
});

test("ambiguous hour: a file walking through the repeated hour takes the second occurrence", async () => {
  const f = sierraFile("amb2.csv", ["00:30:00", "01:00:00", "01:30:00", "01:00:00", "01:30:00", "02:00:00"]);
  const { bars } = await loadLeg(f, sierraOpts({ fileBarMs: 1_800_000, targetBarMs: 1_800_000 }));
  assert.deepEqual(
    Array.from(bars.ts).map((t) => new Date(t).toISOString()),
    [
      "2024-11-03T04:30:00.000Z", // 00:30 EDT
      "2024-11-03T05:00:00.000Z", // 01:00 EDT (first)
      "2024-11-03T05:30:00.000Z", // 01:30 EDT (first)
      "2024-11-03T06:00:00.000Z", // 01:00 EST (second: the first would go backwards)
      "2024-11-03T06:30:00.000Z", // 01:30 EST (second)
      "2024-11-03T07:00:00.000Z", // 02:00 EST
    ],
  );
});

test("ambiguous hour: hourly bars repeating 01:00 take the second one instead of a duplicate", async () => {
  const f = sierraFile("amb3.csv", ["00:00:00", "01:00:00", "01:00:00", "02:00:00"]);
  const { bars } = await loadLeg(f, sierraOpts({ fileBarMs: 3_600_000, targetBarMs: 3_600_000 }));
  assert.deepEqual(Array.from(bars.ts), [
    utc("2024-11-03T04:00:00Z"),
    utc("2024-11-03T05:00:00Z"),
    utc("2024-11-03T06:00:00Z"),
    utc("2024-11-03T07:00:00Z"),
  ]);
});

test("ambiguous hour: a real step back that the second occurrence cannot explain is still an error", async () => {
  // 01:30 (first occurrence, 05:30Z) then 00:45, which is not ambiguous and comes earlier.
  const f = sierraFile("amb4.csv", ["01:30:00", "00:45:00"]);
  await rejectsAt(
    loadLeg(f, sierraOpts({ fileBarMs: 900_000, targetBarMs: 900_000 })),
    f,
    3,
    /goes backwards .*: 2024-11-03T04:45:00Z after 2024-11-03T05:30:00Z/,
  );
});

test("ambiguous hour in bar-end files: the 1-minute walk through 01:00–02:00 twice loads whole", async () => {
  // Bar-end labels through the night: 01:01 … 01:59 EDT, then the clock falls back and the
  // bar ending at 06:00Z is labelled 01:00 (EST), then 01:01 … 01:59 EST and 02:00.
  const pad = (m: number) => String(m).padStart(2, "0");
  const labels: string[] = [];
  for (let m = 1; m <= 59; m++) labels.push(`01:${pad(m)}`);
  for (let m = 0; m <= 59; m++) labels.push(`01:${pad(m)}`);
  labels.push("02:00");
  const rows = ["timestamp,close,volume", ...labels.map((l) => `2024-11-03 ${l},1,1`)];
  const f = writeData(dir, "amb-end.csv", `${rows.join("\n")}\n`);
  const { bars } = await loadLeg(
    f,
    sierraOpts({
      format: "csv",
      label: "end",
      columns: { timestamp: "timestamp", close: "close", volume: "volume" },
    }),
  );
  assert.equal(bars.ts.length, 120);
  assert.equal(bars.ts[0], utc("2024-11-03T05:00:00Z"));
  assert.equal(bars.ts[119], utc("2024-11-03T06:59:00Z"));
  for (let i = 1; i < bars.ts.length; i++) assert.equal(bars.ts[i] - bars.ts[i - 1], 60_000);
});

test("LocalClock agrees with TimeZone.fromLocalNaive away from the repeated hour", () => {
  for (const name of [
    "America/New_York",
    "America/Chicago",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
  ]) {
    const tz = TimeZone.of(name);
    const clock = new LocalClock(tz);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * 365 * 24 * 4 }), (q) => {
        const naive = naiveMs(2023, 1, 1) + q * 15 * 60_000;
        const expect = tz.fromLocalNaive(naive);
        const got = clock.toUtc(naive, Number.NEGATIVE_INFINITY);
        assert.ok(Object.is(got, expect), `${name} ${new Date(naive).toISOString()}: ${got} vs ${expect}`);
      }),
      { numRuns: 500 },
    );
  }
});

test("date and time-of-day parsers", () => {
  const d = (s: string) => parseDate(bytes(s), 0, s.length);
  const t = (s: string) => parseTimeOfDay(bytes(s), 0, s.length);
  assert.equal(d("2024-01-02"), 19724);
  assert.equal(d("2024/1/2"), 19724);
  assert.equal(d("2024/01/02"), 19724);
  assert.equal(d("2024-02-29"), 19782);
  for (const bad of [
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "2024-1-0",
    "24-01-02",
    "2024-01-02x",
    "2024.01.02",
    "",
  ]) {
    assert.ok(Number.isNaN(d(bad)), bad);
  }
  assert.equal(t("09:30"), 34_200_000);
  assert.equal(t("9:30:15"), 34_215_000);
  assert.equal(t("09:30:15.250"), 34_215_250);
  assert.equal(t("09:30:15.5"), 34_215_500);
  assert.equal(t("24:00"), 86_400_000);
  assert.equal(t("24:00:00.000"), 86_400_000);
  assert.equal(t("09:30:15.250001"), 34_215_250.5); // sub-millisecond: marked off-grid
  for (const bad of ["24:01", "25:00", "09:60", "09:30:60", "0930", "09:30:", "09:30:1", "09:3a", "9", ""]) {
    assert.ok(Number.isNaN(t(bad)), bad);
  }
});

test("timestamp parser: separators, zone designators, garbage", () => {
  const out: ParsedTimestamp = { naive: 0, offsetMs: 0 };
  const p = (s: string) => {
    parseTimestamp(bytes(s), 0, s.length, out);
    return [out.naive, out.offsetMs];
  };
  const n = naiveMs(2024, 1, 2, 9, 30);
  assert.deepEqual(p("2024-01-02 09:30"), [n, Number.NaN]);
  assert.deepEqual(p("2024-01-02T09:30:00.000"), [n, Number.NaN]);
  assert.deepEqual(p("2024/1/2 09:30:00"), [n, Number.NaN]);
  assert.deepEqual(p("2024-01-02T09:30:00Z"), [n, 0]);
  assert.deepEqual(p("2024-01-02T09:30:00.000000000Z"), [n, 0]);
  assert.deepEqual(p("2024-01-02 09:30:00+00:00"), [n, 0]);
  assert.deepEqual(p("2024-01-02 09:30:00-05:00"), [n, -5 * 3_600_000]);
  assert.deepEqual(p("2024-01-02 09:30:00+0530"), [n, 5.5 * 3_600_000]);
  assert.deepEqual(p("2024-01-01 24:00"), [naiveMs(2024, 1, 2), Number.NaN]);
  for (const bad of ["2024-01-02", "2024-01-02 ", "2024-01-02 09:30Q", "2024-01-02 09:30+5", "x 09:30"]) {
    assert.ok(Number.isNaN(p(bad)[0]), bad);
  }
});
