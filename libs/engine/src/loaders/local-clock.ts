// Local wall-clock times of a file → UTC, fast enough for tens of millions of rows.
import type { TimeZone } from "../calendar/tz.js";
import { DAY_MS } from "./parse-time.js";

const HOUR_MS = 3_600_000;
/** Offsets stay within ±14 h, so these UTC instants bound every reading of a local day. */
const REACH_MS = 15 * HOUR_MS;
const PROBE_STEP_MS = 3 * HOUR_MS;

/**
 * Converts naive local times (wall-clock fields encoded as UTC ms) of one file, in file order.
 *
 * Most days have one offset throughout: that is checked once per local day (probing every
 * 3 hours across every UTC instant the day could map to), after which a row costs one
 * subtraction. Days near a DST change go row by row through `TimeZone.fromLocalNaive`.
 *
 * ENGINE.md §10: a time in the spring-forward gap does not exist (NaN here, an error for the
 * caller); an ambiguous time takes its first occurrence — except when the file is walking
 * through the repeated hour: if the first occurrence would not come after the previous row
 * while the second one would, the second is meant (a file that reads 01:58, 01:59, 01:00 …
 * on the fall-back night is in the second 01:00, not going back an hour).
 */
export class LocalClock {
  private day = Number.NaN;
  /** The offset in force over the whole current local day, or NaN when it changes nearby. */
  private dayOffset = Number.NaN;

  constructor(readonly tz: TimeZone) {}

  /** UTC ms of `naive`, given the UTC ms of the previous accepted row (−Infinity for none); NaN if nonexistent. */
  toUtc(naive: number, prevUtc: number): number {
    const day = Math.floor(naive / DAY_MS);
    if (day !== this.day) this.enterDay(day);
    const o = this.dayOffset;
    if (!Number.isNaN(o)) return naive - o;
    const first = this.tz.fromLocalNaive(naive);
    if (Number.isNaN(first) || first > prevUtc) return first;
    const late = this.tz.offsetMs(naive + 14 * HOUR_MS);
    const second = naive - late;
    if (second > first && second > prevUtc && this.tz.offsetMs(second) === late) return second;
    return first;
  }

  private enterDay(day: number): void {
    this.day = day;
    const from = day * DAY_MS - REACH_MS;
    const to = (day + 1) * DAY_MS + REACH_MS;
    const o = this.tz.offsetMs(from);
    this.dayOffset = Number.NaN;
    for (let t = from + PROBE_STEP_MS; t < to; t += PROBE_STEP_MS) if (this.tz.offsetMs(t) !== o) return;
    if (this.tz.offsetMs(to) !== o) return;
    this.dayOffset = o;
  }
}
