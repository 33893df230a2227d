import assert from "node:assert/strict";
import { test } from "node:test";
import { mackinnonPValue } from "../src/index.js";
import { assertClose } from "./close.js";
import { loadAdfFixture } from "./fixtures.js";

test("matches statsmodels mackinnonp(stat, 'c', N=1) over its whole range (fixture table)", () => {
  const fx = loadAdfFixture();
  assert.ok(fx.mackinnonp.length >= 20);
  for (const { stat, pvalue } of fx.mackinnonp) {
    // relative, so p-values of 1e-17 are checked as strictly as 0.5
    assertClose(mackinnonPValue(stat), pvalue, `p(${stat})`, 1e-12, 0);
  }
});

test("cut-offs: 1 above tau_max = 2.74, 0 below tau_min = −18.83, polynomials in between", () => {
  assert.equal(mackinnonPValue(2.7400001), 1);
  assert.ok(mackinnonPValue(2.74) < 1);
  assert.equal(mackinnonPValue(-18.8300001), 0);
  assert.ok(mackinnonPValue(-18.83) > 0);
  assert.ok(Number.isNaN(mackinnonPValue(Number.NaN)));
  // tau_star = −1.61 switches from the small-p to the large-p polynomial: both near 0.47
  assert.ok(Math.abs(mackinnonPValue(-1.61) - mackinnonPValue(-1.6099999)) < 0.01);
  let prev = 0;
  for (let t = -18.8; t <= 2.7; t += 0.01) {
    const p = mackinnonPValue(t);
    assert.ok(p >= prev - 0.01 && p > 0 && p < 1, `p(${t}) = ${p}`);
    prev = p;
  }
});
