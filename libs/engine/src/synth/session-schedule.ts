// The slow-bar slots of the synthetic market: a CME-like week in America/New_York (Sunday 18:00 →
// Friday 17:00, a daily break 17:00–18:00, the holiday rules of cme-holidays.ts). The session of
// trading day D opens at 18:00 local on D−1 and closes at 17:00 (13:15 on early-close days) on D,
// so a regular day holds 23 h of bars (276 five-minute bars) whatever DST does: US clocks change
// at 02:00 on a Sunday, inside the weekend closure, and every slot is placed by local wall-clock
// time and converted to UTC through the tz database.
import { DAY_MS } from "../calendar/clock-time.js";
import { dayNumberToIso } from "../calendar/day-number.js";
import { TimeZone } from "../calendar/tz.js";
import { dayKind, EARLY_CLOSE_MINUTES, REGULAR_CLOSE_MINUTES } from "./cme-holidays.js";

export const SESSION_TZ = "America/New_York";
const MINUTE_MS = 60_000;
const OPEN_MINUTES = 18 * 60;
const RTH_START_MINUTES = 9 * 60 + 30;
const RTH_END_MINUTES = 16 * 60;

export interface SessionSchedule {
  barMs: number;
  /** Slot start, UTC epoch ms. */
  utc: Float64Array;
  /** Slot start as local wall-clock "naive" ms (UTC fields = local fields). */
  naive: Float64Array;
  /** Trading day (day number) of each slot. */
  tradingDay: Int32Array;
  /** Local time closed before this slot (ms): the break, weekend or holiday; 0 inside a session. */
  closedBefore: Float64Array;
  /** 1 when the slot lies in regular trading hours (09:30–16:00 local), where activity is higher. */
  rth: Uint8Array;
  tradingDays: number[];
  closedDays: string[];
  earlyCloseDays: string[];
}

/** Slots of `days` trading days from the first trading day on or after `startDay`. */
export function buildSessionSchedule(startDay: number, days: number, barMinutes: number): SessionSchedule {
  const tz = TimeZone.of(SESSION_TZ);
  const barMs = barMinutes * MINUTE_MS;
  const tradingDays: number[] = [];
  const closedDays: string[] = [];
  const earlyCloseDays: string[] = [];
  const closes: number[] = [];
  for (let day = startDay; tradingDays.length < days; day++) {
    const kind = dayKind(day);
    if (kind === "weekend") continue;
    if (kind === "closed") {
      closedDays.push(dayNumberToIso(day));
      continue;
    }
    if (kind === "early") earlyCloseDays.push(dayNumberToIso(day));
    tradingDays.push(day);
    closes.push(kind === "early" ? EARLY_CLOSE_MINUTES : REGULAR_CLOSE_MINUTES);
  }

  const perDay = Math.floor((24 * 60 - OPEN_MINUTES + REGULAR_CLOSE_MINUTES) / barMinutes);
  const capacity = perDay * days;
  const utc = new Float64Array(capacity);
  const naive = new Float64Array(capacity);
  const tradingDay = new Int32Array(capacity);
  const closedBefore = new Float64Array(capacity);
  const rth = new Uint8Array(capacity);
  let n = 0;
  let lastEnd = Number.NaN;
  tradingDays.forEach((day, d) => {
    const open = (day - 1) * DAY_MS + OPEN_MINUTES * MINUTE_MS;
    const close = day * DAY_MS + closes[d] * MINUTE_MS;
    // one tz lookup per session end: with the same offset at both ends (always, for US sessions)
    // every slot shares it; otherwise each slot is converted on its own
    const openUtc = tz.fromLocalNaive(open);
    const oneOffset = tz.fromLocalNaive(close) - openUtc === close - open;
    for (let t = open; t + barMs <= close; t += barMs) {
      const u = oneOffset ? openUtc + (t - open) : tz.fromLocalNaive(t);
      if (Number.isNaN(u)) continue; // a local time that does not exist (never inside a US session)
      const minuteOfDay = (t - Math.floor(t / DAY_MS) * DAY_MS) / MINUTE_MS;
      utc[n] = u;
      naive[n] = t;
      tradingDay[n] = day;
      closedBefore[n] = t === open && !Number.isNaN(lastEnd) ? t - lastEnd : 0;
      rth[n] = minuteOfDay >= RTH_START_MINUTES && minuteOfDay < RTH_END_MINUTES ? 1 : 0;
      n++;
    }
    lastEnd = close;
  });
  return {
    barMs,
    utc: utc.slice(0, n),
    naive: naive.slice(0, n),
    tradingDay: tradingDay.slice(0, n),
    closedBefore: closedBefore.slice(0, n),
    rth: rth.slice(0, n),
    tradingDays,
    closedDays,
    earlyCloseDays,
  };
}
