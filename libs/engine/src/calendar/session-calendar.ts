// The session calendar of ENGINE.md §2 and §10: trading day, session-relative time, end-of-day
// flattening and the entry window, all from local wall-clock time in the session's tz (DST from the
// tz database).
//
// One mapping serves every rule. Write `naive` for the local wall-clock time of an instant as
// milliseconds since 1970-01-01 (UTC + offset) and `roll` for day_roll after local midnight:
//   trading day  d = ceil((naive − roll) / 24h)      (a day number: days since 1970-01-01)
//   session time m = naive − roll − (d − 1)·24h       ∈ (0, 24h]
// so the trading day d runs over the local instants (d−1 + roll, d + roll]: an instant exactly at
// day_roll is m = 24h, the end of the day that is closing, and belongs to that day; a bar closing at
// 18:05 belongs to the next date; one closing at 17:00 to the same date. For day_roll 00:00…23:59
// this is exactly §2's "local date, plus one day when the time of day is strictly after day_roll";
// for day_roll "24:00" the instant at local midnight counts as 24:00 of the previous date, which is
// the only reading under which "m = 24h is the end of the closing day" holds there as well.
// Local time is what counts: in the repeated fall-back hour m runs back by an hour, and a 23- or
// 25-hour trading day still spans (roll, roll] of the local clock.
//
// The settings' clock times are placed on the same (0, 24h] axis with m(t) = (t − roll) mod 24h,
// 0 read as 24h — so flat_time = day_roll is reached only by a bar closing exactly at the roll — with one
// exception pinned by §10: entry_start is a window START, so entry_start = day_roll maps to 0, the
// session open. Windows are then start ≤ m < end, a missing bound open on its side, and
// m(entry_start) ≥ m(entry_end) an empty window.
import { TimeZone } from "./tz.js";
import { DAY_MS, parseClockTime } from "./clock-time.js";
import { OffsetCursor } from "./offset-cursor.js";

/** `session` settings of a grid spec (ENGINE.md §2); clock times are local `HH:MM`. */
export interface SessionSettings {
  tz: string;
  day_roll: string;
  flat_time: string | null;
  entry_start: string | null;
  entry_end: string | null;
}

/** Per-bar calendar columns of a bar series (1 = true in the Uint8Arrays). */
export interface SessionColumns {
  tradingDay: Int32Array;
  eod: Uint8Array;
  windowOk: Uint8Array;
}

/** `(t − roll) mod 24h` in [0, 24h). */
function sinceRoll(t: number, roll: number): number {
  const r = (t - roll) % DAY_MS;
  return r < 0 ? r + DAY_MS : r;
}

export class SessionCalendar {
  readonly settings: Readonly<SessionSettings>;
  readonly tz: TimeZone;
  private readonly roll: number;
  /** m(flat_time), or NaN when flat_time is null (every comparison with NaN is false). */
  private readonly flatM: number;
  /** m(entry_start), −∞ when absent. */
  private readonly startM: number;
  /** m(entry_end), +∞ when absent. */
  private readonly endM: number;

  constructor(settings: SessionSettings) {
    // an absent optional time (undefined from a JS caller) means the same as null
    const s: SessionSettings = {
      tz: settings.tz,
      day_roll: settings.day_roll,
      flat_time: settings.flat_time ?? null,
      entry_start: settings.entry_start ?? null,
      entry_end: settings.entry_end ?? null,
    };
    this.settings = Object.freeze(s);
    this.tz = TimeZone.of(s.tz, "session.tz");
    this.roll = parseClockTime(s.day_roll, "session.day_roll");
    const toM = (t: number) => sinceRoll(t, this.roll) || DAY_MS;
    this.flatM = s.flat_time === null ? Number.NaN : toM(parseClockTime(s.flat_time, "session.flat_time"));
    this.startM =
      s.entry_start === null
        ? Number.NEGATIVE_INFINITY
        : sinceRoll(parseClockTime(s.entry_start, "session.entry_start"), this.roll);
    this.endM =
      s.entry_end === null ? Number.POSITIVE_INFINITY : toM(parseClockTime(s.entry_end, "session.entry_end"));
  }

  /** Session-relative time m ∈ (0, 24h] of an instant, in ms. */
  sessionMs(utcMs: number): number {
    const naive = this.tz.toLocalNaive(utcMs);
    return naive - this.roll - (this.dayOfNaive(naive) - 1) * DAY_MS;
  }

  /** Trading day (day number) of an instant. */
  tradingDay(utcMs: number): number {
    return this.dayOfNaive(this.tz.toLocalNaive(utcMs));
  }

  /** Whether entries are allowed at a bar closing at `closeUtcMs` (true without an entry window). */
  windowOk(closeUtcMs: number): boolean {
    const m = this.sessionMs(closeUtcMs);
    return this.startM <= m && m < this.endM;
  }

  /** Whether flat_time is set and reached at `closeUtcMs` (the flat_time half of `eod`). */
  atFlatTime(closeUtcMs: number): boolean {
    return this.sessionMs(closeUtcMs) >= this.flatM;
  }

  /**
   * Calendar columns of bars starting at `ts` (UTC ms, increasing) lasting `barMs` each, judged at
   * close_time = ts + barMs. `eod` needs flat_time: then it holds at or after flat_time and on the
   * last bar before another trading day; the last bar of the series has no next bar, so only
   * flat_time can make it eod (§10).
   */
  build(ts: Float64Array, barMs: number): SessionColumns {
    const n = ts.length;
    const tradingDay = new Int32Array(n);
    const eod = new Uint8Array(n);
    const windowOk = new Uint8Array(n);
    const flatOn = this.settings.flat_time !== null;
    const cursor = new OffsetCursor(this.tz);
    const { roll, flatM, startM, endM } = this;
    for (let i = 0; i < n; i++) {
      const naive = cursor.toLocalNaive(ts[i] + barMs);
      const day = Math.ceil((naive - roll) / DAY_MS);
      const m = naive - roll - (day - 1) * DAY_MS;
      tradingDay[i] = day;
      windowOk[i] = startM <= m && m < endM ? 1 : 0;
      eod[i] = m >= flatM ? 1 : 0;
    }
    if (flatOn) for (let i = 0; i + 1 < n; i++) if (tradingDay[i + 1] !== tradingDay[i]) eod[i] = 1;
    return { tradingDay, eod, windowOk };
  }

  private dayOfNaive(naive: number): number {
    return Math.ceil((naive - this.roll) / DAY_MS);
  }
}
