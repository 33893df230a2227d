import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { KalmanHedge, kalmanHedge } from "../src/index.js";
import { assertClose, assertIdentical } from "./close.js";
import { cointegratedPair, gauss, pairParams, prng } from "./series.js";
import { KalmanMatrixRef } from "./two-pass.js";

const deltas = fc.constantFrom(1e-4, 1e-6, 1e-3, 0.05);
const ves = fc.constantFrom(1e-3, 1e-5, 0.1);

test("matches a general 2×2 matrix implementation of the §3 recursion", () => {
  fc.assert(
    fc.property(pairParams, deltas, ves, (p, delta, ve) => {
      const n = 20_000;
      const { y, x } = cointegratedPair(p, n);
      const r = kalmanHedge(y, x, delta, ve);
      const ref = new KalmanMatrixRef(delta, ve);
      for (let i = 0; i < n; i++) {
        const e = ref.step(y[i], x[i]);
        assertClose(r.beta[i], e.beta, `beta[${i}]`);
        assertClose(r.alpha[i], e.alpha, `alpha[${i}]`);
      }
    }),
    { numRuns: 10 },
  );
});

test("first bar keeps θ = 0 (R = 0), the second moves it; defaults delta 1e-4, ve 1e-3", () => {
  const r = kalmanHedge(Float64Array.of(10, 10.1, 10.2), Float64Array.of(9, 9.05, 9.1));
  assert.equal(r.beta[0], 0);
  assert.equal(r.alpha[0], 0);
  assert.ok(r.beta[1] !== 0 && r.alpha[1] !== 0);
  const kf = new KalmanHedge();
  assert.equal(kf.delta, 1e-4);
  assert.equal(kf.ve, 1e-3);
  // first update by hand: R = Vw·I, Q = Vw(x² + 1) + ve, θ = R·hᵀ·y/Q
  const vw = 1e-4 / (1 - 1e-4);
  const q = vw * (9.05 * 9.05 + 1) + 1e-3;
  assertClose(r.beta[1], (vw * 9.05 * 10.1) / q, "beta[1]", 1e-14);
  assertClose(r.alpha[1], (vw * 10.1) / q, "alpha[1]", 1e-14);
});

test("batch and incremental are bit-identical, also after reset()", () => {
  fc.assert(
    fc.property(pairParams, deltas, ves, (p, delta, ve) => {
      const { y, x } = cointegratedPair(p, 3000);
      const batch = kalmanHedge(y, x, delta, ve);
      const kf = new KalmanHedge(delta, ve);
      for (let i = 0; i < 100; i++) kf.push(x[i], y[i]);
      kf.reset();
      const beta = new Float64Array(y.length);
      const alpha = new Float64Array(y.length);
      for (let i = 0; i < y.length; i++) {
        kf.push(y[i], x[i]);
        beta[i] = kf.beta;
        alpha[i] = kf.alpha;
      }
      assertIdentical(beta, batch.beta, "beta");
      assertIdentical(alpha, batch.alpha, "alpha");
    }),
    { numRuns: 20 },
  );
});

test("tracks a known hedge ratio and intercept", () => {
  const rand = prng(1);
  const n = 5000;
  const x = Float64Array.from({ length: n }, () => 5 + 10 * rand());
  const y = x.map((v) => 1.4 * v + 0.3 + 1e-3 * gauss(rand));
  const r = kalmanHedge(y, x, 1e-6, 1e-6);
  assert.ok(Math.abs(r.beta[n - 1] - 1.4) < 1e-3, `beta = ${r.beta[n - 1]}`);
  assert.ok(Math.abs(r.alpha[n - 1] - 0.3) < 1e-2, `alpha = ${r.alpha[n - 1]}`);
});

test("invalid parameters throw RangeError", () => {
  assert.throws(() => new KalmanHedge(0), RangeError);
  assert.throws(() => new KalmanHedge(1), RangeError);
  assert.throws(() => new KalmanHedge(1e-4, 0), RangeError);
});
