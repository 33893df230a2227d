// The statistical shape of the simple model (`model: "simple"`, one OU spread, kept for tests
// that need a textbook pair): volatility, return correlation, independent missing bars, and a
// z-score rule that trades a few times a day — checked, not claimed. The default market model's
// features are measured in synth-market-model.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  generatePair,
  PAIR_MODEL,
  resolveSynthOptions,
  type SynthLegBars,
  synthesizePair,
} from "../src/synth/index.js";

/** Inner join on timestamps: log closes of both legs where both have a bar. */
function joinLogs(a: SynthLegBars, b: SynthLegBars): { y: number[]; x: number[] } {
  const inB = new Map<number, number>();
  for (let i = 0; i < b.ts.length; i++) inB.set(b.ts[i], i);
  const y: number[] = [];
  const x: number[] = [];
  a.ts.forEach((t, i) => {
    const j = inB.get(t);
    if (j !== undefined) {
      y.push(Math.log(a.close[i]));
      x.push(Math.log(b.close[j]));
    }
  });
  return { y, x };
}

function correlation(u: number[], v: number[]): number {
  const mu = u.reduce((s, x) => s + x, 0) / u.length;
  const mv = v.reduce((s, x) => s + x, 0) / v.length;
  let suv = 0;
  let suu = 0;
  let svv = 0;
  for (let i = 0; i < u.length; i++) {
    suv += (u[i] - mu) * (v[i] - mv);
    suu += (u[i] - mu) ** 2;
    svv += (v[i] - mv) ** 2;
  }
  return suv / Math.sqrt(suu * svv);
}

const diff = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]);

test("B moves ≈ 1 %/day; one-bar log returns of A and B correlate at 0.8–0.9", () => {
  const { a, b } = synthesizePair({ days: 120, seed: 2, model: "simple" });
  const { y, x } = joinLogs(a, b);
  const ra = diff(y);
  const rb = diff(x);
  const rho = correlation(ra, rb);
  assert.ok(rho > 0.8 && rho < 0.9, `correlation ${rho}`);
  const varB = rb.reduce((s, r) => s + r * r, 0) / rb.length;
  const daily = Math.sqrt(varB * 276);
  assert.ok(daily > 0.008 && daily < 0.013, `daily vol ${daily}`);
});

test("≈ 0.3 % of slow bars missing in each leg, independently of the other leg", () => {
  const { a, b, meta } = synthesizePair({ days: 240, seed: 9, model: "simple" });
  const slots = meta.slots;
  for (const leg of [meta.legs.a, meta.legs.b]) {
    const share = leg.missing_bars / slots;
    assert.ok(share > 0.0015 && share < 0.005, `${leg.symbol} missing share ${share}`);
    assert.equal(leg.bars + leg.missing_bars, slots);
  }
  const inA = new Set(a.ts);
  const inB = new Set(b.ts);
  const onlyA = [...inA].filter((t) => !inB.has(t)).length;
  const onlyB = [...inB].filter((t) => !inA.has(t)).length;
  const union = new Set([...a.ts, ...b.ts]).size;
  const both = slots - union; // slots missing in both legs
  assert.equal(onlyA + both, meta.legs.b.missing_bars);
  assert.equal(onlyB + both, meta.legs.a.missing_bars);
  // independent legs: about p² · slots ≈ 0.6 slots missing in both, nowhere near the ≈ 200 of either
  assert.ok(both <= 5, `missing in both legs: ${both}`);
  assert.ok(onlyA > 100 && onlyB > 100);
});

test("a z-score rule (OLS 500, z 100, entry |z| ≥ 2, exit at z crossing 0) trades 1–10 times a day", () => {
  const W = 500;
  const Z = 100;
  const days = 20;
  for (const seed of [1, 7]) {
    const { a, b } = synthesizePair({ days, seed, model: "simple" });
    const { y, x } = joinLogs(a, b);
    const n = y.length;
    // rolling OLS of y on x over the last W bars, written the slow obvious way
    const spread = new Array<number>(n).fill(Number.NaN);
    for (let i = W - 1; i < n; i++) {
      let mx = 0;
      let my = 0;
      for (let k = i - W + 1; k <= i; k++) {
        mx += x[k] / W;
        my += y[k] / W;
      }
      let sxy = 0;
      let sxx = 0;
      for (let k = i - W + 1; k <= i; k++) {
        sxy += (x[k] - mx) * (y[k] - my);
        sxx += (x[k] - mx) ** 2;
      }
      const beta = sxy / sxx;
      spread[i] = y[i] - beta * x[i] - (my - beta * mx);
    }
    let position = 0;
    let entries = 0;
    for (let i = W + Z - 2; i < n; i++) {
      const win = spread.slice(i - Z + 1, i + 1);
      const mu = win.reduce((s, v) => s + v, 0) / Z;
      const sd = Math.sqrt(win.reduce((s, v) => s + (v - mu) ** 2, 0) / (Z - 1));
      const z = (spread[i] - mu) / sd;
      if ((position === 1 && z >= 0) || (position === -1 && z <= 0)) position = 0;
      if (position === 0 && Math.abs(z) >= 2) {
        position = z < 0 ? 1 : -1;
        entries++;
      }
    }
    const perDay = entries / days;
    assert.ok(perDay >= 1 && perDay <= 10, `seed ${seed}: ${perDay} entries per day`);
  }
});

test("beta drifts between regimes inside [beta_min, beta_max]", () => {
  const opts = resolveSynthOptions({ days: 240, seed: 5, model: "simple" });
  const { closes } = generatePair(opts, { begin() {}, bar() {} });
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const b of closes.beta) {
    lo = Math.min(lo, b);
    hi = Math.max(hi, b);
  }
  assert.ok(lo >= PAIR_MODEL.beta_min && hi <= PAIR_MODEL.beta_max, `beta in [${lo}, ${hi}]`);
  assert.ok(hi - lo > 0.05, `beta moved only ${hi - lo}`);
});
