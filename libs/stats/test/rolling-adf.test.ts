import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { mackinnonPValue, RollingAdf, rollingAdf, rollingOls, spread } from "../src/index.js";
import { assertClose, assertIdentical } from "./close.js";
import { loadAdfFixture } from "./fixtures.js";
import { cointegratedPair, edgyParams, edgySeries, pairParams, prng, sampleIndices } from "./series.js";
import { adfRef } from "./two-pass.js";

/**
 * Statistic and p-value against two-pass residuals. Exact fits (SSR/Syy ≤ 1e-12) are NaN on both
 * sides; only fits within a factor 10 of that cut-off, where rounding decides, are skipped.
 */
function checkWindow(s: Float64Array, w: number, indices: Iterable<number>) {
  const r = rollingAdf(s, w);
  for (const i of indices) {
    const ref = adfRef(s, i, w);
    if (ref.fit > 1e-13 && ref.fit < 1e-11) continue;
    assertClose(r.stat[i], ref.stat, `stat[${i}] (w=${w})`);
    assertClose(r.pvalue[i], mackinnonPValue(ref.stat), `pvalue[${i}] (w=${w})`);
  }
}

test("statsmodels adfuller(maxlag=0, regression='c') on the fixture series: stat and p-value to 1e-8", () => {
  const fx = loadAdfFixture();
  assert.ok(fx.adf.length >= 5);
  for (const c of fx.adf) {
    const s = Float64Array.from(c.series);
    assert.equal(c.nobs, s.length - 1);
    const r = rollingAdf(s, s.length - 1);
    const last = s.length - 1;
    assertClose(r.stat[last], c.adf_stat, `${c.name} stat`, 1e-8, 0);
    assertClose(r.pvalue[last], c.pvalue, `${c.name} pvalue`, 1e-8, 0);
    assert.ok(Number.isNaN(r.stat[last - 1]), `${c.name}: one bar short of the window`);
  }
});

test("300k bars: statistic and p-value of the OLS spread and of raw log prices match two-pass", () => {
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

test("short series with flats, repeats and NaNs: every bar matches two-pass", () => {
  fc.assert(
    fc.property(edgyParams(3), (p) => {
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
    fc.property(edgyParams(3), (p) => {
      const s = edgySeries(p);
      const batch = rollingAdf(s, p.window);
      const live = new RollingAdf(p.window);
      for (let i = 0; i < p.n / 2; i++) live.push(s[i] + 1);
      live.reset();
      const stat = new Float64Array(p.n);
      const pvalue = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) {
        live.push(s[i]);
        stat[i] = live.stat;
        pvalue[i] = live.pvalue;
      }
      assertIdentical(stat, batch.stat, "stat");
      assertIdentical(pvalue, batch.pvalue, "pvalue");
    }),
    { numRuns: 100 },
  );
});

test("NaN until i ≥ window, over a constant s_{t−1}, and for an exact fit (se = 0)", () => {
  const rand = prng(8);
  const s = Float64Array.from({ length: 120 }, () => rand());
  for (let i = 50; i < 80; i++) s[i] = 0.3;
  const r = rollingAdf(s, 10);
  for (let i = 0; i < 10; i++) assert.ok(Number.isNaN(r.stat[i]) && Number.isNaN(r.pvalue[i]));
  for (let i = 10; i < 51; i++) assert.ok(Number.isFinite(r.stat[i]), `stat[${i}]`);
  // pairs t = i−9 … i all have s_{t−1} = 0.3 for i = 60 … 79
  for (let i = 60; i < 80; i++) assert.ok(Number.isNaN(r.stat[i]), `stat[${i}] = ${r.stat[i]}`);
  // window starting on the jump into the flat (s_{t−1} takes two values): Δs fits exactly
  assert.ok(Number.isNaN(r.stat[59]), `exact fit stat = ${r.stat[59]}`);
  assert.ok(Number.isFinite(r.stat[58]));
  assert.throws(() => rollingAdf(s, 2), RangeError);
});
