// UTC-offset lookups for a hot loop over (mostly increasing) instants. Each TimeZone lookup of a
// new 15-minute bucket asks Intl (a few µs), which would make the first pass over years of 5-minute
// bars cost about a second; instead the cursor remembers an interval over which the offset is
// constant and widens it 6 hours at a time by checking the offset at the end of each step.
// That is sound as long as no zone changes its offset twice within 6 hours (the tz database has
// no such pair of transitions; TimeZone itself assumes the same of 15 minutes). A 15-minute bucket
// that holds a change is looked up exactly, instant by instant.
import type { TimeZone } from "./tz.js";

const BUCKET_MS = 15 * 60_000;
const STEP_MS = 6 * 3_600_000;
/** Widen at most this far per miss, so that scattered look-ups stay cheap. */
const MAX_SPAN_MS = 8 * STEP_MS;

export class OffsetCursor {
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private offset = 0;

  constructor(private readonly tz: TimeZone) {}

  /** Local-naive milliseconds (UTC + offset) of `utcMs`. */
  toLocalNaive(utcMs: number): number {
    if (utcMs >= this.lo && utcMs < this.hi) return utcMs + this.offset;
    if (this.seek(utcMs)) return utcMs + this.offset;
    return utcMs + this.tz.offsetMs(utcMs);
  }

  /** Sets [lo, hi) to a constant-offset interval holding `utcMs`; false inside a DST-change bucket. */
  private seek(utcMs: number): boolean {
    const lo = Math.floor(utcMs / BUCKET_MS) * BUCKET_MS;
    const offset = this.tz.offsetMs(lo);
    if (this.tz.offsetMs(lo + BUCKET_MS - 1) !== offset) {
      this.lo = Number.POSITIVE_INFINITY;
      this.hi = Number.NEGATIVE_INFINITY;
      return false;
    }
    let hi = lo + BUCKET_MS;
    while (hi - lo < MAX_SPAN_MS && this.tz.offsetMs(hi + STEP_MS - 1) === offset) hi += STEP_MS;
    this.lo = lo;
    this.hi = hi;
    this.offset = offset;
    return true;
  }
}
