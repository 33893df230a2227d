// The intraday shape of activity in the synthetic market (America/New_York wall-clock time): a
// quiet Asian night, a step up at the London open and the 08:30 US data releases, the U of
// regular trading hours (a burst at the 09:30 open decaying to a calm midday, a ramp into the
// 16:00 close) and a quiet last hour before the 17:00 break. Volatility multipliers are
// normalised so that one regular 23-hour session (18:00 → 17:00) has mean variance 1: the daily
// volatility of the model stays what its parameter says, whatever the shape.

const RTH_OPEN = 9 * 60 + 30;
const RTH_CLOSE = 16 * 60;

/** Volatility multiplier (not normalised) at a local minute of the day, 0…1439. */
function rawVolatility(minute: number): number {
  if (minute >= 18 * 60) return minute < 18 * 60 + 30 ? 0.55 : 0.35; // evening reopen, then Asia
  if (minute < 2 * 60) return 0.35;
  if (minute < 8 * 60 + 30) return 0.5; // London
  if (minute < RTH_OPEN) return 0.8; // US data releases, pre-open
  if (minute < RTH_CLOSE) {
    // the U: open burst (decays over ~30 min), calm midday, ramp into the close (last ~25 min)
    return 1 + 1.3 * Math.exp(-(minute - RTH_OPEN) / 30) + 0.8 * Math.exp(-(RTH_CLOSE - minute) / 25);
  }
  return 0.45; // 16:00–17:00, after the cash close
}

/** Mean raw variance over the minutes of a regular session, 18:00 → 17:00. */
const SESSION_MEAN_VARIANCE = (() => {
  let sum = 0;
  let n = 0;
  for (let m = 18 * 60; m < 24 * 60 + 17 * 60; m++, n++) sum += rawVolatility(m % 1440) ** 2;
  return sum / n;
})();

const NORM = 1 / Math.sqrt(SESSION_MEAN_VARIANCE);
/** Normalised multiplier at the calm middle of the regular session, the volume profile's reference. */
const MIDDAY = rawVolatility(12 * 60 + 30) * NORM;

/**
 * Volatility multiplier of a bar starting at local `minute` and lasting `barMinutes`: the root
 * mean square of the per-minute profile over the bar, normalised to a session mean variance of 1.
 */
export function intradayVolatility(minute: number, barMinutes: number): number {
  let v = 0;
  for (let k = 0; k < barMinutes; k++) v += rawVolatility((minute + k) % 1440) ** 2;
  return Math.sqrt(v / barMinutes) * NORM;
}

/**
 * Volume multiplier relative to the calm middle of regular hours: volume follows volatility,
 * squared (traders crowd into the open and close, the night is thin), so a night bar trades
 * about a tenth of a midday one.
 */
export function intradayVolume(volatility: number): number {
  return (volatility / MIDDAY) ** 2;
}
