import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { RollingHalfLife, rollingHalfLife, rollingOls, spread } from "../src/index.js";
import { assertClose, assertIdentical, isClose } from "./close.js";
import { cointegratedPair, edgyParams, edgySeries, pairParams, prng, sampleIndices } from "./series.js";
import { halfLifeRef } from "./two-pass.js";

/**
 * b = cov(s_t, s_{t−1}) / var(s_{t−1}) and HL against two-pass. Where b is 0 or 1 in exact
 * arithmetic (flats and repeated values produce such windows) rounding picks the side, HL tiny
 * vs +∞ or 1e16 vs +∞: there b is compared, and HL only for being beyond any threshold.
 *
 * HL's relative error is γ's (HL = −ln 2 / log1p(γ), γ = b − 1). Where γ's co-moment is a sum of
 * terms that cancel to far less than their size (cond = gammaScale / |γ|), no double computation
 * holds γ to 1e-9 relative: fast-check found cond 1.4e7 on 4 pairs, where two ulps of b move HL
 * by 1.1e-8. There the incremental γ (read back from HL) must be within 1e-12 of the terms' size
 * (about 10⁴ ε; a wrong window or update is off by the terms' own size).
 */
function assertHalfLife(hl: number, ref: ReturnType<typeof halfLifeRef>, what: string): void {
  if (isClose(hl, ref.hl)) return;
  const cond = ref.gammaScale / Math.abs(ref.gamma);
  // +∞ where γ rounded to ≥ 0: the boundary, γ = 0
  const gamma = Number.isFinite(hl) ? Math.expm1(-Math.LN2 / hl) : hl === Infinity ? 0 : Number.NaN;
  assert.ok(
    cond > 1e3 && Math.abs(gamma - ref.gamma) <= 1e-12 * ref.gammaScale,
    `${what}: got ${hl}, expected ${ref.hl} (γ ${gamma} vs ${ref.gamma}, cond ${cond.toPrecision(3)})`,
  );
}

function checkWindow(s: Float64Array, w: number, indices: Iterable<number>) {
  const hl = rollingHalfLife(s, w);
  const live = new RollingHalfLife(w);
  let next = 0;
  for (const i of indices) {
    while (next <= i) live.push(s[next++]);
    const ref = halfLifeRef(s, i, w);
    assertClose(live.b, ref.b, `b[${i}] (w=${w})`);
    if (Math.abs(1 - ref.b) < 1e-12) {
      assert.ok(hl[i] > 1e11 && ref.hl > 1e11, `half-life[${i}] ${hl[i]} vs ${ref.hl} at b = 1`);
    } else if (!(Math.abs(ref.b) < 1e-9)) {
      assertHalfLife(hl[i]!, ref, `half-life[${i}] (w=${w})`);
    }
  }
}

test("300k bars: half-life of the OLS spread and of raw log prices within 1e-9 of two-pass", () => {
  fc.assert(
    fc.property(pairParams, fc.integer({ min: 50, max: 2000 }), (p, w) => {
      const n = 300_000;
      const { y, x } = cointegratedPair(p, n);
      const h = rollingOls(y, x, 1000);
      checkWindow(spread(y, x, h.beta, h.alpha), w, sampleIndices(n, 999 + w));
      checkWindow(x, w, sampleIndices(n, w));
    }),
    { numRuns: 3, endOnFailure: true },
  );
});

