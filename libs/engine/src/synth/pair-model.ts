// The latent price model of the synthetic pair, evaluated once per slow-bar slot.
//
//   log B  random walk, ≈ 1 %/day, twice as volatile in regular trading hours as outside them,
//          with a small extra move across each closure (break, weekend, holiday);
//   s      spread, an Ornstein-Uhlenbeck process (discrete AR(1)) with a half-life of 3 hours;
//   log A  = alpha_t + beta_t·log B + s, written in increments, Δlog A = beta_t·Δlog B + Δs, so a
//          change of beta moves alpha instead of making A jump (alpha_t absorbs it);
//   beta_t drifts towards a target that jumps to a new value in [0.95, 1.35] about every 15
//          trading days (a regime), with a time constant of one trading day.
// The spread's noise is sized so that one-bar log returns of A and B correlate at ≈ 0.85.
// Closes are rounded to each leg's tick here, once, and never change afterwards: the intrabar
// paths (and fast bars) are built to end exactly on them, from another random stream.
import { LEG_A, LEG_B } from "./instruments.js";
import { Rng } from "./prng.js";
import type { SessionSchedule } from "./session-schedule.js";

export const PAIR_MODEL = Object.freeze({
  daily_vol_b: 0.01,
  /** Regular session length the daily volatility refers to, minutes. */
  session_minutes: 23 * 60,
  beta_start: 1.15,
  beta_min: 0.95,
  beta_max: 1.35,
  beta_regime_days: 15,
  beta_adjust_days: 1,
  spread_half_life_minutes: 180,
  return_correlation: 0.85,
  /** Volatility (and activity) in regular trading hours relative to the rest of the session. */
  rth_vol_ratio: 2,
  /** Variance of a closed hour as a share of an open hour's. */
  closed_vol_share: 0.1,
  missing_bar_probability: 0.003,
  /** Log-normal dispersion of bar volumes around their time-of-day median. */
  volume_sigma: 0.5,
});

/** Stream ids of the generator's independent random sequences. */
export const STREAM_SLOW = 1;
export const STREAM_INTRABAR = 2;

export interface LegCloses {
  /** Close of every slot in ticks (also for slots where the leg's bar is missing). */
  closeTicks: Int32Array;
  /** Log-price standard deviation of the slot's move, for the intrabar paths. */
  sigma: Float64Array;
  volume: Int32Array;
  /** 1 when this leg has no bar in the slot. */
  missing: Uint8Array;
}

export interface PairCloses {
  a: LegCloses;
  b: LegCloses;
  beta: Float64Array;
  startTicksA: number;
  startTicksB: number;
}

function allocLeg(n: number): LegCloses {
  return {
    closeTicks: new Int32Array(n),
    sigma: new Float64Array(n),
    volume: new Int32Array(n),
    missing: new Uint8Array(n),
  };
}

/** Slow closes, volumes and missing-bar flags of both legs for every slot of the schedule. */
export function simulatePairCloses(schedule: SessionSchedule, seed: number): PairCloses {
  const m = PAIR_MODEL;
  const rng = new Rng(seed, STREAM_SLOW);
  const n = schedule.utc.length;
  const barMinutes = schedule.barMs / 60_000;
  const a = allocLeg(n);
  const b = allocLeg(n);
  const beta = new Float64Array(n);

  // volatility per bar, split between RTH (6.5 h of 23) and the rest so a whole session has daily_vol_b
  const rthShare = 390 / m.session_minutes;
  const ethScale = 1 / Math.sqrt(rthShare * m.rth_vol_ratio ** 2 + (1 - rthShare));
  const barVolB = m.daily_vol_b * Math.sqrt(barMinutes / m.session_minutes);
  const volB = [barVolB * ethScale, barVolB * ethScale * m.rth_vol_ratio];
  const spreadShare = Math.sqrt(1 / m.return_correlation ** 2 - 1) * m.beta_start;
  const phi = 2 ** (-barMinutes / m.spread_half_life_minutes);
  const betaStep = 1 - Math.exp(-barMinutes / (m.beta_adjust_days * m.session_minutes));
  const closedVarPerMinute = (m.daily_vol_b ** 2 / m.session_minutes) * m.closed_vol_share;
  const volumeScale = barMinutes / 5;
  const minVolume = 60 * barMinutes; // ≥ one contract per possible 1-second fast bar

  let logB = Math.log(LEG_B.start_price);
  let logA = Math.log(LEG_A.start_price);
  let s = 0;
  let b_t = m.beta_start;
  let target = m.beta_start;
  let day = Number.NaN;
  for (let i = 0; i < n; i++) {
    if (schedule.tradingDay[i] !== day) {
      day = schedule.tradingDay[i];
      if (rng.uniform() < 1 / m.beta_regime_days)
        target = m.beta_min + (m.beta_max - m.beta_min) * rng.uniform();
    }
    b_t += (target - b_t) * betaStep;
    const rth = schedule.rth[i];
    const sb = volB[rth];
    const ss = sb * spreadShare;
    let dB = sb * rng.normal();
    const closed = schedule.closedBefore[i];
    if (closed > 0) dB += Math.sqrt(closedVarPerMinute * (closed / 60_000)) * rng.normal();
    const sNext = phi * s + ss * rng.normal();
    logB += dB;
    logA += b_t * dB + (sNext - s);
    s = sNext;

    beta[i] = b_t;
    a.closeTicks[i] = Math.round(Math.exp(logA) / LEG_A.tick_size);
    b.closeTicks[i] = Math.round(Math.exp(logB) / LEG_B.tick_size);
    a.sigma[i] = Math.sqrt(b_t * b_t * sb * sb + ss * ss);
    b.sigma[i] = sb;
    const medianA = rth ? LEG_A.volume_rth : LEG_A.volume_eth;
    const medianB = rth ? LEG_B.volume_rth : LEG_B.volume_eth;
    a.volume[i] = minVolume + Math.round(medianA * volumeScale * Math.exp(m.volume_sigma * rng.normal()));
    b.volume[i] = minVolume + Math.round(medianB * volumeScale * Math.exp(m.volume_sigma * rng.normal()));
    a.missing[i] = rng.uniform() < m.missing_bar_probability ? 1 : 0;
    b.missing[i] = rng.uniform() < m.missing_bar_probability ? 1 : 0;
  }
  return {
    a,
    b,
    beta,
    startTicksA: Math.round(LEG_A.start_price / LEG_A.tick_size),
    startTicksB: Math.round(LEG_B.start_price / LEG_B.tick_size),
  };
}
