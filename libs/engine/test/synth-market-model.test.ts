// The market model's features (MARKET-MODEL.md), each measured on generated closes rather than read
// off the generator: half-lives estimated inside mean-reverting regimes, the share of regimes that
// behave like a random walk, the autocorrelation of squared returns, the hedge ratio estimated
// window by window, the intraday U-shape of volatility and volume, gaps across closures, jumps of
// one leg alone, and bars the data validation accepts. 1-second bars against 5-minute ones:
// synth-fast-bars.test.ts (market model).
import assert from "node:assert/strict";
import { test } from "node:test";
import { isoToDayNumber } from "../src/calendar/day-number.js";
import {
  buildSessionSchedule,
  intradayVolatility,
  LEG_A,
  LEG_B,
  MARKET_MODEL,
  type MarketCloses,
  type MarketModelParams,
  REGIME_RANDOM_WALK,
  type SessionSchedule,
  simulateMarketCloses,
  synthesizePair,
} from "../src/synth/index.js";

const BAR_MINUTES = 5;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

interface Market {
  schedule: SessionSchedule;
  c: MarketCloses;
  /** Log closes of A and B per slot (tick-rounded prices, as written to the files). */
  la: Float64Array;
  lb: Float64Array;
}

function market(days: number, seed: number, over: Partial<MarketModelParams> = {}): Market {
  const schedule = buildSessionSchedule(isoToDayNumber("2024-01-02", "start"), days, BAR_MINUTES);
  const c = simulateMarketCloses(schedule, seed, { ...MARKET_MODEL, ...over });
  const la = Float64Array.from(c.a.closeTicks, (t) => Math.log(t * LEG_A.tick_size));
  const lb = Float64Array.from(c.b.closeTicks, (t) => Math.log(t * LEG_B.tick_size));
  return { schedule, c, la, lb };
}

const minuteOfDay = (naive: number) => Math.round((naive - Math.floor(naive / DAY_MS) * DAY_MS) / MINUTE_MS);

/** AR(1) coefficient of x[from…to) (least squares with a constant). */
function ar1(x: Float64Array, from: number, to: number): number {
  let mx = 0;
  let my = 0;
  const n = to - from - 1;
  for (let i = from + 1; i < to; i++) {
    mx += x[i - 1] / n;
    my += x[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (let i = from + 1; i < to; i++) {
    sxy += (x[i - 1] - mx) * (x[i] - my);
    sxx += (x[i - 1] - mx) ** 2;
  }
  return sxy / sxx;
}

function acf(x: number[], lag: number): number {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i] - m) ** 2;
    if (i >= lag) num += (x[i] - m) * (x[i - lag] - m);
  }
  return num / den;
}

const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1];

test("regimes: measured share of random walks ≈ rw_share, half-lives inside mean-reverting regimes ≈ their parameter", () => {
  // 30-day regimes and fast reversion so each regime's AR(1) fit is sharp; no drift, jumps or gaps
  const regimeDays = 30;
  const m = market(2400, 4, {
    regime_days_min: regimeDays,
    regime_days_max: regimeDays,
    half_life_min_minutes: 180,
    half_life_max_minutes: 360,
    mr_drift_share: 0,
    jumps_per_day: 0,
    closed_vol_share: 0,
  });
  const { schedule, c, la, lb } = m;
  // the spread from the closes: Δs = Δlog A − beta·Δlog B, summed
  const n = la.length;
  const s = new Float64Array(n);
  for (let i = 1; i < n; i++) s[i] = s[i - 1] + (la[i] - la[i - 1]) - c.beta[i] * (lb[i] - lb[i - 1]);
  const days = schedule.tradingDays;
  const dayIndex = new Map(days.map((d, k) => [d, k]));
  const firstSlot: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = dayIndex.get(schedule.tradingDay[i])!;
    if (k % regimeDays === 0 && (i === 0 || schedule.tradingDay[i - 1] !== schedule.tradingDay[i]))
      firstSlot.push(i);
  }
  firstSlot.push(n);
  let measuredRw = 0;
  let agree = 0;
  const ratios: number[] = [];
  const regimes = firstSlot.length - 1;
  for (let r = 0; r < regimes; r++) {
    const from = firstSlot[r];
    const to = firstSlot[r + 1];
    const b = ar1(s, from, to);
    // Dickey-Fuller's n(1 − b): about 2–15 for a random walk, ≈ 80–130 at these half-lives
    const rw = (to - from) * (1 - b) < 30;
    if (rw) measuredRw++;
    const labelRw = c.regime[from] === REGIME_RANDOM_WALK;
    if (rw === labelRw) agree++;
    if (!labelRw && !rw) ratios.push(((-Math.LN2 / Math.log(b)) * BAR_MINUTES) / c.halfLifeMinutes[from]);
  }
  const share = measuredRw / regimes;
  assert.ok(regimes >= 75, `${regimes} regimes`);
  assert.ok(Math.abs(share - MARKET_MODEL.rw_share) < 0.15, `measured random-walk share ${share}`);
  assert.ok(agree / regimes > 0.95, `classification agrees with the generator on ${agree} of ${regimes}`);
  const mid = median(ratios);
  assert.ok(mid > 0.8 && mid < 1.25, `median estimated/true half-life ${mid}`);
  assert.ok(
    ratios.every((q) => q > 0.5 && q < 2),
    `half-life ratios ${Math.min(...ratios)} … ${Math.max(...ratios)}`,
  );
});

