// Entry windows and the day_roll boundary (ENGINE.md §2, §10), on a winter day in New York
// (EST, UTC−5) so that local hh:mm is UTC minus five hours.
import assert from "node:assert/strict";
import { test } from "node:test";
import { dayNumberToIso, SessionCalendar, type SessionSettings } from "../src/calendar/index.js";

const HOUR = 3_600_000;
/** UTC instant of local New York time hh:mm on 2024-01-09 (a Tuesday, EST). */
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return Date.UTC(2024, 0, 9, h + 5, m);
};

function calendar(s: Partial<SessionSettings>): SessionCalendar {
  return new SessionCalendar({
    tz: "America/New_York",
    day_roll: "18:00",
    flat_time: null,
    entry_start: null,
    entry_end: null,
    ...s,
  });
}

function okAt(cal: SessionCalendar, times: string[]): boolean[] {
  return times.map((t) => cal.windowOk(at(t)));
}

test("a bar closing exactly at day_roll belongs to the closing day (m = 24h); 18:05 to the next", () => {
  const cal = calendar({});
  assert.equal(dayNumberToIso(cal.tradingDay(at("18:00"))), "2024-01-09");
  assert.equal(cal.sessionMs(at("18:00")), 24 * HOUR);
  assert.equal(dayNumberToIso(cal.tradingDay(at("18:05"))), "2024-01-10");
  assert.equal(cal.sessionMs(at("18:05")), 5 * 60_000);
  assert.equal(dayNumberToIso(cal.tradingDay(at("17:00"))), "2024-01-09");
  assert.equal(dayNumberToIso(cal.tradingDay(at("00:00"))), "2024-01-09");
  // build uses close = ts + bar length
  const cols = cal.build(Float64Array.of(at("17:55"), at("18:00")), 5 * 60_000);
  assert.deepEqual([...cols.tradingDay].map(dayNumberToIso), ["2024-01-09", "2024-01-10"]);
});

test("day_roll 00:00 and 24:00: the instant at midnight ends the closing day", () => {
  const zero = calendar({ day_roll: "00:00" });
  // §2 literally: local date, plus one when strictly after 00:00
  assert.equal(dayNumberToIso(zero.tradingDay(at("00:00"))), "2024-01-09");
  assert.equal(dayNumberToIso(zero.tradingDay(at("00:05"))), "2024-01-10");
  assert.equal(zero.sessionMs(at("00:00")), 24 * HOUR);
  const end = calendar({ day_roll: "24:00" });
  assert.equal(dayNumberToIso(end.tradingDay(at("00:00"))), "2024-01-08");
  assert.equal(dayNumberToIso(end.tradingDay(at("00:05"))), "2024-01-09");
  assert.equal(dayNumberToIso(end.tradingDay(at("23:55"))), "2024-01-09");
  assert.equal(end.sessionMs(at("00:00")), 24 * HOUR);
});

test("no window: always open", () => {
  assert.deepEqual(okAt(calendar({}), ["18:00", "18:05", "03:00", "17:00"]), [true, true, true, true]);
});

test("entry_start only: open from the start through the end of the day", () => {
  const cal = calendar({ entry_start: "09:30" });
  assert.deepEqual(okAt(cal, ["09:25", "09:30", "17:00", "18:00", "18:05"]), [
    false,
    true,
    true,
    true,
    false,
  ]);
});

test("entry_end only: open from the session open, end excluded", () => {
  const cal = calendar({ entry_end: "16:00" });
  assert.deepEqual(okAt(cal, ["18:05", "15:55", "16:00", "18:00"]), [true, true, false, false]);
});

test("entry_start = day_roll means the session open (m = 0), not 24h", () => {
  const cal = calendar({ entry_start: "18:00", entry_end: "02:00" });
  assert.deepEqual(okAt(cal, ["18:00", "18:05", "01:55", "02:00"]), [false, true, true, false]);
  const whole = calendar({ entry_start: "18:00", entry_end: "18:00" });
  assert.deepEqual(okAt(whole, ["18:05", "12:00", "17:55", "18:00"]), [true, true, true, false]);
  const startOnly = calendar({ entry_start: "18:00" });
  assert.deepEqual(okAt(startOnly, ["18:05", "18:00"]), [true, true]);
});

test("entry_end = day_roll is the end of the day (m = 24h)", () => {
  const cal = calendar({ entry_start: "09:30", entry_end: "18:00" });
  assert.deepEqual(okAt(cal, ["09:25", "09:30", "17:55", "18:00", "18:05"]), [
    false,
    true,
    true,
    false,
    false,
  ]);
});

test("m(entry_start) ≥ m(entry_end) is an empty window", () => {
  const later = calendar({ entry_start: "10:00", entry_end: "09:00" });
  assert.deepEqual(okAt(later, ["09:30", "10:00", "12:00", "19:00", "08:00"]), [
    false,
    false,
    false,
    false,
    false,
  ]);
  const same = calendar({ entry_start: "10:00", entry_end: "10:00" });
  assert.deepEqual(okAt(same, ["10:00", "10:05"]), [false, false]);
});

test("a window across local midnight is one piece of the session", () => {
  const cal = calendar({ entry_start: "22:00", entry_end: "03:00" });
  assert.deepEqual(okAt(cal, ["21:55", "22:00", "00:00", "02:55", "03:00"]), [
    false,
    true,
    true,
    true,
    false,
  ]);
});

test("entry_start 24:00 is the same clock time as 00:00", () => {
  const a = calendar({ entry_start: "24:00" });
  const b = calendar({ entry_start: "00:00" });
  for (const t of ["23:55", "00:00", "00:05", "17:00"]) assert.equal(a.windowOk(at(t)), b.windowOk(at(t)), t);
});
