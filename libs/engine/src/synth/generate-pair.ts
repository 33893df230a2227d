// The generator's main loop, shared by the in-memory API and the streaming file writer: session
// slots, then slow closes for every slot (one random stream), then slot by slot the intrabar paths
// (another stream), handed to a sink one leg-bar at a time so fast bars never pile up in memory.
import { isoToDayNumber } from "../calendar/day-number.js";
import { LEG_A, LEG_B } from "./instruments.js";
import { COARSE_STEP_SECONDS, IntrabarGenerator, type LegIntrabar, type LegSlot } from "./intrabar-path.js";
import { MARKET_MODEL, simulateMarketCloses } from "./market-model.js";
import { PAIR_MODEL, type PairCloses, STREAM_INTRABAR, simulatePairCloses } from "./pair-model.js";
import { buildSessionSchedule, type SessionSchedule } from "./session-schedule.js";
import type { SynthOptions } from "./synth-options.js";

export const LEG_INDEX_A = 0;
export const LEG_INDEX_B = 1;
export type LegIndex = typeof LEG_INDEX_A | typeof LEG_INDEX_B;

/** Receives every present slow bar of each leg, in time order, A before B within a slot. */
export interface PairSink {
  /** Called once with the slots (start times, trading days…) before the first bar. */
  begin(schedule: SessionSchedule): void;
  /** `bars` is reused for the next call: copy what you keep. Its fast bars are set when fast bars are made. */
  bar(leg: LegIndex, slot: number, bars: LegIntrabar): void;
}

export interface LegCounts {
  bars: number;
  missing_bars: number;
  fast_bars: number;
}

export interface GeneratedPair {
  schedule: SessionSchedule;
  closes: PairCloses;
  counts: { a: LegCounts; b: LegCounts };
}

/** Runs the whole generation for validated options, feeding `sink`. */
export function generatePair(opts: SynthOptions, sink: PairSink): GeneratedPair {
  const schedule = buildSessionSchedule(isoToDayNumber(opts.start, "start"), opts.days, opts.bar_minutes);
  sink.begin(schedule);
  const market = opts.model === "market";
  const closes = market ? simulateMarketCloses(schedule, opts.seed) : simulatePairCloses(schedule, opts.seed);
  const emitFast = opts.fast_seconds !== null;
  const stepSeconds = opts.fast_seconds ?? COARSE_STEP_SECONDS;
  const steps = Math.max(1, (opts.bar_minutes * 60) / stepSeconds);
  const intrabar = new IntrabarGenerator(
    opts.seed,
    STREAM_INTRABAR,
    steps,
    emitFast,
    LEG_A.tick_size,
    LEG_B.tick_size,
    market ? MARKET_MODEL.return_correlation : PAIR_MODEL.return_correlation,
  );
  const counts = {
    a: { bars: 0, missing_bars: 0, fast_bars: 0 },
    b: { bars: 0, missing_bars: 0, fast_bars: 0 },
  };
  const sa: LegSlot = { prevTicks: closes.startTicksA, closeTicks: 0, sigma: 0, volume: 0, missing: false };
  const sb: LegSlot = { prevTicks: closes.startTicksB, closeTicks: 0, sigma: 0, volume: 0, missing: false };
  const n = schedule.utc.length;
  for (let i = 0; i < n; i++) {
    loadSlot(sa, closes.a, i);
    loadSlot(sb, closes.b, i);
    intrabar.fill(sa, sb, schedule.rth[i] === 1);
    report(sink, LEG_INDEX_A, i, sa, intrabar.a, counts.a, emitFast);
    report(sink, LEG_INDEX_B, i, sb, intrabar.b, counts.b, emitFast);
    // a missing bar's close still happened: the next bar's path starts from it
    sa.prevTicks = sa.closeTicks;
    sb.prevTicks = sb.closeTicks;
  }
  return { schedule, closes, counts };
}

function loadSlot(s: LegSlot, leg: PairCloses["a"], i: number): void {
  s.closeTicks = leg.closeTicks[i];
  s.sigma = leg.sigma[i];
  s.volume = leg.volume[i];
  s.missing = leg.missing[i] === 1;
}

function report(
  sink: PairSink,
  leg: LegIndex,
  slot: number,
  s: LegSlot,
  bars: LegIntrabar,
  c: LegCounts,
  emitFast: boolean,
) {
  if (s.missing) {
    c.missing_bars++;
    return;
  }
  c.bars++;
  if (emitFast) c.fast_bars += bars.count;
  sink.bar(leg, slot, bars);
}