/** B's one-bar log returns inside sessions, divided by the intraday profile; `skip` leaves bars out. */
function profiledReturnsB(m: Market, skip: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 1; i < m.la.length; i++) {
    if (m.schedule.closedBefore[i] > 0 || skip(i)) continue;
    const prof = intradayVolatility(minuteOfDay(m.schedule.naive[i]), BAR_MINUTES);
    out.push((m.lb[i] - m.lb[i - 1]) / prof);
  }
  return out;
}

test("volatility clustering: squared returns autocorrelate with GARCH, not without it", () => {
  const meanAcf = (over: Partial<MarketModelParams>) => {
    const m = market(300, 2, { jumps_per_day: 0, ...over });
    const sq = profiledReturnsB(m, () => false).map((r) => r * r);
    const lags = [1, 2, 5, 10, 20];
    return { acf: mean(lags.map((k) => acf(sq, k))), n: sq.length, kurt: kurtosis(sq) };
  };
  const on = meanAcf({});
  const off = meanAcf({ garch_alpha: 0, garch_beta: 0 });
  const se = 1 / Math.sqrt(on.n);
  assert.ok(on.acf > 10 * se, `ACF of squared returns with GARCH ${on.acf} (se ${se})`);
  assert.ok(Math.abs(off.acf) < 3 * se, `ACF of squared returns without GARCH ${off.acf}`);
  // GARCH(1,1) at α 0.03, β 0.96 has kurtosis 3·(1 − 0.99²)/(1 − 0.99² − 2·0.03²) ≈ 3.3
  assert.ok(on.kurt > 3.15 && off.kurt < 3.1, `kurtosis ${on.kurt} with GARCH, ${off.kurt} without`);
});

/** Kurtosis of returns from their squares. */
function kurtosis(sq: number[]): number {
  const m2 = mean(sq);
  return mean(sq.map((v) => v * v)) / (m2 * m2);
}

test("hedge ratio: estimated window by window it follows beta_t, which drifts and shifts", () => {
  const m = market(500, 3);
  const { schedule, c, la, lb } = m;
  const windowDays = 20;
  const days = schedule.tradingDays;
  const dayIndex = new Map(days.map((d, k) => [d, k]));
  const est: number[] = [];
  const truth: number[] = [];
  let sxy = 0;
  let sxx = 0;
  let sb = 0;
  let nb = 0;
  let window = 0;
  const flush = () => {
    if (nb === 0) return;
    est.push(sxy / sxx);
    truth.push(sb / nb);
    sxy = sxx = sb = nb = 0;
  };
  for (let i = 1; i < la.length; i++) {
    const w = Math.floor(dayIndex.get(schedule.tradingDay[i])! / windowDays);
    if (w !== window) flush();
    window = w;
    if (schedule.closedBefore[i] > 0 || c.jumpA[i] !== 0 || c.jumpB[i] !== 0) continue;
    const ra = la[i] - la[i - 1];
    const rb = lb[i] - lb[i - 1];
    sxy += ra * rb;
    sxx += rb * rb;
    sb += c.beta[i];
    nb++;
  }
  flush();
  const errors = est.map((e, k) => Math.abs(e - truth[k]));
  assert.ok(Math.max(...errors) < 0.06, `largest |estimated − true| beta ${Math.max(...errors)}`);
  const range = Math.max(...est) - Math.min(...est);
  assert.ok(range > 0.1, `estimated beta moved only ${range} over ${est.length} windows`);
  assert.ok(
    Math.min(...est) > MARKET_MODEL.beta_min - 0.06 && Math.max(...est) < MARKET_MODEL.beta_max + 0.06,
  );
});