test("half-lives of millions of bars on trending log prices (found by the property above)", () => {
  // Δs is nearly uncorrelated with s_{t−1} here (γ ≈ −1e-8): the co-moment is ~1e-6 of its
  // terms, which plain running sums or ln(1 + γ) resolve only to ~1e-9 relative
  const cases = [
    { seed: 9, drift: -2e-5, w: 887, at: [37_054] },
    { seed: 1_648_594_848, drift: 2e-5, w: 1454, at: [21_049, 47_724, 159_856] },
  ];
  for (const c of cases) {
    const p = { seed: c.seed, drift: c.drift, vol: 1e-4, beta: 0.3, phi: 0.99, spreadVol: 1e-5, jumpProb: 0 };
    const n = Math.max(...c.at) + 1;
    const { x } = cointegratedPair(p, n);
    const hl = rollingHalfLife(x, c.w);
    for (const i of c.at) {
      const ref = halfLifeRef(x, i, c.w);
      assert.ok(ref.hl > 1e5 && ref.hl < 1e9, `HL ${ref.hl}`);
      assertClose(hl[i], ref.hl, `seed ${c.seed} half-life[${i}]`);
    }
  }
});

test("a window whose γ cancels to 1.4e-7 of its terms (found by the property below): HL judged through γ", () => {
  const p = {
    seed: 653113891,
    n: 190,
    window: 4,
    level: 0,
    scale: 0.001,
    pHold: 0,
    pPick: 0.12343132123351098,
  };
  const s = edgySeries({ ...p, pNaN: 0, pStretch: 0 });
  const ref = halfLifeRef(s, 189, 4);
  assert.ok(ref.gammaScale / Math.abs(ref.gamma) > 1e7, `cond ${ref.gammaScale / Math.abs(ref.gamma)}`);
  // HL 2.86e7 bars: one ulp of b is ~4e-9 of HL, so 1e-9 relative is beyond any double computation
  checkWindow(s, 4, [189]);
});

test("short series with flats, repeats and NaNs: every bar matches two-pass", () => {
  fc.assert(
    fc.property(edgyParams(2), (p) => {
      const s = edgySeries(p);
      checkWindow(
        s,
        p.window,
        s.map((_, i) => i),
      );
    }),
    { numRuns: 200 },
  );
});

test("batch and incremental are bit-identical, also after reset()", () => {
  fc.assert(
    fc.property(edgyParams(2), (p) => {
      const s = edgySeries(p);
      const batch = rollingHalfLife(s, p.window);
      const live = new RollingHalfLife(p.window);
      for (let i = 0; i < p.n / 2; i++) live.push(-s[i]);
      live.reset();
      const out = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) {
        live.push(s[i]);
        out[i] = live.halfLife;
      }
      assertIdentical(out, batch, "half-life");
    }),
    { numRuns: 100 },
  );
});

test("NaN until i ≥ window and over a constant s_{t−1}; +∞ when b ≥ 1 or b ≤ 0", () => {
  const rand = prng(4);
  const ou = new Float64Array(200);
  for (let i = 1; i < 200; i++) ou[i] = 0.8 * ou[i - 1] + rand() - 0.5;
  for (let i = 100; i < 130; i++) ou[i] = ou[99];
  const hl = rollingHalfLife(ou, 20);
  for (let i = 0; i < 20; i++) assert.ok(Number.isNaN(hl[i]), `hl[${i}]`);
  for (let i = 20; i < 100; i++) assert.ok(hl[i] > 0 && hl[i] < 50, `hl[${i}] = ${hl[i]}`);
  // pairs t = i−19 … i have s_{t−1} (bars i−20 … i−1) all equal to ou[99] for i = 119 … 130
  assert.ok(!Number.isNaN(hl[118]));
  for (let i = 119; i <= 130; i++) assert.ok(Number.isNaN(hl[i]), `hl[${i}] = ${hl[i]}`);
  assert.ok(!Number.isNaN(hl[131]));

  const explosive = Float64Array.from({ length: 50 }, (_, t) => 1.05 ** t);
  const alternating = Float64Array.from({ length: 50 }, (_, t) => (t % 2 ? 1 : -1) * (1 + rand() * 0.1));
  for (let i = 10; i < 50; i++) {
    assert.equal(rollingHalfLife(explosive, 10)[i], Number.POSITIVE_INFINITY);
    assert.equal(rollingHalfLife(alternating, 10)[i], Number.POSITIVE_INFINITY);
  }
});
