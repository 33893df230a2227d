import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { SlidingComoments, SlidingMoments } from "../src/index.js";
import { assertClose } from "./close.js";
import { cointegratedPair, gauss, pairParams, prng } from "./series.js";
import { centredCross, mean, windowOf } from "./two-pass.js";

test("amortized O(1): at most ~2 rebuilds per `window` pushes on realistic series", () => {
  fc.assert(
    fc.property(pairParams, fc.integer({ min: 50, max: 3000 }), (p, w) => {
      const n = 100_000;
      const { y, x } = cointegratedPair(p, n);
      const m1 = new SlidingMoments(w);
      const m2 = new SlidingComoments(w);
      for (let i = 0; i < n; i++) {
        m1.push(x[i]);
        m2.push(x[i], y[i]);
      }
      // scheduled rebuilds, plus a few for collapses (a jump leaving the window, a drifting mean)
      const bound = 2 * (n / w) + 4 * n * p.jumpProb + 10;
      assert.ok(m1.rebuilds <= bound, `${m1.rebuilds} rebuilds, w = ${w}`);
      assert.ok(m2.rebuilds <= bound, `${m2.rebuilds} rebuilds, w = ${w}`);
    }),
    { numRuns: 5 },
  );
});

test("long flats and ulp-level noise do not rebuild on every push", () => {
  const rand = prng(1);
  const n = 50_000;
  const w = 500;
  const flat = new SlidingMoments(w);
  const ulps = new SlidingMoments(w);
  const next = 10 + 2 ** -49;
  for (let i = 0; i < n; i++) {
    flat.push(i < 1000 ? rand() : 0.1);
    ulps.push(rand() < 0.5 ? 10 : next);
    if (i >= w) assert.ok(ulps.variance() > 0 && !ulps.constant);
  }
  assert.ok(flat.constant && flat.variance() === 0 && flat.mean() === 0.1);
  assert.ok(flat.rebuilds <= n / w + 5, `flat: ${flat.rebuilds}`);
  assert.ok(ulps.rebuilds <= n / w + 5, `ulps: ${ulps.rebuilds}`);
});

test("variance stays exact after a spike 1e9 times the noise leaves the window", () => {
  const rand = prng(2);
  const n = 3000;
  const w = 300;
  const s = Float64Array.from({ length: n }, () => 10 + 1e-4 * gauss(rand));
  s[1000] = 1e5;
  s[1001] = -1e5;
  const m = new SlidingMoments(w);
  for (let i = 0; i < n; i++) {
    m.push(s[i]);
    const v = windowOf(s, i, w);
    if (!v) continue;
    assertClose(m.variance(), centredCross(v, v) / (w - 1), `variance[${i}]`);
    assertClose(m.mean(), mean(v), `mean[${i}]`);
  }
});

test("not ready before `window` values, nor while a non-finite value is inside", () => {
  const m = new SlidingMoments(3);
  const seen: boolean[] = [];
  for (const v of [1, 2, 3, Number.POSITIVE_INFINITY, 4, 5, 6, 7]) {
    m.push(v);
    seen.push(m.ready);
  }
  assert.deepEqual(seen, [false, false, true, false, false, false, true, true]);
  assert.ok(Number.isNaN(new SlidingMoments(2).mean()));
});
