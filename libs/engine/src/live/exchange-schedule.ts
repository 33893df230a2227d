// The live answer to "what is the next bar?" (see next-bar-schedule.ts): the exchange's trading
// hours and holiday calendar, known before the bar closes. The next bar is the one starting at
// this bar's close when that bar fits inside a session, else the first bar of the next session.
//
// What it cannot know is the data: a bar the vendor never prints (no trade in it) is still
// expected. A gap that swallows the last bars before a session's close therefore leaves the
// replay holding a position the batch flattened on its last printed bar (the batch's `eod` reads
// the data's next bar, a look-ahead), and a calendar that misses an early close or a holiday
// gets `eod` wrong on that day. `pairgrid parity --next-bar exchange` measures both on a data set.
import { DAY_MS } from "../calendar/clock-time.js";
import type { SessionCalendar } from "../calendar/session-calendar.js";
import { type DayKind, dayKind, EARLY_CLOSE_MINUTES, REGULAR_CLOSE_MINUTES } from "../synth/cme-holidays.js";
import { TimeZone } from "../calendar/tz.js";
import type { ReplayBar } from "./bar-feed.js";
import type { NextBarSchedule } from "./next-bar-schedule.js";

const MINUTE_MS = 60_000;
/** A session further than this from a bar means the calendar is broken, not a long holiday. */
const MAX_CLOSED_DAYS = 14;

/** An exchange's weekly hours: the session of trading day D runs from `open` on D − 1 to its close on D. */
export interface ExchangeHours {
  tz: string;
  /** Local minute of day at which the session of day D opens, on the evening of D − 1. */
  openMinutes: number;
  /** Local minute of day at which the session of day D closes, on D. */
  closeMinutes(kind: "regular" | "early"): number;
  /** What kind of day the calendar date D (a day number) is. */
  dayKind(day: number): DayKind;
}

/**
 * CME Globex equity-index hours in New York time (Sunday 18:00 → Friday 17:00, daily break
 * 17:00–18:00) with the holiday rules the synthetic market uses (synth/cme-holidays.ts). Real
 * data needs the exchange's full holiday calendar in `dayKind`.
 */
export const CME_GLOBEX_HOURS: ExchangeHours = {
  tz: "America/New_York",
  openMinutes: 18 * 60,
  closeMinutes: (kind) => (kind === "early" ? EARLY_CLOSE_MINUTES : REGULAR_CLOSE_MINUTES),
  dayKind,
};

export class ExchangeSchedule implements NextBarSchedule {
  readonly name = "exchange calendar";
  private readonly tz: TimeZone;
  private readonly openMs: number;

  /**
   * `lastDay`: the replay's last trading day (a day number; null for an open-ended live run). A
   * next bar on a later trading day of `calendar` means the current bar is the replay's last.
   */
  constructor(
    private readonly hours: ExchangeHours,
    private readonly barMs: number,
    private readonly calendar: SessionCalendar,
    private readonly lastDay: number | null,
  ) {
    this.tz = TimeZone.of(hours.tz);
    this.openMs = hours.openMinutes * MINUTE_MS;
  }

  nextBarStart(bar: ReplayBar): number | null {
    const next = this.expectedNext(bar.ts + this.barMs);
    if (this.lastDay !== null && this.calendar.tradingDay(next + this.barMs) > this.lastDay) return null;
    return next;
  }

  /** The first bar start at or after `start` (UTC ms) whose bar lies inside a session. */
  private expectedNext(start: number): number {
    const naive = this.tz.toLocalNaive(start);
    const day = Math.floor((naive - this.openMs) / DAY_MS) + 1;
    if (this.fits(day, naive)) return start;
    for (let d = day + 1; d <= day + MAX_CLOSED_DAYS; d++) {
      if (this.isTradingDay(d)) return this.tz.fromLocalNaive((d - 1) * DAY_MS + this.openMs);
    }
    throw new Error(
      `exchange calendar: no session within ${MAX_CLOSED_DAYS} days of ${new Date(start).toISOString()}`,
    );
  }

  /** Whether a bar starting at local `naive` lies inside the session of trading day `day`. */
  private fits(day: number, naive: number): boolean {
    const kind = this.hours.dayKind(day);
    if (kind !== "regular" && kind !== "early") return false;
    const close = day * DAY_MS + this.hours.closeMinutes(kind) * MINUTE_MS;
    return naive + this.barMs <= close;
  }

  private isTradingDay(day: number): boolean {
    const kind = this.hours.dayKind(day);
    return kind === "regular" || kind === "early";
  }
}
