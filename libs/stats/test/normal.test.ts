import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { normalCdf, normalQuantile } from "../src/index.js";
import { assertClose } from "./close.js";

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const density = (x: number) => Math.exp((-x * x) / 2) / SQRT_2PI;

/** Φ(x) = 1/2 + φ(x)·Σ x^(2n+1) / (1·3·…·(2n+1)): all terms positive for x > 0. */
function cdfBySeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 500 && Math.abs(term) > 1e-300; n++) {
    term *= (x * x) / (2 * n + 1);
    sum += term;
  }
  return 0.5 + density(x) * sum;
}

/** Lower tail by Laplace's continued fraction Φ(−t) = φ(t) / (t + 1/(t + 2/(t + 3/(t + …)))). */
function lowerTailByFraction(t: number): number {
  let f = t;
  for (let k = 5000; k >= 1; k--) f = t + k / f;
  return density(t) / f;
}

test("Φ matches a power series on [−1, 3] and a continued fraction on the lower tail beyond −1", () => {
  // (the series loses digits to 1/2 − … below −1, where the fraction takes over)
  for (let x = -1; x <= 3; x += 0.01) assertClose(normalCdf(x), cdfBySeries(x), `Φ(${x})`, 1e-14, 0);
  for (let t = 1; t <= 37.5; t += 0.01) {
    assertClose(normalCdf(-t), lowerTailByFraction(t), `Φ(${-t})`, 1e-13, 0);
  }
});

test("Φ: symmetry, limits, known values", () => {
  fc.assert(
    fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
      assert.ok(Math.abs(normalCdf(x) + normalCdf(-x) - 1) <= 2e-16, `x = ${x}`);
    }),
  );
  assert.equal(normalCdf(0), 0.5);
  assert.equal(normalCdf(Number.NEGATIVE_INFINITY), 0);
  assert.equal(normalCdf(Number.POSITIVE_INFINITY), 1);
  assert.equal(normalCdf(-40), 0);
  assert.ok(Number.isNaN(normalCdf(Number.NaN)));
  assertClose(normalCdf(1.959963984540054), 0.975, "Φ(1.96)", 1e-15, 0);
  assertClose(normalCdf(-10), 7.619853024160527e-24, "Φ(-10)", 1e-13, 0);
});

test("Φ is non-decreasing", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -38, max: 9, noNaN: true }),
      fc.double({ min: -38, max: 9, noNaN: true }),
      (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(normalCdf(lo) <= normalCdf(hi));
      },
    ),
  );
});

test("Φ⁻¹ inverts Φ to full precision, from p = 1e-300 up", () => {
  fc.assert(
    fc.property(fc.double({ min: -300, max: -1e-3, noNaN: true }), (e) => {
      const p = 10 ** e;
      const x = normalQuantile(p);
      // x is a double: one ulp of x moves Φ by |x|·ulp(x) relative, ≈ 1e-13 at x = −33
      assertClose(normalCdf(x), p, `Φ(Φ⁻¹(${p}))`, 1e-14 + x * x * 2 ** -51, 0);
    }),
    { numRuns: 500 },
  );
  // (above x ≈ 3 the double p = Φ(x) no longer resolves the upper tail, so x cannot come back)
  fc.assert(
    fc.property(fc.double({ min: -37, max: 3, noNaN: true }), (x) => {
      assertClose(normalQuantile(normalCdf(x)), x, `Φ⁻¹(Φ(${x}))`, 1e-9, 1e-12);
    }),
    { numRuns: 500 },
  );
});

test("Φ⁻¹: symmetry, limits, known values", () => {
  assert.equal(normalQuantile(0.5), 0);
  assert.equal(normalQuantile(0), Number.NEGATIVE_INFINITY);
  assert.equal(normalQuantile(1), Number.POSITIVE_INFINITY);
  assert.ok(Number.isNaN(normalQuantile(-0.1)) && Number.isNaN(normalQuantile(1.1)));
  assert.ok(Number.isFinite(normalQuantile(5e-324)));
  assertClose(normalQuantile(0.975), 1.959963984540054, "Φ⁻¹(0.975)", 1e-15, 0);
  // 1 − q is exact for q in [0.5, 1]
  for (const q of [0.7, 0.9, 0.98, 1 - 1e-5, 1 - 1e-12])
    assert.equal(normalQuantile(q), -normalQuantile(1 - q));
});
