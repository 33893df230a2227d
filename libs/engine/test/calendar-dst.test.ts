// Trading day, eod and window_ok of a CME-like 5-minute series around both 2024 US DST changes
// (2024-03-10 and 2024-11-03, America/New_York) and the 2024 Thanksgiving early close, checked
// against UTC instants written out by hand.
import assert from "node:assert/strict";
import { test } from "node:test";
import { dayNumberToIso, SessionCalendar } from "../src/calendar/index.js";

const MIN = 60_000;
const BAR = 5 * MIN;
const utc = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi);

const cme = new SessionCalendar({
  tz: "America/New_York",
  day_roll: "18:00",
  flat_time: "16:55",
  entry_start: "09:30",
  entry_end: "15:00",
});

interface Expected {
  start: number; // bar start, UTC
  day: string;
  eod: 0 | 1;
  window: 0 | 1;
  m: number; // minutes after day_roll
}

function check(cal: SessionCalendar, bars: Expected[]) {
  const ts = Float64Array.from(bars, (b) => b.start);
  const cols = cal.build(ts, BAR);
  bars.forEach((b, i) => {
    const label = `${new Date(b.start).toISOString()} (bar ${i})`;
    assert.equal(dayNumberToIso(cols.tradingDay[i]), b.day, `trading day of ${label}`);
    assert.equal(cols.eod[i], b.eod, `eod of ${label}`);
    assert.equal(cols.windowOk[i], b.window, `window_ok of ${label}`);
    assert.equal(cal.sessionMs(b.start + BAR), b.m * MIN, `m of ${label}`);
    assert.equal(dayNumberToIso(cal.tradingDay(b.start + BAR)), b.day, `tradingDay() of ${label}`);
    assert.equal(cal.windowOk(b.start + BAR), b.window === 1, `windowOk() of ${label}`);
  });
}

test("spring forward 2024-03-10: EST Friday, EDT Sunday evening", () => {
  check(cme, [
    // Fri 2024-03-08, EST (UTC−5): 15:00 close leaves the window, 16:55 close is flat_time
    { start: utc(2024, 3, 8, 19, 50), day: "2024-03-08", eod: 0, window: 1, m: 20 * 60 + 55 }, // close 14:55
    { start: utc(2024, 3, 8, 19, 55), day: "2024-03-08", eod: 0, window: 0, m: 21 * 60 }, // close 15:00
    { start: utc(2024, 3, 8, 21, 45), day: "2024-03-08", eod: 0, window: 0, m: 22 * 60 + 50 }, // close 16:50
    { start: utc(2024, 3, 8, 21, 55), day: "2024-03-08", eod: 1, window: 0, m: 23 * 60 }, // close 17:00
    // Sun 2024-03-10 18:00 EDT (UTC−4) = 22:00Z: the session of Monday 2024-03-11
    { start: utc(2024, 3, 10, 22, 0), day: "2024-03-11", eod: 0, window: 0, m: 5 }, // close 18:05
    { start: utc(2024, 3, 11, 13, 25), day: "2024-03-11", eod: 0, window: 1, m: 15 * 60 + 30 }, // 09:30
    { start: utc(2024, 3, 11, 20, 45), day: "2024-03-11", eod: 0, window: 0, m: 22 * 60 + 50 }, // 16:50
    { start: utc(2024, 3, 11, 20, 50), day: "2024-03-11", eod: 1, window: 0, m: 22 * 60 + 55 }, // 16:55
    { start: utc(2024, 3, 11, 20, 55), day: "2024-03-11", eod: 1, window: 0, m: 23 * 60 }, // 17:00
  ]);
});

test("fall back 2024-11-03: EDT Friday, EST Sunday evening", () => {
  check(cme, [
    // Fri 2024-11-01, EDT (UTC−4)
    { start: utc(2024, 11, 1, 13, 25), day: "2024-11-01", eod: 0, window: 1, m: 15 * 60 + 30 }, // 09:30
    { start: utc(2024, 11, 1, 20, 45), day: "2024-11-01", eod: 0, window: 0, m: 22 * 60 + 50 }, // 16:50
    { start: utc(2024, 11, 1, 20, 50), day: "2024-11-01", eod: 1, window: 0, m: 22 * 60 + 55 }, // 16:55
    { start: utc(2024, 11, 1, 20, 55), day: "2024-11-01", eod: 1, window: 0, m: 23 * 60 }, // 17:00
    // Sun 2024-11-03 18:00 EST (UTC−5) = 23:00Z
    { start: utc(2024, 11, 3, 23, 0), day: "2024-11-04", eod: 0, window: 0, m: 5 }, // 18:05
    { start: utc(2024, 11, 4, 14, 25), day: "2024-11-04", eod: 0, window: 1, m: 15 * 60 + 30 }, // 09:30
    { start: utc(2024, 11, 4, 21, 55), day: "2024-11-04", eod: 1, window: 0, m: 23 * 60 }, // 17:00
  ]);
});

