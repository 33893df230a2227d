import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  RollingOls,
  RollingZScore,
  rebuildPeriod,
  rollingOls,
  rollingZScore,
  spread,
  spreadAt,
} from "../src/index.js";
import { assertClose, assertIdentical, isClose } from "./close.js";
import { cointegratedPair, edgyParams, edgySeries, pairParams, prng, sampleIndices } from "./series.js";
import { olsRef, zRef } from "./two-pass.js";

/**
 * z = (s − mu)/sigma with mu a double near s: the reference's own mu is rounded to half an ulp,
 * so near z = 0 neither side resolves z finer than ulp(mu)/sigma (1e-11 for mu = 10, sigma = 1e-4).
 */
function zResolution(mu: number, sigma: number): number {
  return Math.max(1e-12, (2 ** -52 * Math.abs(mu)) / sigma);
}

function checkAgainstTwoPass(s: Float64Array, w: number, indices: Iterable<number>) {
  const r = rollingZScore(s, w);
  for (const i of indices) {
    const ref = zRef(s, i, w);
    assertClose(r.mu[i], ref.mu, `mu[${i}] (w=${w})`);
    assertClose(r.sigma[i], ref.sigma, `sigma[${i}] (w=${w})`);
    assertClose(r.z[i], ref.z, `z[${i}] (w=${w})`, 1e-9, zResolution(ref.mu, ref.sigma));
  }
}

test("300k bars: mu, sigma, z of the OLS spread within 1e-9 of two-pass", () => {
  fc.assert(
    fc.property(
      pairParams,
      fc.integer({ min: 500, max: 4000 }),
      fc.integer({ min: 20, max: 400 }),
      (p, wo, wz) => {
        const n = 300_000;
        const { y, x } = cointegratedPair(p, n);
        const h = rollingOls(y, x, wo);
        const s = spread(y, x, h.beta, h.alpha);
        checkAgainstTwoPass(s, wz, sampleIndices(n, wo + wz - 2));
      },
    ),
    { numRuns: 4, endOnFailure: true },
  );
});

test("300k bars of raw log prices near 10 (window variance ~1e-5): within 1e-9 of two-pass", () => {
  fc.assert(
    fc.property(pairParams, fc.integer({ min: 20, max: 2000 }), (p, wz) => {
      const n = 300_000;
      const { x } = cointegratedPair(p, n);
      checkAgainstTwoPass(x, wz, sampleIndices(n, wz - 1));
    }),
    { numRuns: 3, endOnFailure: true },
  );
});

test("OLS → spread → z chain: |Δz| ≤ 1e-9 against a chain of two-pass computations (§9)", () => {
  fc.assert(
    fc.property(
      pairParams,
      fc.integer({ min: 500, max: 2000 }),
      fc.integer({ min: 20, max: 100 }),
      (p, wo, wz) => {
        const n = 60_000;
        const { y, x } = cointegratedPair(p, n);
        const h = rollingOls(y, x, wo);
        const z = rollingZScore(spread(y, x, h.beta, h.alpha), wz);
        for (let i = wo + wz - 2; i < n; i += 1009) {
          const s: number[] = [];
          for (let t = i - wz + 1; t <= i; t++) {
            const o = olsRef(y, x, t, wo);
            s.push(y[t] - o.beta * x[t] - o.alpha);
          }
          // each spread is a difference of numbers near 10, good to a couple of ulps of y: hence
          // §9's absolute 1e-9, or that resolution divided by sigma when sigma < 4e-5
          const ref = zRef(s, wz - 1, wz);
          const floor = (4 * 2 ** -52 * Math.abs(y[i])) / ref.sigma;
          assertClose(z.z[i], ref.z, `chained z[${i}]`, 1e-9, 1e-9 + floor);
        }
      },
    ),
    { numRuns: 3, endOnFailure: true },
  );
});

test("short series with flats, repeats and NaNs: every bar matches two-pass", () => {
  fc.assert(
    fc.property(edgyParams(2), (p) => {
      const s = edgySeries(p);
      checkAgainstTwoPass(
        s,
        p.window,
        s.map((_, i) => i),
      );
    }),
    { numRuns: 300 },
  );
});

test("batch and incremental are bit-identical, also after reset()", () => {
  fc.assert(
    fc.property(edgyParams(2), (p) => {
      const s = edgySeries(p);
      const batch = rollingZScore(s, p.window);
      const live = new RollingZScore(p.window);
      for (let i = 0; i < p.n / 2; i++) live.push(s[i] * 3);
      live.reset();
      const mu = new Float64Array(p.n);
      const sigma = new Float64Array(p.n);
      const z = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) {
        live.push(s[i]);
        mu[i] = live.mu;
        sigma[i] = live.sigma;
        z[i] = live.z;
      }
      assertIdentical(mu, batch.mu, "mu");
      assertIdentical(sigma, batch.sigma, "sigma");
      assertIdentical(z, batch.z, "z");
    }),
    { numRuns: 100 },
  );
});

