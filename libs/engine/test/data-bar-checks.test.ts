// Bars that parse but cannot be real: high below low, open or close outside the bar's range, a
// price far from the previous close of the same contract (data.max_jump). Fatal with file:line
// and the setting to change; lenient mode skips and counts them; a contract roll is no jump.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadLeg } from "../src/loaders/index.js";
import { InputError } from "../src/errors.js";
import {
  csvOpts,
  databentoOpts,
  rejectsAt,
  SIERRA_HEADER,
  sierraOpts,
  sierraRow,
  tempDir,
  writeData,
} from "./fixtures/data/helpers.js";

const dir = tempDir();
const time = (i: number) => `09:${String(30 + i).padStart(2, "0")}:00`;
const good = (i: number) => sierraRow("2024/1/2", time(i), 4750 + i);
/** A Sierra row with its own open, high, low and close. */
const ohlc = (i: number, o: number, h: number, l: number, c: number) =>
  `2024/1/2, ${time(i)}, ${o}, ${h}, ${l}, ${c}, 10, 1, 5, 5`;

/** A Sierra file of 5 good rows but for `bad` (0-based data row → line bad + 2). */
function sierraWith(name: string, bad: Record<number, string>, rows = 5): string {
  const lines = [SIERRA_HEADER];
  for (let i = 0; i < rows; i++) lines.push(bad[i] ?? good(i));
  return writeData(dir, name, `${lines.join("\n")}\n`);
}

test("high below low: file:line, both numbers, and the setting that skips it", async () => {
  const f = sierraWith("hl.csv", { 2: ohlc(2, 4752, 4751, 4753, 4752) });
  await rejectsAt(
    loadLeg(f, sierraOpts()),
    f,
    4,
    /^high is below low \(data\.lenient: true skips such bars\): high 4751, low 4753$/,
  );
});

test("open or close outside the bar's own low–high range", async () => {
  const c = sierraWith("close-out.csv", { 1: ohlc(1, 4751, 4752, 4750, 4753) });
  await rejectsAt(
    loadLeg(c, sierraOpts()),
    c,
    3,
    /^close is outside the bar's range \(data\.lenient: true skips such bars\): close 4753, low 4750, high 4752$/,
  );
  const o = sierraWith("open-out.csv", { 3: ohlc(3, 4749, 4755, 4750, 4752) });
  await rejectsAt(
    loadLeg(o, sierraOpts()),
    o,
    5,
    /^open is outside the bar's range \(data\.lenient: true skips such bars\): open 4749, low 4750, high 4755$/,
  );
});