test("bars straddling the DST instants themselves (a 24-hour market, flat exactly at the roll)", () => {
  // flat_time = day_roll maps to m = 24h: only a bar closing exactly at 18:00 reaches it
  const allDay = new SessionCalendar({
    tz: "America/New_York",
    day_roll: "18:00",
    flat_time: "18:00",
    entry_start: null,
    entry_end: null,
  });
  check(allDay, [
    // 2024-03-10: 01:55 EST (06:55Z) is followed by 03:00 EDT (07:00Z)
    { start: utc(2024, 3, 10, 6, 50), day: "2024-03-10", eod: 0, window: 1, m: 7 * 60 + 55 }, // close 01:55
    { start: utc(2024, 3, 10, 6, 55), day: "2024-03-10", eod: 0, window: 1, m: 9 * 60 }, // close 03:00
    // the next bar is on another trading day (2024-11-03)
    { start: utc(2024, 3, 10, 7, 0), day: "2024-03-10", eod: 1, window: 1, m: 9 * 60 + 5 }, // close 03:05
    // 2024-11-03: 01:55 EDT (05:55Z) is followed by 01:00 EST (06:00Z): m steps back an hour
    { start: utc(2024, 11, 3, 5, 50), day: "2024-11-03", eod: 0, window: 1, m: 7 * 60 + 55 }, // 01:55 EDT
    { start: utc(2024, 11, 3, 5, 55), day: "2024-11-03", eod: 0, window: 1, m: 7 * 60 }, // 01:00 EST
    { start: utc(2024, 11, 3, 6, 55), day: "2024-11-03", eod: 0, window: 1, m: 8 * 60 }, // 02:00 EST
    // the roll itself in EST: close 18:00 ends 2024-11-03, close 18:05 opens 2024-11-04
    { start: utc(2024, 11, 3, 22, 50), day: "2024-11-03", eod: 0, window: 1, m: 23 * 60 + 55 }, // 17:55
    { start: utc(2024, 11, 3, 22, 55), day: "2024-11-03", eod: 1, window: 1, m: 24 * 60 }, // 18:00
    { start: utc(2024, 11, 3, 23, 0), day: "2024-11-04", eod: 0, window: 1, m: 5 }, // 18:05
  ]);
});

test("early close 2024-11-29 13:15 ET: the last bar before the weekend is eod by 'next day'", () => {
  check(cme, [
    // Wed 2024-11-27 ends normally; Thanksgiving is closed until Thu 18:00 (session of Fri 11-29)
    { start: utc(2024, 11, 27, 21, 55), day: "2024-11-27", eod: 1, window: 0, m: 23 * 60 }, // 17:00
    { start: utc(2024, 11, 28, 23, 0), day: "2024-11-29", eod: 0, window: 0, m: 5 }, // Thu 18:05
    { start: utc(2024, 11, 29, 18, 5), day: "2024-11-29", eod: 0, window: 1, m: 19 * 60 + 10 }, // 13:10
    // last bar, close 13:15: before flat_time, but the next bar is another trading day
    { start: utc(2024, 11, 29, 18, 10), day: "2024-11-29", eod: 1, window: 1, m: 19 * 60 + 15 }, // 13:15
    { start: utc(2024, 12, 1, 23, 0), day: "2024-12-02", eod: 0, window: 0, m: 5 }, // Sun 18:05
    { start: utc(2024, 12, 2, 14, 25), day: "2024-12-02", eod: 0, window: 1, m: 15 * 60 + 30 }, // 09:30
  ]);
});

test("flat_time null: no eod at all, not even across days", () => {
  const overnight = new SessionCalendar({
    tz: "America/New_York",
    day_roll: "18:00",
    flat_time: null,
    entry_start: null,
    entry_end: null,
  });
  const ts = Float64Array.of(utc(2024, 11, 29, 18, 10), utc(2024, 12, 1, 23, 0), utc(2024, 12, 2, 21, 55));
  const cols = overnight.build(ts, BAR);
  assert.deepEqual([...cols.eod], [0, 0, 0]);
  assert.deepEqual([...cols.windowOk], [1, 1, 1]);
  assert.equal(overnight.atFlatTime(utc(2024, 12, 2, 22, 0)), false);
});

test("last bar: eod only through flat_time", () => {
  const before = cme.build(Float64Array.of(utc(2024, 11, 29, 18, 5), utc(2024, 11, 29, 18, 10)), BAR);
  assert.deepEqual([...before.eod], [0, 0], "13:15 close, last bar, before flat_time");
  const after = cme.build(Float64Array.of(utc(2024, 3, 11, 20, 45), utc(2024, 3, 11, 20, 55)), BAR);
  assert.deepEqual([...after.eod], [0, 1], "17:00 close, last bar, after flat_time");
  assert.equal(cme.atFlatTime(utc(2024, 3, 11, 21, 0)), true);
  assert.equal(cme.atFlatTime(utc(2024, 3, 11, 20, 55)), true, "exactly at flat_time");
  assert.equal(cme.atFlatTime(utc(2024, 3, 11, 20, 50)), false);
});

test("empty input", () => {
  const cols = cme.build(new Float64Array(0), BAR);
  assert.equal(cols.tradingDay.length + cols.eod.length + cols.windowOk.length, 0);
});
