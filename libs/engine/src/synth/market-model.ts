// The default latent price model of the synthetic pair (`--model market`), evaluated once per
// slow-bar slot. MARKET-MODEL.md (next to this file) describes each feature, its parameters and
// why; in short:
//   log B   the market: GARCH(1,1) volatility × the intraday profile, a gap across each closure;
//   s       the spread, cointegration that comes and goes (market/regime-spread.ts), its own GARCH;
//   log A   = alpha_t + beta_t·log B + s, in increments, with beta_t drifting and sometimes
//           shifting (market/hedge-drift.ts);
//   jumps   of one leg alone, which the other does not follow (market/jumps.ts).
// Closes are rounded to each leg's tick here, once; the intrabar paths end exactly on them.
import { DAY_MS } from "../calendar/clock-time.js";
import { LEG_A, LEG_B } from "./instruments.js";
import { Garch } from "./market/garch.js";
import { HedgeDrift } from "./market/hedge-drift.js";
import { intradayVolatility, intradayVolume } from "./market/intraday-profile.js";
import { Jumps } from "./market/jumps.js";
import { RegimeSpread } from "./market/regime-spread.js";
import { type PairCloses, STREAM_SLOW } from "./pair-model.js";
import { Rng } from "./prng.js";
import type { SessionSchedule } from "./session-schedule.js";

export const MARKET_MODEL = Object.freeze({
  /** Daily volatility of log B over a regular 23-hour session, before volatility clustering. */
  daily_vol_b: 0.01,
  /** Correlation of one-bar log returns of A and B when both volatilities are at their mean. */
  return_correlation: 0.85,
  /** Regimes of the spread: lengths in trading days (log-uniform), share of random walks. */
  regime_days_min: 2,
  regime_days_max: 15,
  rw_share: 0.5,
  /** Half-life of a mean-reverting regime, minutes (log-uniform): 12 hours to 5 days. */
  half_life_min_minutes: 720,
  half_life_max_minutes: 7200,
  /** Share of the spread's variance that drifts even inside a mean-reverting regime. */
  mr_drift_share: 0.5,
  /** Spread volatility per regime: log-normal dispersion, and random walks relative to reversion. */
  regime_vol_sd: 0.3,
  rw_vol_ratio: 1.5,
  /** Volatility clustering of the market (B) and of the spread, per 5-minute bar. */
  garch_alpha: 0.03,
  garch_beta: 0.96,
  /** Hedge ratio: start, bounds, daily random-walk sd, pull to target, target shifts. */
  beta_start: 1.15,
  beta_min: 0.9,
  beta_max: 1.4,
  beta_daily_sd: 0.01,
  beta_pull_days: 20,
  beta_shift_days: 30,
  beta_shift_sd: 0.08,
  /** Jumps of one leg alone: expected per leg and trading day, mean size, cap (log price). */
  jumps_per_day: 0.05,
  jump_mean: 0.003,
  jump_max: 0.03,
  /** Variance of a closed hour (break, weekend, holiday) as a share of an average open hour's. */
  closed_vol_share: 0.1,
  missing_bar_probability: 0.003,
  /** Log-normal dispersion of bar volumes around their time-of-day median. */
  volume_sigma: 0.5,
  /** Minutes of a regular session (18:00 → 17:00), which daily_vol_b refers to. */
  session_minutes: 23 * 60,
});

/** The model's parameters (MARKET_MODEL, or variations of it in tests). */
export type MarketModelParams = { readonly [K in keyof typeof MARKET_MODEL]: number };

/** The closes plus what the model did, per slot, for tests and diagnostics. */
export interface MarketCloses extends PairCloses {
  /** REGIME_MEAN_REVERTING or REGIME_RANDOM_WALK. */
  regime: Uint8Array;
  /** Half-life of the slot's regime in minutes, NaN in a random walk. */
  halfLifeMinutes: Float32Array;
  /** The latent spread s after the slot (log A − alpha − beta·log B, before tick rounding). */
  spread: Float64Array;
  /** Jump in the slot: log-price jump of A, of B (0 = none). */
  jumpA: Float32Array;
  jumpB: Float32Array;
  /** Volatility multiplier of the slot's market move: intraday profile × GARCH. */
  volScaleB: Float32Array;
}

