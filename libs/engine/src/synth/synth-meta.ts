// The description of a generated data set: what synth.json holds and synthesizePair returns as
// `meta`, so a reader (or a grid spec author) learns settings, symbols, contract terms, bar counts,
// sessions and the model without reading the generator.
import { dayNumberToIso } from "../calendar/day-number.js";
import type { GeneratedPair, LegCounts } from "./generate-pair.js";
import { type InstrumentSpec, LEG_A, LEG_B } from "./instruments.js";
import { COARSE_STEP_SECONDS } from "./intrabar-path.js";
import { MARKET_MODEL } from "./market-model.js";
import { PAIR_MODEL } from "./pair-model.js";
import { SESSION_TZ } from "./session-schedule.js";
import type { SynthOptions } from "./synth-options.js";

export const SIERRA_HEADER =
  "Date, Time, Open, High, Low, Last, Volume, NumberOfTrades, BidVolume, AskVolume";

export interface LegMeta extends LegCounts {
  symbol: string;
  multiplier: number;
  tick_size: number;
  /** Slow-bar file inside the output folder (null in memory). */
  file: string | null;
  /** Fast-bar file, null without fast bars or in memory. */
  fast_file: string | null;
}

export interface SynthFiles {
  a: { file: string; fast_file: string | null };
  b: { file: string; fast_file: string | null };
}

export interface SynthMeta {
  generator: string;
  format_version: number;
  settings: SynthOptions;
  tz: string;
  session: Record<string, string>;
  trading_days: number;
  first_trading_day: string;
  last_trading_day: string;
  holidays: { closed: string[]; early_close: string[] };
  slots: number;
  legs: { a: LegMeta; b: LegMeta };
  model: Record<string, unknown>;
  fast_bars: Record<string, unknown> | null;
  csv: Record<string, string>;
}

export function describeSynth(opts: SynthOptions, gen: GeneratedPair, files: SynthFiles | null): SynthMeta {
  const { schedule, counts } = gen;
  const leg = (spec: InstrumentSpec, c: LegCounts, f: SynthFiles["a"] | null): LegMeta => ({
    symbol: spec.symbol,
    multiplier: spec.multiplier,
    tick_size: spec.tick_size,
    file: f?.file ?? null,
    fast_file: f?.fast_file ?? null,
    ...c,
  });
  const days = schedule.tradingDays;
  return {
    generator: "pairgrid data synth",
    format_version: 1,
    settings: { ...opts },
    tz: SESSION_TZ,
    session: {
      week: "Sunday 18:00 to Friday 17:00 local, daily break 17:00-18:00",
      day_roll: "18:00",
      trading_day: "the session of day D opens 18:00 on D-1 and closes 17:00 (early close 13:15) on D",
      regular_hours: "09:30-16:00 local: twice the volatility, more volume, denser fast bars",
      holidays:
        "closed New Year's Day, Thanksgiving, Christmas; 13:15 close on the Friday after Thanksgiving and on Dec 24",
    },
    trading_days: days.length,
    first_trading_day: dayNumberToIso(days[0]),
    last_trading_day: dayNumberToIso(days[days.length - 1]),
    holidays: { closed: schedule.closedDays, early_close: schedule.earlyCloseDays },
    slots: schedule.utc.length,
    legs: { a: leg(LEG_A, counts.a, files?.a ?? null), b: leg(LEG_B, counts.b, files?.b ?? null) },
    model: opts.model === "market" ? marketModelMeta() : simpleModelMeta(),
    fast_bars:
      opts.fast_seconds === null
        ? null
        : {
            seconds: opts.fast_seconds,
            presence:
              "each fast bar exists with probability 0.8 in regular hours, 0.6 otherwise (bars with trades only)",
            path:
              "Brownian bridge in log price per slow bar, from the previous slow close to the slow close, legs' increments " +
              "correlated like their slow returns, interior points rounded to the tick",
            consistency:
              "slow closes are identical with or without fast bars (separate random stream); per slow bar the last present " +
              "fast bar closes at the slow close, the slow open is the first fast bar's open, slow high/low are the fast " +
              "bars' max/min, slow volume/trades/bid/ask are the fast bars' sums; a missing slow bar has no fast bars",
          },
    csv: {
      header: SIERRA_HEADER,
      date: "YYYY/M/D",
      time: "HH:MM:SS",
      time_zone: SESSION_TZ,
      label: "bar start",
      intrabar_shape:
        opts.fast_seconds === null
          ? `slow open/high/low from a ${COARSE_STEP_SECONDS}-second bridge path to the slow close`
          : "slow open/high/low from the fast bars",
    },
  };
}

function simpleModelMeta(): Record<string, unknown> {
  return {
    name: "simple",
    description:
      "log B random walk; spread s an AR(1)/OU process; dlog A = beta_t dlog B + ds (alpha absorbs beta changes); " +
      "beta_t drifts to a target redrawn about every beta_regime_days trading days; closes rounded to the tick; " +
      "each leg misses a slow bar independently with missing_bar_probability",
    start_price_a: LEG_A.start_price,
    start_price_b: LEG_B.start_price,
    ...PAIR_MODEL,
  };
}

function marketModelMeta(): Record<string, unknown> {
  return {
    name: "market",
    description:
      "libs/engine/src/synth/MARKET-MODEL.md: log B with GARCH(1,1) volatility, an intraday U-shaped profile and " +
      "gaps across closures; spread s in regimes of days to weeks, mean-reverting (half-life drawn per regime) " +
      "or a random walk, with its own GARCH; dlog A = beta_t dlog B + ds, beta_t a slow random walk whose " +
      "target sometimes shifts; jumps of one leg alone; volumes follow the profile and the volatility; closes " +
      "rounded to the tick; each leg misses a slow bar independently with missing_bar_probability",
    start_price_a: LEG_A.start_price,
    start_price_b: LEG_B.start_price,
    ...MARKET_MODEL,
  };
}
