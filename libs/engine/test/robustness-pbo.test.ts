// CSCV Probability of Backtest Overfitting: a case worked by hand; 0 when one combination beats
// every other on every fold; about one half for pure noise; every λ equal to a brute-force CSCV
// written from the daily series; the split sampling (deterministic, distinct, complete when small);
// the histogram agreeing with PBO; bad options named.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sharpeOf } from "../src/statistics/daily-statistics.js";
import { binomial, cscvHalves, defaultCscvGroups, foldGroups } from "../src/robustness/cscv-splits.js";
import { cscvPbo, defaultMaxSplits } from "../src/robustness/pbo.js";
import { daysOf, foldsOf, noiseSeries } from "./robustness-fixtures.js";

const SQRT_252 = Math.sqrt(252);
const near = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test("by hand: two combinations, two folds, each best on one fold and worse on the other", () => {
  // combo 0: fold 0 [3, 5] (Sharpe 4/√2), fold 1 [−1, 1] (Sharpe 0)
  // combo 1: fold 0 [1, 2] (Sharpe 1.5/√0.5), fold 1 [2, 4] (Sharpe 3/√2)
  const m = foldsOf([Float64Array.of(3, 5, -1, 1), Float64Array.of(1, 2, 2, 4)], 2);
  const r = cscvPbo(m);
  assert.equal(r.groups, 2);
  assert.equal(r.nSplitsTotal, 2);
  assert.equal(r.nSplits, 2);
  assert.equal(r.sampled, false);
  // IS fold 0 → combo 0, OOS rank 1 of 2; IS fold 1 → combo 1, OOS rank 1 of 2: ω̄ = 1/3, λ = ln ½
  assert.deepEqual([...r.winners], [0, 1]);
  for (const l of r.logits) assert.ok(near(l, Math.log(0.5)));
  assert.equal(r.pbo, 1);
  const x = [(4 / Math.SQRT2) * SQRT_252, (3 / Math.SQRT2) * SQRT_252];
  const y = [0, (3 / Math.SQRT2) * SQRT_252];
  assert.ok(near(r.isBest[0]!, x[0]!) && near(r.isBest[1]!, x[1]!));
  assert.ok(near(r.oosOfBest[0]!, y[0]!, 1e-6) && near(r.oosOfBest[1]!, y[1]!));
  // two points: slope (y1 − y0)/(x1 − x0) = (3/√2)/(−1/√2) = −3
  assert.ok(near(r.degradation.slope, -3, 1e-6), `slope ${r.degradation.slope}`);
  assert.ok(near(r.degradation.intercept, y[0]! + 3 * x[0]!, 1e-6));
  assert.equal(r.degradation.probOosLoss, 0);
});

test("PBO = 0 when one combination dominates every fold", () => {
  const days = noiseSeries(3, 40, 160);
  // combo 17: far above everyone on every day, with enough spread for a Sharpe
  days[17] = Float64Array.from(days[17]!, (v, t) => 10_000 + 0.01 * v + (t % 2));
  const r = cscvPbo(foldsOf(days, 8));
  assert.equal(r.nSplits, binomial(8, 4));
  assert.ok(r.winners.every((w) => w === 17));
  assert.equal(r.pbo, 0);
  // its OOS rank is N of N every time: λ = ln(N/(N+1) / (1/(N+1))) = ln N
  for (const l of r.logits) assert.ok(near(l, Math.log(40)));
});

test("pure noise: PBO near one half (seeded, several draws)", () => {
  const pbos: number[] = [];
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const r = cscvPbo(foldsOf(noiseSeries(seed, 60, 320), 16), { groups: 10 });
    assert.equal(r.nSplits, binomial(10, 5));
    pbos.push(r.pbo);
  }
  const mean = pbos.reduce((a, b) => a + b, 0) / pbos.length;
  assert.ok(mean > 0.35 && mean < 0.75, `mean PBO ${mean} (${pbos.join(", ")})`);
  // and far from the dominated case: noise never looks like skill on every split
  assert.ok(
    pbos.every((p) => p > 0.1),
    pbos.join(", "),
  );
});

/** CSCV from the daily series, written independently: bitmask splits, direct Sharpe, mid-rank. */
function bruteForceLogits(daily: Float64Array[], nFolds: number, S: number): number[] {
  const N = daily.length;
  const group = (f: number) => {
    for (let g = 0; g < S; g++) if (f < Math.floor(((g + 1) * nFolds) / S)) return g;
    return S - 1;
  };
  const out: number[] = [];
  for (let mask = 0; mask < 1 << S; mask++) {
    let bits = 0;
    for (let g = 0; g < S; g++) bits += (mask >> g) & 1;
    if (bits !== S / 2) continue;
    const inIs = Array.from({ length: nFolds }, (_, f) => ((mask >> group(f)) & 1) as number);
    const inOos = inIs.map((b) => 1 - b);
    const is = daily.map((d) => sharpeOf(daysOf(d, nFolds, inIs)));
    const oos = daily.map((d) => sharpeOf(daysOf(d, nFolds, inOos)));
    let best = -1;
    is.forEach((v, i) => {
      if (!Number.isNaN(v) && (best < 0 || v > is[best]!)) best = i;
    });
    if (best < 0) continue;
    const x = oos[best]!;
    const below = oos.filter((v) => (Number.isNaN(v) !== Number.isNaN(x) ? Number.isNaN(v) : v < x)).length;
    const equal = oos.filter((v) => (Number.isNaN(x) ? Number.isNaN(v) : v === x)).length;
    const omega = (below + (equal + 1) / 2) / (N + 1);
    out.push(Math.log(omega / (1 - omega)));
  }
  return out.sort((a, b) => a - b);
}