test("live replay of OLS + spread + z from a mid-series start: |Δz| ≤ 1e-9, then bit-identical", () => {
  fc.assert(
    fc.property(
      pairParams,
      fc.integer({ min: 50, max: 400 }),
      fc.integer({ min: 10, max: 60 }),
      fc.integer({ min: 0, max: 3000 }),
      (p, wo, wz, start) => {
        const n = 8000;
        const { y, x } = cointegratedPair(p, n);
        const h = rollingOls(y, x, wo);
        const batch = rollingZScore(spread(y, x, h.beta, h.alpha), wz);
        const ols = new RollingOls(wo, start);
        const zs = new RollingZScore(wz, start);
        // spreads agree bit for bit from the OLS's first common rebuild; z from its own after that
        const po = rebuildPeriod(wo);
        const pz = rebuildPeriod(wz);
        const olsCommon = Math.ceil((start + wo) / po) * po - 1;
        const zCommon = Math.ceil((olsCommon + wz) / pz) * pz - 1;
        assert.ok(zCommon < n - 1000);
        for (let i = start; i < n; i++) {
          ols.push(y[i], x[i]);
          zs.push(spreadAt(y[i], x[i], ols.beta, ols.alpha));
          // §9's |Δz| ≤ 1e-9, plus the spread's own resolution: s = y − β·x − α near 0 carries
          // a couple of ulps of y ≈ 10 that z divides by sigma (beyond 1e-9 only for sigma < 4e-5)
          const floor = (4 * 2 ** -52 * Math.abs(y[i])) / batch.sigma[i];
          if (i >= start + wo + wz - 2) assertClose(zs.z, batch.z[i], `replay z[${i}]`, 0, 1e-9 + floor);
          if (i >= zCommon) assert.ok(Object.is(zs.z, batch.z[i]), `z[${i}] ${zs.z} vs ${batch.z[i]}`);
        }
      },
    ),
    { numRuns: 20 },
  );
});

test("a constant window has sigma exactly 0 and z NaN, whatever rounding the sums carry", () => {
  const rand = prng(5);
  const n = 3000;
  const s = new Float64Array(n);
  // a noisy stretch that leaves rounding in the sliding sums, then values 0.1 (whose naive mean is
  // not 0.1), then 10 + tiny noise, then a constant near 10
  for (let i = 0; i < n; i++) {
    if (i < 1000) s[i] = 10 + rand();
    else if (i < 1500) s[i] = 0.1;
    else if (i < 2000) s[i] = 10 + rand() * 1e-9;
    else s[i] = 10.000000001;
  }
  const w = 200;
  const r = rollingZScore(s, w);
  for (let i = 0; i < n; i++) {
    const inFlat = (i >= 1000 + w - 1 && i < 1500) || i >= 2000 + w - 1;
    if (inFlat) {
      assert.equal(r.sigma[i], 0, `sigma[${i}]`);
      assert.ok(Number.isNaN(r.z[i]), `z[${i}]`);
      assert.equal(r.mu[i], s[i], `mu[${i}]`);
    } else if (i >= w - 1) {
      assert.ok(r.sigma[i] > 0, `sigma[${i}] = ${r.sigma[i]}`);
      assert.ok(Number.isFinite(r.z[i]), `z[${i}]`);
    }
  }
});

test("windows differing by one ulp are not constant: sigma > 0", () => {
  const a = 10;
  const b = 10 + 2 ** -49; // the next double after 10
  for (const w of [2, 3, 50]) {
    const s = new Float64Array(4 * w).fill(a);
    s[2 * w] = b;
    const r = rollingZScore(s, w);
    for (let i = 2 * w; i < 3 * w; i++) assert.ok(r.sigma[i] > 0, `w=${w} sigma[${i}] = ${r.sigma[i]}`);
    for (let i = 3 * w; i < 4 * w; i++) assert.equal(r.sigma[i], 0);
    assert.ok(isClose(r.sigma[2 * w], zRef(s, 2 * w, w).sigma));
  }
});

test("NaN spread during the OLS warm-up delays the z window; a NaN input blanks W bars", () => {
  const rand = prng(9);
  const n = 200;
  const s = Float64Array.from({ length: n }, (_, i) => (i < 30 ? Number.NaN : rand()));
  s[100] = Number.NaN;
  const r = rollingZScore(s, 10);
  for (let i = 0; i < n; i++) {
    const defined = (i >= 39 && i < 100) || i >= 110;
    assert.equal(Number.isFinite(r.z[i]), defined, `z[${i}]`);
    assert.equal(Number.isFinite(r.mu[i]), defined, `mu[${i}]`);
  }
});

test("spread is y − beta·x − alpha, NaN where the hedge is", () => {
  const s = spread(
    Float64Array.of(10, 11, 12),
    Float64Array.of(5, 6, 7),
    Float64Array.of(Number.NaN, 2, 1.5),
    Float64Array.of(0, -1, 0.5),
  );
  assert.ok(Number.isNaN(s[0]));
  assert.equal(s[1], 11 - 12 + 1);
  assert.equal(s[2], 12 - 10.5 - 0.5);
  assert.throws(() =>
    spread(new Float64Array(2), new Float64Array(2), new Float64Array(1), new Float64Array(2)),
  );
});
