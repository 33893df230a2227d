// Session shape of the synthetic market over 2024 (both US DST changes, Thanksgiving, Christmas),
// checked bar by bar with luxon's local times rather than the generator's own arithmetic.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { DateTime, IANAZone } from "luxon";
import { dayNumberToIso, isoToDayNumber, SessionCalendar } from "../src/calendar/index.js";
import { buildSessionSchedule, type SynthPair, synthesizePair } from "../src/synth/index.js";

const NY = "America/New_York";
const BAR = 5 * 60_000;
let pair: SynthPair;
before(() => {
  pair = synthesizePair({ days: 259, seed: 3, start: "2024-01-02" });
});

const zone = IANAZone.create(NY);

test("no bar from Friday 17:00 to Sunday 18:00, none in the 17:00–18:00 break (both legs, all of 2024)", () => {
  for (const leg of [pair.a, pair.b]) {
    for (const t of leg.ts) {
      const start = DateTime.fromMillis(t, { zone });
      const minutes = start.hour * 60 + start.minute;
      const label = new Date(t).toISOString();
      assert.ok(start.weekday !== 6, `Saturday bar ${label}`);
      assert.ok(!(start.weekday === 5 && minutes >= 17 * 60), `Friday evening bar ${label}`);
      assert.ok(!(start.weekday === 7 && minutes < 18 * 60), `Sunday daytime bar ${label}`);
      assert.ok(!(minutes >= 17 * 60 && minutes < 18 * 60), `bar in the daily break ${label}`);
      assert.equal(start.minute % 5, 0);
      assert.ok(minutes + 5 <= 17 * 60 || minutes >= 18 * 60, `bar runs into the break ${label}`);
    }
  }
});

test("sessions open at 18:00 local on both sides of each DST change (22:00Z in EDT, 23:00Z in EST)", () => {
  const has = (t: number) => pair.a.ts.includes(t) || pair.b.ts.includes(t);
  assert.ok(has(Date.UTC(2024, 2, 3, 23, 0)), "Sun 2024-03-03 18:00 EST");
  assert.ok(has(Date.UTC(2024, 2, 10, 22, 0)), "Sun 2024-03-10 18:00 EDT");
  assert.ok(
    !has(Date.UTC(2024, 2, 10, 23, 0)) || has(Date.UTC(2024, 2, 10, 22, 55)),
    "no gap after the open",
  );
  assert.ok(has(Date.UTC(2024, 9, 27, 22, 0)), "Sun 2024-10-27 18:00 EDT");
  assert.ok(has(Date.UTC(2024, 10, 3, 23, 0)), "Sun 2024-11-03 18:00 EST");
  assert.ok(!has(Date.UTC(2024, 10, 3, 22, 0)), "nothing at 17:00 EST on 2024-11-03");
});

test("276 bar slots per regular day, 231 on early closes, none on closed days; bars only in slots", () => {
  const schedule = buildSessionSchedule(isoToDayNumber("2024-01-02"), 259, 5);
  const cal = new SessionCalendar({
    tz: NY,
    day_roll: "18:00",
    flat_time: null,
    entry_start: null,
    entry_end: null,
  });
  const days = cal.build(schedule.utc, BAR).tradingDay;
  assert.deepEqual([...days], [...schedule.tradingDay], "the schedule's trading days are the calendar's");
  const perDay = new Map<string, number>();
  for (const d of days) perDay.set(dayNumberToIso(d), (perDay.get(dayNumberToIso(d)) ?? 0) + 1);
  assert.equal(perDay.size, 259);
  assert.equal(pair.meta.last_trading_day, "2024-12-31");
  for (const d of ["2024-11-28", "2024-12-25", "2025-01-01"]) assert.ok(!perDay.has(d), `${d} is closed`);
  for (const [d, count] of perDay) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    assert.ok(weekday >= 1 && weekday <= 5, `${d} is a weekday`);
    assert.equal(count, d === "2024-11-29" || d === "2024-12-24" ? 231 : 276, d);
  }
  assert.deepEqual(pair.meta.holidays, {
    closed: ["2024-11-28", "2024-12-25"],
    early_close: ["2024-11-29", "2024-12-24"],
  });
  const slots = new Set(schedule.utc);
  for (const leg of [pair.a, pair.b]) for (const t of leg.ts) assert.ok(slots.has(t));
  assert.equal(pair.meta.slots, schedule.utc.length);
});

test("early close 2024-11-29: last bar 13:10–13:15 ET, then nothing until Sunday 18:00", () => {
  const after = [...pair.a.ts].filter(
    (t) => t > Date.UTC(2024, 10, 29, 18, 10) && t < Date.UTC(2024, 11, 1, 23, 0),
  );
  assert.deepEqual(after, []);
  const last = Math.max(...pair.a.ts.filter((t) => t <= Date.UTC(2024, 10, 29, 18, 10)));
  assert.ok(last >= Date.UTC(2024, 10, 29, 18, 0), "bars up to the early close");
});
