import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../src/errors.js";
import { naiveMs, TimeZone } from "../src/calendar/tz.js";

const ny = TimeZone.of("America/New_York");

test("offsets across the 2024 US DST changes", () => {
  assert.equal(ny.offsetMs(Date.UTC(2024, 2, 10, 6, 59)), -5 * 3600_000);
  assert.equal(ny.offsetMs(Date.UTC(2024, 2, 10, 7, 0)), -4 * 3600_000);
  assert.equal(ny.offsetMs(Date.UTC(2024, 10, 3, 5, 59)), -4 * 3600_000);
  assert.equal(ny.offsetMs(Date.UTC(2024, 10, 3, 6, 0)), -5 * 3600_000);
});

test("local to UTC: normal, nonexistent (NaN) and ambiguous (first occurrence)", () => {
  assert.equal(ny.fromLocalNaive(naiveMs(2024, 7, 1, 9, 30)), Date.UTC(2024, 6, 1, 13, 30));
  assert.ok(Number.isNaN(ny.fromLocalNaive(naiveMs(2024, 3, 10, 2, 30))));
  assert.equal(ny.fromLocalNaive(naiveMs(2024, 11, 3, 1, 30)), Date.UTC(2024, 10, 3, 5, 30));
  assert.equal(ny.fromLocalNaive(naiveMs(2024, 11, 3, 2, 0)), Date.UTC(2024, 10, 3, 7, 0));
});

test("unknown zone is an input error with its path", () => {
  assert.throws(
    () => TimeZone.of("Mars/Olympus", "session.tz"),
    (e: unknown) => e instanceof InputError && e.path === "session.tz",
  );
});
