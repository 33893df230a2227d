import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { RollingOls, rebuildPeriod, rollingOls } from "../src/index.js";
import { assertClose, assertIdentical } from "./close.js";
import { cointegratedPair, edgyParams, edgySeries, pairParams, prng, sampleIndices } from "./series.js";
import { olsRef } from "./two-pass.js";

test("300k bars of log prices near 10: beta and alpha within 1e-9 of two-pass", () => {
  fc.assert(
    fc.property(pairParams, fc.integer({ min: 500, max: 4000 }), (p, w) => {
      const n = 300_000;
      const { y, x } = cointegratedPair(p, n);
      const r = rollingOls(y, x, w);
      for (const i of sampleIndices(n, w - 1)) {
        const ref = olsRef(y, x, i, w);
        assertClose(r.beta[i], ref.beta, `beta[${i}] (w=${w})`);
        assertClose(r.alpha[i], ref.alpha, `alpha[${i}] (w=${w})`);
      }
    }),
    { numRuns: 4, endOnFailure: true },
  );
});

test("short series with flats, repeats and NaNs: every bar matches two-pass", () => {
  fc.assert(
    fc.property(edgyParams(2), fc.constantFrom(0, 1.3), (p, slope) => {
      const x = edgySeries(p);
      const noise = edgySeries(p, 1);
      const y = x.map((v, i) => slope * v + noise[i]);
      const r = rollingOls(y, x, p.window);
      for (let i = 0; i < p.n; i++) {
        const ref = olsRef(y, x, i, p.window);
        assertClose(r.beta[i], ref.beta, `beta[${i}]`);
        assertClose(r.alpha[i], ref.alpha, `alpha[${i}]`);
      }
    }),
    { numRuns: 200 },
  );
});

test("batch and incremental are bit-identical, also after reset()", () => {
  fc.assert(
    fc.property(edgyParams(2), (p) => {
      const x = edgySeries(p);
      const y = edgySeries(p, 7);
      const batch = rollingOls(y, x, p.window);
      const live = new RollingOls(p.window);
      for (let i = 0; i < p.n / 3; i++) live.push(y[i] + 1, x[i] * 2);
      live.reset();
      const beta = new Float64Array(p.n);
      const alpha = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) {
        live.push(y[i], x[i]);
        beta[i] = live.beta;
        alpha[i] = live.alpha;
      }
      assertIdentical(beta, batch.beta, "beta");
      assertIdentical(alpha, batch.alpha, "alpha");
    }),
    { numRuns: 100 },
  );
});

test("a replay started mid-series (firstIndex) is bit-identical from the first common rebuild", () => {
  fc.assert(
    fc.property(
      pairParams,
      fc.integer({ min: 20, max: 300 }),
      fc.integer({ min: 0, max: 5000 }),
      (p, w, start) => {
        const n = 8000;
        const { y, x } = cointegratedPair(p, n);
        const batch = rollingOls(y, x, w);
        const live = new RollingOls(w, start);
        // first scheduled rebuild once the replay's window is full: (i + 1) % period === 0
        const period = rebuildPeriod(w);
        const common = Math.ceil((start + w) / period) * period - 1;
        assert.ok(common < n - 1000);
        for (let i = start; i < n; i++) {
          live.push(y[i], x[i]);
          if (i >= start + w - 1) assertClose(live.beta, batch.beta[i], `replay beta[${i}]`);
          if (i >= common) {
            assert.ok(Object.is(live.beta, batch.beta[i]), `beta[${i}] ${live.beta} vs ${batch.beta[i]}`);
            assert.ok(Object.is(live.alpha, batch.alpha[i]), `alpha[${i}]`);
          }
        }
      },
    ),
    { numRuns: 20 },
  );
});

test("NaN before the window is full (i < W−1), defined from i = W−1", () => {
  const rand = prng(3);
  const x = Float64Array.from({ length: 50 }, () => 10 + rand());
  const y = x.map((v) => 2 * v + 1 + rand() * 1e-3);
  const r = rollingOls(y, x, 20);
  for (let i = 0; i < 19; i++) assert.ok(Number.isNaN(r.beta[i]) && Number.isNaN(r.alpha[i]));
  assert.ok(Number.isFinite(r.beta[19]) && Number.isFinite(r.alpha[19]));
});

test("constant regressor window gives NaN beta and alpha; exact fit is recovered", () => {
  const x = Float64Array.from([1, 2, 3, 4, 5, 5, 5, 5, 5, 6, 7]);
  const y = x.map((v) => 0.5 * v - 2);
  const r = rollingOls(y, x, 4);
  // windows ending at 7 and 8 hold x = 5,5,5,5
  assert.ok(Number.isNaN(r.beta[7]) && Number.isNaN(r.alpha[7]));
  assert.ok(Number.isNaN(r.beta[8]) && Number.isNaN(r.alpha[8]));
  for (const i of [3, 4, 5, 6, 9, 10]) {
    assertClose(r.beta[i], 0.5, `beta[${i}]`, 1e-12);
    assertClose(r.alpha[i], -2, `alpha[${i}]`, 1e-12);
  }
});

test("a constant regressor after a long varied stretch is still detected exactly", () => {
  const rand = prng(11);
  const n = 5000;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = i < 4000 ? 10 + rand() * 0.01 : 0.1;
  const y = x.map((v) => v + rand());
  const r = rollingOls(y, x, 300);
  for (let i = 4299; i < n; i++) assert.ok(Number.isNaN(r.beta[i]), `beta[${i}] = ${r.beta[i]}`);
  assert.ok(Number.isFinite(r.beta[4298]));
});

test("invalid arguments throw RangeError", () => {
  assert.throws(() => new RollingOls(1), RangeError);
  assert.throws(() => new RollingOls(2.5), RangeError);
  assert.throws(() => rollingOls(new Float64Array(3), new Float64Array(4), 2), RangeError);
});
