// Validation of session settings and the day-number helpers.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  dayNumberToIso,
  isoToDayNumber,
  SessionCalendar,
  type SessionSettings,
} from "../src/calendar/index.js";
import { InputError } from "../src/errors.js";

const base: SessionSettings = {
  tz: "America/New_York",
  day_roll: "18:00",
  flat_time: "16:55",
  entry_start: null,
  entry_end: null,
};

function rejects(s: Partial<SessionSettings>, path: string) {
  assert.throws(
    () => new SessionCalendar({ ...base, ...s } as SessionSettings),
    (e: unknown) => e instanceof InputError && e.path === path && e.message.includes(path),
    JSON.stringify(s),
  );
}

test("clock times must be HH:MM between 00:00 and 24:00, errors carry the field path", () => {
  rejects({ day_roll: "25:00" }, "session.day_roll");
  rejects({ day_roll: "9:30" }, "session.day_roll");
  rejects({ day_roll: null as unknown as string }, "session.day_roll");
  rejects({ flat_time: "24:01" }, "session.flat_time");
  rejects({ entry_start: "12:60" }, "session.entry_start");
  rejects({ entry_end: "noon" }, "session.entry_end");
  rejects({ tz: "Mars/Olympus" }, "session.tz");
  for (const t of ["00:00", "23:59", "24:00"])
    assert.doesNotThrow(() => new SessionCalendar({ ...base, day_roll: t }));
});

test("undefined optional times read as null", () => {
  const cal = new SessionCalendar({ tz: "UTC", day_roll: "00:00" } as SessionSettings);
  assert.equal(cal.settings.flat_time, null);
  assert.equal(cal.windowOk(Date.UTC(2024, 0, 1, 12)), true);
});

test("day numbers round-trip with ISO dates", () => {
  assert.equal(isoToDayNumber("1970-01-01"), 0);
  assert.equal(isoToDayNumber("2024-01-02"), 19724);
  assert.equal(dayNumberToIso(19724), "2024-01-02");
  assert.equal(dayNumberToIso(-1), "1969-12-31");
  for (let d = 19_000; d < 21_000; d += 37) assert.equal(isoToDayNumber(dayNumberToIso(d)), d);
});

test("bad ISO dates are input errors", () => {
  for (const s of ["2024-02-30", "2024-13-01", "2024/01/02", "24-01-02", ""]) {
    assert.throws(
      () => isoToDayNumber(s, "start"),
      (e: unknown) => e instanceof InputError && e.path === "start",
      s,
    );
  }
});
