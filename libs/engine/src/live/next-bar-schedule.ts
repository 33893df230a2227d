// How the replay engine learns, at bar i's close, what §2 and §5 need about bar i+1: whether it
// belongs to another trading day (`eod`) and whether there is one at all (the last bar neither
// enters nor stays open). The batch reads both off the data; a live engine cannot, so the
// question sits behind this interface with two answers:
//  - `LookaheadFeed` (here): a one-bar look-ahead on the feed, exactly the batch's reading. Free
//    when replaying files; live it would delay every decision by a bar, so it is the parity
//    reference, not a deployment mode.
//  - `ExchangeSchedule` (exchange-schedule.ts): the exchange's session hours and holiday calendar
//    give the next bar's expected start at bar i's close, with no delay; it differs from the data
//    only where the data has a gap across a session end or the calendar misses an early close.
import type { BarFeed, ReplayBar } from "./bar-feed.js";

export interface NextBarSchedule {
  /** Start time (UTC ms) of the bar after `bar`, or null when none follows (the replay's last bar). */
  nextBarStart(bar: ReplayBar): number | null;
  /** Short name for reports. */
  readonly name: string;
}

/**
 * Wraps a feed and holds one bar back, so that while the engine processes a bar the next one (or
 * the end of the feed) is already known. Iterate it instead of the source.
 */
export class LookaheadFeed implements AsyncIterable<ReplayBar>, NextBarSchedule {
  readonly name = "feed look-ahead";
  private current: ReplayBar | null = null;
  private following: ReplayBar | null = null;

  constructor(private readonly source: BarFeed) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<ReplayBar> {
    const it = this.source[Symbol.asyncIterator]();
    let r = await it.next();
    while (!r.done) {
      const bar = r.value;
      r = await it.next();
      this.current = bar;
      this.following = r.done ? null : r.value;
      yield bar;
    }
  }

  nextBarStart(bar: ReplayBar): number | null {
    // the look-ahead is only known for the bar just handed out
    if (bar !== this.current) throw new Error("LookaheadFeed: asked about a bar it is not holding");
    return this.following === null ? null : this.following.ts;
  }
}