test("a close of 1e300 jumps past data.max_jump: file:line, the move and the setting", async () => {
  const f = sierraWith("huge.csv", { 3: sierraRow("2024/1/2", time(3), "1e300") });
  await rejectsAt(
    loadLeg(f, sierraOpts()),
    f,
    5,
    /^close moves \+2\.10e\+298 % from the previous close \(line 4\), more than data\.max_jump = 0\.2 allows \(raise it, set it to null.*: close 1e\+300, previous close 4752$/,
  );
  // a fall counts as much as a rise, and the high and low are held to the same limit
  const down = sierraWith("down.csv", { 1: sierraRow("2024/1/2", time(1), 3000) });
  await rejectsAt(
    loadLeg(down, sierraOpts()),
    down,
    3,
    /^close moves −36\.8 % from the previous close \(line 2\).*: close 3000, previous close 4750$/,
  );
  const spike = sierraWith("spike.csv", { 2: ohlc(2, 4752, 9999, 4751, 4752) });
  await rejectsAt(
    loadLeg(spike, sierraOpts()),
    spike,
    4,
    /^high moves \+110\.5 % from the previous close \(line 3\).*: high 9999, previous close 4751$/,
  );
  // within the limit loads; the limit is a setting
  const near = sierraWith("near.csv", { 2: sierraRow("2024/1/2", time(2), 5600) });
  assert.equal((await loadLeg(near, sierraOpts())).bars.close[2], 5600);
  await rejectsAt(loadLeg(near, sierraOpts({ maxJump: 0.1 })), near, 4, /data\.max_jump = 0\.1 allows/);
});

test("data.max_jump null turns the jump check off, not the range checks", async () => {
  const f = sierraWith("off.csv", { 3: sierraRow("2024/1/2", time(3), "1e300") });
  const { bars } = await loadLeg(f, sierraOpts({ maxJump: null }));
  assert.equal(bars.close[3], 1e300);
  const hl = sierraWith("off-hl.csv", { 2: ohlc(2, 4752, 4751, 4753, 4752) });
  await rejectsAt(
    loadLeg(hl, sierraOpts({ maxJump: null })),
    hl,
    4,
    /high is below low.*: high 4751, low 4753/,
  );
});

test("a bad max_jump setting is an InputError naming data.max_jump", async () => {
  const f = sierraWith("setting.csv", {});
  for (const bad of [0, -0.2, Number.NaN, Number.POSITIVE_INFINITY]) {
    await assert.rejects(
      loadLeg(f, sierraOpts({ maxJump: bad })),
      (e: unknown) => e instanceof InputError && e.path === "data.max_jump",
    );
  }
});

test("lenient: bad bars are skipped, counted by kind, and the next jump is measured from the last kept close", async () => {
  const f = sierraWith(
    "lenient.csv",
    {
      1: ohlc(1, 4751, 4750, 4752, 4751), // high below low
      2: sierraRow("2024/1/2", time(2), "1e300"), // jump from 4750 (line 2: line 3 was skipped)
      3: ohlc(3, 4753, 4754, 4752, 4755), // close above high
      4: sierraRow("2024/1/2", time(4), 5600), // +17.9 % from 4750: kept
      5: sierraRow("2024/1/2", time(5), 1), // jump
    },
    7,
  );
  const { bars, report } = await loadLeg(f, sierraOpts({ lenient: true }));
  assert.deepEqual(Array.from(bars.close), [4750, 5600, 4756]);
  assert.equal(report.skipped, 4);
  assert.deepEqual(report.skippedByKind, {
    "high below low": 1,
    "price jump": 2,
    "open or close outside high-low": 1,
  });
  assert.deepEqual(
    report.skippedSamples.map((s) => s.line),
    [3, 4, 5, 7],
  );
  assert.match(report.skippedSamples[1].reason, /previous close \(line 2\)/);
  assert.match(report.skippedSamples[3].reason, /previous close \(line 6\)/);
});

const DB_HEADER = "ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume,symbol";
const T0 = 1710460800000; // 2024-03-15T00:00:00Z

/** Databento rows `[instrument_id, close]`, one minute apart, every price the close. */
function databento(name: string, rows: [number, number][]): string {
  const lines = [DB_HEADER];
  rows.forEach(([id, px], i) => {
    const p = px.toFixed(2); // a decimal point: pretty prices, not 1e-9 units
    lines.push(`${T0 + i * 60_000}000000,33,1,${id},${p},${p},${p},${p},1,S${id}`);
  });
  return writeData(dir, name, `${lines.join("\n")}\n`);
}

test("a contract roll with a big gap is not a jump; the new contract is then held to the limit", async () => {
  const rolled = databento("roll.csv", [
    [1, 5000],
    [1, 5001],
    [2, 2500], // −50 % at the roll: the new contract's own price
    [2, 2501],
  ]);
  const { bars, report } = await loadLeg(rolled, databentoOpts());
  assert.deepEqual(Array.from(bars.close), [5000, 5001, 2500, 2501]);
  assert.equal(report.rolls.length, 1);
  // the same gap without an instrument change is a bad bar
  const same = databento("no-roll.csv", [
    [1, 5000],
    [1, 5001],
    [1, 2500],
  ]);
  await rejectsAt(loadLeg(same, databentoOpts()), same, 4, /previous close \(line 3\).*previous close 5001$/);
  // after the roll, jumps count against the new contract's closes
  const after = databento("after-roll.csv", [
    [1, 5000],
    [2, 2500],
    [2, 5000],
  ]);
  await rejectsAt(
    loadLeg(after, databentoOpts()),
    after,
    4,
    /previous close \(line 3\).*previous close 2500$/,
  );
});

test("csv without high/low columns: the bar spans its open and close", async () => {
  const f = writeData(
    dir,
    "oc.csv",
    "timestamp,open,close\n2024-01-02 09:30,100,101\n2024-01-02 09:31,101,100.5\n",
  );
  const { bars } = await loadLeg(f, csvOpts());
  assert.deepEqual(Array.from(bars.high), [101, 101]);
  assert.deepEqual(Array.from(bars.low), [100, 100.5]);
});

test("max_jump is part of the cache key: a cached load never skips the new setting", async () => {
  const cache = tempDir();
  const f = sierraWith("cached.csv", { 2: sierraRow("2024/1/2", time(2), 5600) });
  assert.equal((await loadLeg(f, sierraOpts({ cacheDir: cache }))).report.fromCache, false);
  assert.equal((await loadLeg(f, sierraOpts({ cacheDir: cache, maxJump: 0.2 }))).report.fromCache, true);
  await rejectsAt(loadLeg(f, sierraOpts({ cacheDir: cache, maxJump: 0.1 })), f, 4, /max_jump = 0\.1/);
  const lenient = await loadLeg(f, sierraOpts({ cacheDir: cache, maxJump: 0.1, lenient: true }));
  assert.equal(lenient.report.fromCache, false);
  const again = await loadLeg(f, sierraOpts({ cacheDir: cache, maxJump: 0.1, lenient: true }));
  assert.equal(again.report.fromCache, true);
  assert.deepEqual(again.report.skippedByKind, { "price jump": 1 });
});