test("every λ equals a brute-force CSCV over the daily series (uneven folds, flat combos)", () => {
  const daily = noiseSeries(9, 25, 103);
  // two combinations that never trade (null Sharpe everywhere) and one that trades half the time
  daily[3] = new Float64Array(103);
  daily[11] = new Float64Array(103);
  daily[20] = Float64Array.from(daily[20]!, (v, t) => (t < 50 ? 0 : v));
  for (const [F, S] of [
    [12, 6],
    [7, 4],
    [10, 10],
  ] as const) {
    const r = cscvPbo(foldsOf(daily, F), { groups: S });
    const want = bruteForceLogits(daily, F, S);
    const got = [...r.logits].sort((a, b) => a - b);
    assert.equal(got.length, want.length, `F=${F} S=${S}: splits`);
    got.forEach((l, i) => assert.ok(near(l, want[i]!), `F=${F} S=${S}: λ ${l} vs ${want[i]}`));
    assert.equal(r.pbo, want.filter((l) => l <= 0).length / want.length);
  }
});

test("histogram: spans ±ln N, holds every split, and its left half is exactly PBO", () => {
  const r = cscvPbo(foldsOf(noiseSeries(5, 30, 200), 8));
  const { edges, counts } = r.histogram;
  assert.equal(edges.length, 21);
  assert.ok(near(edges[0]!, -Math.log(30)) && near(edges[20]!, Math.log(30)));
  assert.equal(edges[10], 0);
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    r.nSplits,
  );
  const left = counts.slice(0, 10).reduce((a, b) => a + b, 0);
  assert.equal(left / r.nSplits, r.pbo);
  r.logits.forEach((l) => {
    const k = counts.length; // every λ inside the span
    assert.ok(l >= edges[0]! - 1e-12 && l <= edges[k]! + 1e-12, `λ ${l}`);
  });
});

test("splits: all C(S, S/2) when affordable, else a fixed sample of distinct halves", () => {
  const all = cscvHalves(8, 1000);
  assert.equal(all.length, binomial(8, 4) / 2);
  const keys = new Set(all.map((h) => h.join("")));
  assert.equal(keys.size, all.length);
  for (const h of all) assert.ok(h[0] === 1 && h.reduce((a, b) => a + b, 0) === 4);

  const sample = cscvHalves(20, 150);
  assert.equal(sample.length, 150);
  assert.equal(new Set(sample.map((h) => h.join(""))).size, 150);
  for (const h of sample) assert.ok(h[0] === 1 && h.reduce((a, b) => a + b, 0) === 10);
  assert.deepEqual(cscvHalves(20, 150), sample, "the same sample every time");

  const r = cscvPbo(foldsOf(noiseSeries(2, 10, 200), 20), { groups: 20, maxSplits: 300 });
  assert.equal(r.sampled, true);
  assert.equal(r.nSplits, 300);
  assert.equal(r.nSplitsTotal, 184_756);
});

test("defaults and groups: S = largest even ≤ min(F, 16); contiguous near-equal groups", () => {
  assert.deepEqual([1, 2, 5, 16, 17, 40].map(defaultCscvGroups), [0, 2, 4, 16, 16, 16]);
  assert.deepEqual([...foldGroups(7, 4)], [0, 1, 1, 2, 2, 3, 3]);
  assert.equal(defaultMaxSplits(1_000_000, 16), 100, "a floor for huge jobs");
  assert.equal(defaultMaxSplits(20_000, 16), 1562, "a work budget in between");
  assert.equal(defaultMaxSplits(100, 16), binomial(16, 8), "every split of S = 16 for small jobs");
});

test("bad options: odd or too many groups, a cap below 2, named", () => {
  const m = foldsOf(noiseSeries(1, 4, 40), 6);
  for (const groups of [3, 8, 0, 2.5]) {
    assert.throws(() => cscvPbo(m, { groups }), {
      name: "InputError",
      path: "splits",
      message: /from 2 to 6/,
    });
  }
  assert.throws(() => cscvPbo(foldsOf(noiseSeries(1, 4, 40), 1)), {
    path: "splits",
    message: /fewer than 2 folds/,
  });
  assert.throws(() => cscvPbo(m, { maxSplits: 1 }), { path: "maxSplits" });
});

test("fewer than two combinations: PBO is null, not a certain 1", () => {
  const r = cscvPbo(foldsOf(noiseSeries(1, 1, 40), 4));
  assert.ok(Number.isNaN(r.pbo));
  assert.equal(r.nSplits, 6);
});