test("intraday U-shape of volatility and volume, quiet nights, gaps across closures", () => {
  const m = market(120, 5, { jumps_per_day: 0 });
  const { schedule, c, lb } = m;
  const bucket = (minute: number) =>
    minute >= 570 && minute < 600
      ? "open"
      : minute >= 930 && minute < 960
        ? "close"
        : minute >= 720 && minute < 840
          ? "midday"
          : minute >= 0 && minute < 180
            ? "night"
            : null;
  const absRet = new Map<string, number[]>();
  const volume = new Map<string, number[]>();
  const gaps: number[] = [];
  for (let i = 1; i < lb.length; i++) {
    const r = Math.abs(lb[i] - lb[i - 1]);
    if (schedule.closedBefore[i] > 0) {
      gaps.push(r);
      continue;
    }
    const b = bucket(minuteOfDay(schedule.naive[i]));
    if (b === null) continue;
    if (!absRet.has(b)) absRet.set(b, []);
    if (!volume.has(b)) volume.set(b, []);
    absRet.get(b)!.push(r);
    volume.get(b)!.push(c.a.volume[i]);
  }
  const vol = (b: string) => mean(absRet.get(b)!);
  const vlm = (b: string) => mean(volume.get(b)!);
  assert.ok(vol("open") > 1.5 * vol("midday"), `open ${vol("open")} vs midday ${vol("midday")}`);
  assert.ok(vol("close") > 1.2 * vol("midday"), `close ${vol("close")} vs midday ${vol("midday")}`);
  assert.ok(vol("night") < 0.6 * vol("midday"), `night ${vol("night")} vs midday ${vol("midday")}`);
  assert.ok(vlm("open") > 1.5 * vlm("midday") && vlm("close") > 1.2 * vlm("midday"));
  assert.ok(vlm("night") < 0.3 * vlm("midday"), `night volume ${vlm("night")} vs midday ${vlm("midday")}`);
  // a closure of an hour or a weekend moves prices more than a night bar
  assert.ok(mean(gaps) > 5 * vol("night"), `mean gap ${mean(gaps)} vs night bar ${vol("night")}`);
  // the daily volatility keeps its meaning: about daily_vol_b per session
  const all = profiledReturnsB(m, () => false);
  const daily = Math.sqrt((mean(all.map((r) => r * r)) * MARKET_MODEL.session_minutes) / BAR_MINUTES);
  assert.ok(Math.abs(daily / MARKET_MODEL.daily_vol_b - 1) < 0.2, `daily volatility ${daily}`);
});

test("jumps: one leg moves, the other does not follow; about jumps_per_day per leg", () => {
  const days = 1500;
  const m = market(days, 6);
  const { c, la, lb } = m;
  let countA = 0;
  let countB = 0;
  let both = 0;
  let checked = 0;
  for (let i = 1; i < la.length; i++) {
    const jA = c.jumpA[i];
    const jB = c.jumpB[i];
    if (jA !== 0) countA++;
    if (jB !== 0) countB++;
    if (jA !== 0 && jB !== 0) both++;
    if (m.schedule.closedBefore[i] > 0 || (jA === 0 && jB === 0)) continue;
    // scales: the bar's own noise, without the jump (the generator's per-bar standard deviations)
    const sdB = c.b.sigma[i];
    const sdSpread = Math.sqrt(Math.max(c.a.sigma[i] ** 2 - (c.beta[i] * sdB) ** 2, 1e-12));
    if (Math.abs(jA) + Math.abs(jB) < 8 * Math.max(sdB, sdSpread)) continue; // lost in the noise
    const ra = la[i] - la[i - 1];
    const rb = lb[i] - lb[i - 1];
    const resid = ra - c.beta[i] * rb; // the spread's move: A's jump, and B's that A did not follow
    const jump = jA - c.beta[i] * jB;
    assert.ok(Math.abs(resid - jump) < 4 * sdSpread, `bar ${i}: spread moved ${resid}, jump ${jump}`);
    assert.ok(Math.abs(rb - jB) < 4 * sdB, `bar ${i}: B moved ${rb}, its own jump ${jB}`);
    checked++;
  }
  const expected = MARKET_MODEL.jumps_per_day * days;
  for (const k of [countA, countB])
    assert.ok(Math.abs(k / expected - 1) < 0.3, `${k} jumps per leg, ${expected} expected`);
  assert.ok(both <= 1, `${both} bars where both legs jumped`);
  // exponential sizes: many jumps are small, a fifth or more stand 8 σ out of their bar's noise
  assert.ok(
    checked >= 20 && checked > 0.2 * (countA + countB),
    `${checked} of ${countA + countB} jumps checked`,
  );
});

test("bars data validation accepts: on the tick, high ≥ open, close ≥ low, no close-to-close move near 20 %", () => {
  const { a, b } = synthesizePair({ days: 250, seed: 7 });
  for (const [leg, tick] of [
    [a, LEG_A.tick_size],
    [b, LEG_B.tick_size],
  ] as const) {
    let largest = 0;
    for (let i = 0; i < leg.close.length; i++) {
      for (const p of [leg.open[i], leg.high[i], leg.low[i], leg.close[i]])
        assert.ok(Math.abs(p / tick - Math.round(p / tick)) < 1e-9, `${leg.symbol} ${p} off the tick`);
      assert.ok(leg.high[i] >= Math.max(leg.open[i], leg.close[i]));
      assert.ok(leg.low[i] <= Math.min(leg.open[i], leg.close[i]));
      if (i > 0) largest = Math.max(largest, Math.abs(leg.close[i] / leg.close[i - 1] - 1));
    }
    assert.ok(largest < 0.05, `${leg.symbol}: largest close-to-close move ${largest}`);
  }
});
