// Property test: SessionCalendar against an obviously-correct version of ENGINE.md §2/§10 written
// straight from the text, which asks luxon for the local date and time of every instant.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { DateTime } from "luxon";
import { SessionCalendar, type SessionSettings } from "../src/calendar/index.js";

const DAY = 86_400_000;
const MIN = 60_000;

/** Minutes of "HH:MM". */
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** The spec, one instant at a time. */
class OracleCalendar {
  constructor(private readonly s: SessionSettings) {}

  private local(utcMs: number) {
    // luxon works in whole milliseconds: ask it about the whole part and add the fraction back,
    // so an instant half a millisecond after the day_roll is after it (timeOfDay > roll) here too
    const whole = Math.floor(utcMs);
    const dt = DateTime.fromMillis(whole, { zone: this.s.tz });
    const timeOfDay = ((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1000 + dt.millisecond + (utcMs - whole);
    const date = Date.UTC(dt.year, dt.month - 1, dt.day) / DAY;
    return { timeOfDay, date };
  }

  /** (t − day_roll) mod 24h, taken in (0, 24h]. */
  private m(timeOfDay: number): number {
    const r = (((timeOfDay - minutesOf(this.s.day_roll) * MIN) % DAY) + DAY) % DAY;
    return r === 0 ? DAY : r;
  }

  sessionMs(utcMs: number): number {
    return this.m(this.local(utcMs).timeOfDay);
  }

  tradingDay(utcMs: number): number {
    const { timeOfDay, date } = this.local(utcMs);
    const roll = minutesOf(this.s.day_roll) * MIN;
    // day_roll "24:00": local midnight is 24:00 of the previous date (see session-calendar.ts)
    if (roll === DAY) return timeOfDay === 0 ? date - 1 : date;
    return timeOfDay > roll ? date + 1 : date;
  }

  windowOk(closeMs: number): boolean {
    const { entry_start, entry_end } = this.s;
    if (entry_start === null && entry_end === null) return true;
    const m = this.sessionMs(closeMs);
    // entry_start is a window start: the day_roll itself is the session open, m = 0
    const start = entry_start === null ? 0 : this.m(minutesOf(entry_start) * MIN);
    const lo = start === DAY ? 0 : start;
    const hi = entry_end === null ? Number.POSITIVE_INFINITY : this.m(minutesOf(entry_end) * MIN);
    return lo <= m && m < hi;
  }

  eod(ts: number[], barMs: number, i: number): boolean {
    if (this.s.flat_time === null) return false;
    const close = ts[i] + barMs;
    if (this.sessionMs(close) >= this.m(minutesOf(this.s.flat_time) * MIN)) return true;
    return i + 1 < ts.length && this.tradingDay(ts[i + 1] + barMs) !== this.tradingDay(close);
  }
}

const zones = [
  "America/New_York",
  "America/Chicago",
  "Europe/London",
  "Australia/Lord_Howe", // 30-minute DST shift
  "Pacific/Chatham", // +12:45 / +13:45
  "Asia/Kolkata", // +05:30, no DST
  "UTC",
];
/** Instants near 2024 transitions of those zones, to start the bar series from. */
const anchors = [
  Date.UTC(2024, 2, 10, 7),
  Date.UTC(2024, 10, 3, 6),
  Date.UTC(2024, 2, 31, 1),
  Date.UTC(2024, 9, 27, 1),
  Date.UTC(2024, 3, 6, 15),
  Date.UTC(2024, 9, 5, 15),
  Date.UTC(2024, 3, 6, 14),
  Date.UTC(2024, 8, 28, 14),
  Date.UTC(2024, 5, 15, 12),
];

const clock = fc
  .tuple(fc.integer({ min: 0, max: 24 }), fc.constantFrom(0, 5, 15, 30, 45, 55))
  .map(([h, m]) => (h === 24 ? "24:00" : `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`));
const maybeClock = fc.option(clock, { nil: null, freq: 3 });
const settings = fc.record({
  tz: fc.constantFrom(...zones),
  day_roll: fc.oneof(clock, fc.constantFrom("18:00", "17:00", "00:00", "24:00")),
  flat_time: maybeClock,
  entry_start: maybeClock,
  entry_end: maybeClock,
});
const barMs = fc.constantFrom(1000, MIN, 5 * MIN, 15 * MIN, 60 * MIN);
const series = fc
  .tuple(
    fc.constantFrom(...anchors),
    fc.integer({ min: -3 * 1440, max: 3 * 1440 }),
    fc.array(fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 121, max: 4000 })), {
      minLength: 1,
      maxLength: 150,
    }),
  )
  .map(([anchor, shift, steps]) => {
    let t = anchor + shift * MIN;
    return steps.map((step) => (t += step * MIN));
  });

test("SessionCalendar agrees with a luxon-per-instant reading of the spec", () => {
  fc.assert(
    fc.property(settings, series, barMs, (s, ts, bar) => {
      const cal = new SessionCalendar(s);
      const oracle = new OracleCalendar(s);
      const cols = cal.build(Float64Array.from(ts), bar);
      for (let i = 0; i < ts.length; i++) {
        const close = ts[i] + bar;
        assert.equal(cal.sessionMs(close), oracle.sessionMs(close), `m at ${i}`);
        assert.equal(cols.tradingDay[i], oracle.tradingDay(close), `trading day at ${i}`);
        assert.equal(cols.windowOk[i] === 1, oracle.windowOk(close), `window_ok at ${i}`);
        assert.equal(cols.eod[i] === 1, oracle.eod(ts, bar, i), `eod at ${i}`);
        assert.equal(
          cal.atFlatTime(close),
          s.flat_time !== null && oracle.eod([ts[i]], bar, 0),
          `flat at ${i}`,
        );
      }
    }),
    { numRuns: 400 },
  );
});

test("sub-second instants (fast bars) agree too", () => {
  // offsets on whole minutes put the instant a fraction of a millisecond either side of a
  // day_roll or window edge, where a floored oracle would be wrong
  const offset = fc.oneof(
    fc.integer({ min: 0, max: 7 * DAY }),
    fc.integer({ min: 1, max: 7 * 1440 }).map((m) => m * MIN),
  );
  fc.assert(
    fc.property(settings, offset, fc.constantFrom(0.5, -0.5, 0.25), (s, off, frac) => {
      const t = Date.UTC(2024, 2, 7) + off + frac;
      const cal = new SessionCalendar(s);
      const oracle = new OracleCalendar(s);
      assert.equal(cal.tradingDay(t), oracle.tradingDay(t));
      assert.equal(cal.windowOk(t), oracle.windowOk(t));
    }),
    { numRuns: 2000 },
  );
});

// The counterexample that once failed: 18:00:00.0005 Chicago is after an 18:00 day_roll, so it
// belongs to the next trading day; asking luxon about the floored instant (exactly 18:00) said not.
test("half a millisecond after the day_roll is the next trading day", () => {
  const s = { tz: "America/Chicago", day_roll: "18:00", flat_time: null, entry_start: null, entry_end: null };
  const t = Date.UTC(2024, 2, 7) + 0.5; // 2024-03-06 18:00:00.0005 CST
  const cal = new SessionCalendar(s);
  assert.equal(cal.tradingDay(t), Date.UTC(2024, 2, 7) / DAY);
  assert.equal(new OracleCalendar(s).tradingDay(t), Date.UTC(2024, 2, 7) / DAY);
  assert.equal(cal.tradingDay(t - 0.5), Date.UTC(2024, 2, 6) / DAY);
});