/** Slow closes, volumes and missing-bar flags of both legs for every slot of the schedule. */
export function simulateMarketCloses(
  schedule: SessionSchedule,
  seed: number,
  m: MarketModelParams = MARKET_MODEL,
): MarketCloses {
  const rng = new Rng(seed, STREAM_SLOW);
  const n = schedule.utc.length;
  const barMinutes = schedule.barMs / 60_000;
  const barsPerDay = m.session_minutes / barMinutes;
  const out: MarketCloses = {
    a: allocLeg(n),
    b: allocLeg(n),
    beta: new Float64Array(n),
    startTicksA: Math.round(LEG_A.start_price / LEG_A.tick_size),
    startTicksB: Math.round(LEG_B.start_price / LEG_B.tick_size),
    regime: new Uint8Array(n),
    halfLifeMinutes: new Float32Array(n),
    spread: new Float64Array(n),
    jumpA: new Float32Array(n),
    jumpB: new Float32Array(n),
    volScaleB: new Float32Array(n),
  };
  const { a, b } = out;

  const garchParams = { alpha: m.garch_alpha, beta: m.garch_beta };
  const garchB = new Garch(garchParams, barMinutes);
  const garchS = new Garch(garchParams, barMinutes);
  const spread = new RegimeSpread(m, barMinutes);
  const hedge = new HedgeDrift(m, barsPerDay);
  const jumps = new Jumps(m, barsPerDay);
  // the profile per minute of day, once (a bar's multiplier depends only on its start minute)
  const profile = new Float64Array(1440);
  for (let k = 0; k < 1440; k++) profile[k] = intradayVolatility(k, barMinutes);

  const barVolB = m.daily_vol_b * Math.sqrt(barMinutes / m.session_minutes);
  // spread noise sized so that, at mean volatilities, one-bar returns correlate at return_correlation
  const barVolS = barVolB * Math.sqrt(1 / m.return_correlation ** 2 - 1) * m.beta_start;
  const closedVarPerHour = (m.daily_vol_b ** 2 / (m.session_minutes / 60)) * m.closed_vol_share;
  const spreadShare = barVolS / barVolB;
  const volumeScale = barMinutes / 5;
  const minVolume = 60 * barMinutes; // ≥ one contract per possible 1-second fast bar

  let logB = Math.log(LEG_B.start_price);
  let logA = Math.log(LEG_A.start_price);
  let day = Number.NaN;
  for (let i = 0; i < n; i++) {
    if (schedule.tradingDay[i] !== day) {
      day = schedule.tradingDay[i];
      spread.newDay(rng);
      hedge.newDay(rng);
    }
    const naive = schedule.naive[i];
    const prof = profile[Math.round((naive - Math.floor(naive / DAY_MS) * DAY_MS) / 60_000) % 1440];
    const scaleB = prof * garchB.scale;
    const sB = barVolB * scaleB;
    const sS = barVolS * prof * garchS.scale;

    const zB = rng.normal();
    garchB.update(zB);
    let dB = sB * zB;
    const sPrev = spread.value;
    const closed = schedule.closedBefore[i];
    if (closed > 0) {
      // a gap across the closure: the market moves, and the spread a little (the legs' news differ)
      const gapSd = Math.sqrt(closedVarPerHour * (closed / 3_600_000));
      dB += gapSd * rng.normal();
      spread.shift(gapSd * spreadShare * rng.normal());
    }
    const e1 = rng.normal();
    const e2 = rng.normal();
    garchS.update(e1);
    spread.step(sS, e1, e2);
    const beta = hedge.step(rng.normal());
    const jA = jumps.draw(rng);
    const jB = jumps.draw(rng);
    // B jumps alone: A does not follow, so the spread moves by −beta·jB; A's own jump moves it by jA
    if (jA !== 0 || jB !== 0) spread.shift(jA - beta * jB);
    const ds = spread.value - sPrev;
    logB += dB + jB;
    logA += beta * (dB + jB) + ds;

    out.beta[i] = beta;
    out.regime[i] = spread.kind;
    out.halfLifeMinutes[i] = spread.halfLifeMinutes;
    out.spread[i] = spread.value;
    out.jumpA[i] = jA;
    out.jumpB[i] = jB;
    out.volScaleB[i] = scaleB;
    a.closeTicks[i] = Math.round(Math.exp(logA) / LEG_A.tick_size);
    b.closeTicks[i] = Math.round(Math.exp(logB) / LEG_B.tick_size);
    const sSpread = sS * spread.volFactor;
    a.sigma[i] = Math.sqrt(beta * beta * sB * sB + sSpread * sSpread);
    b.sigma[i] = sB;
    // volume follows the intraday profile and the market's current volatility
    const activity = intradayVolume(prof) * garchB.scale * volumeScale;
    a.volume[i] =
      minVolume + Math.round(LEG_A.volume_rth * activity * Math.exp(m.volume_sigma * rng.normal()));
    b.volume[i] =
      minVolume + Math.round(LEG_B.volume_rth * activity * Math.exp(m.volume_sigma * rng.normal()));
    a.missing[i] = rng.uniform() < m.missing_bar_probability ? 1 : 0;
    b.missing[i] = rng.uniform() < m.missing_bar_probability ? 1 : 0;
  }
  return out;
}

function allocLeg(n: number): PairCloses["a"] {
  return {
    closeTicks: new Int32Array(n),
    sigma: new Float64Array(n),
    volume: new Int32Array(n),
    missing: new Uint8Array(n),
  };
}
