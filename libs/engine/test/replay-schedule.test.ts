// The two answers to "what is the next bar?" (next-bar-schedule.ts): the feed look-ahead, and the
// exchange calendar a live engine would use. The calendar reproduces the synthetic market's
// session slots across weekends, DST, holidays and early closes; on data it differs exactly where
// a session's last bar is missing, and the parity report says so.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SessionCalendar } from "../src/calendar/index.js";
import type { Bars } from "../src/loaders/index.js";
import type { ReplayBar } from "../src/live/bar-feed.js";
import type { ParityData } from "../src/parity/batch-trace.js";
import { CME_GLOBEX_HOURS, ExchangeSchedule } from "../src/live/exchange-schedule.js";
import { LookaheadFeed } from "../src/live/next-bar-schedule.js";
import { runParity } from "../src/parity/run-parity.js";
import { buildSessionSchedule } from "../src/synth/index.js";
import { BAR_MS, CME_SESSION, day, makeSpec, parityOptions, synthData } from "./replay-fixtures.js";

async function* bars(ts: number[]): AsyncGenerator<ReplayBar> {
  for (const t of ts) yield { ts: t, a: 1, b: 1 };
}

test("LookaheadFeed hands out every bar and knows the next one's start, null after the last", async () => {
  const feed = new LookaheadFeed(bars([0, 300_000, 900_000]));
  const seen: [number, number | null][] = [];
  let first: ReplayBar | null = null;
  for await (const bar of feed) {
    first ??= bar;
    seen.push([bar.ts, feed.nextBarStart(bar)]);
  }
  assert.deepEqual(seen, [
    [0, 300_000],
    [300_000, 900_000],
    [900_000, null],
  ]);
  assert.throws(() => feed.nextBarStart(first!), /not holding/);
});

test("ExchangeSchedule: the next slot of the synthetic CME week, through DST, Thanksgiving and Christmas", () => {
  const start = day("2024-10-28");
  const slots = buildSessionSchedule(start, 50, 5);
  assert.ok(slots.closedDays.includes("2024-11-28") && slots.earlyCloseDays.includes("2024-11-29"));
  const calendar = new SessionCalendar(CME_SESSION);
  const lastDay = slots.tradingDay[slots.utc.length - 1]!;
  const schedule = new ExchangeSchedule(CME_GLOBEX_HOURS, BAR_MS, calendar, lastDay);
  for (let k = 0; k + 1 < slots.utc.length; k++) {
    const next = schedule.nextBarStart({ ts: slots.utc[k]!, a: 1, b: 1 });
    assert.equal(next, slots.utc[k + 1], `after ${new Date(slots.utc[k]!).toISOString()}`);
  }
  assert.equal(
    schedule.nextBarStart({ ts: slots.utc[slots.utc.length - 1]!, a: 1, b: 1 }),
    null,
    "the last day ends the replay",
  );
  const open = new ExchangeSchedule(CME_GLOBEX_HOURS, BAR_MS, calendar, null);
  assert.notEqual(
    open.nextBarStart({ ts: slots.utc[slots.utc.length - 1]!, a: 1, b: 1 }),
    null,
    "a live run never ends",
  );
});

/** The pair without the bars starting at `drop` (a vendor that printed nothing there). */
function withoutBars(data: ParityData, drop: Set<number>): ParityData {
  const keep = [...data.pair.ts.keys()].filter((i) => !drop.has(data.pair.ts[i]!));
  const pick = (col: Float64Array) => Float64Array.from(keep, (i) => col[i]!);
  const leg = (l: Bars): Bars => ({
    ts: pick(l.ts),
    open: pick(l.open),
    high: pick(l.high),
    low: pick(l.low),
    close: pick(l.close),
    volume: pick(l.volume),
  });
  const a = leg(data.pair.a);
  return { ...data, pair: { ts: a.ts, a, b: { ...leg(data.pair.b), ts: a.ts } } };
}

test("exchange calendar vs data: eod differs exactly on the days whose last bar is missing", async () => {
  // flat_time 17:00 is reached only by a bar closing at 17:00, so the session end comes from
  // "the next bar is on another trading day": the data's next bar for the batch, the calendar's
  // for the replay. Three sessions lose their last bar (one of them the early close of Nov 29).
  const start = "2024-10-28";
  const slots = buildSessionSchedule(day(start), 50, 5);
  const lastSlotOf = (iso: string) => {
    const k = slots.tradingDay.lastIndexOf(day(iso));
    return slots.utc[k]!;
  };
  const dropped = ["2024-11-06", "2024-11-29", "2024-12-11"].map(lastSlotOf);
  const data = withoutBars(synthData(50, 5, { flat_time: "17:00" }, start), new Set(dropped));
  const present = new Set(data.pair.ts);
  const endDay = day("2024-12-20");
  let missingLastBars = 0;
  for (let k = 0; k + 1 < slots.utc.length; k++) {
    const lastOfDay = slots.tradingDay[k + 1] !== slots.tradingDay[k];
    if (lastOfDay && slots.tradingDay[k]! <= endDay && !present.has(slots.utc[k]!)) missingLastBars++;
  }
  assert.ok(missingLastBars >= dropped.length);

  const opts = {
    ...parityOptions(makeSpec({ ols_window: 300, zscore_window: 60, z_entry: 1.5, z_exit: 0 })),
    endDay,
  };
  const lookahead = await runParity(data, opts);
  assert.equal(lookahead.comparison.pass, true, lookahead.comparison.failures.join("; "));
  assert.equal(lookahead.comparison.metrics.eodMismatches, 0);
  const exchange = await runParity(data, { ...opts, nextBar: "exchange" });
  assert.equal(exchange.scheduleName, "exchange calendar");
  assert.equal(exchange.comparison.metrics.eodMismatches, missingLastBars);
  const finding = exchange.findings.find((f) => f.code === "EOD_SCHEDULE");
  assert.match(finding?.message ?? "", /exchange calendar.*data gap before the close/);
});
