import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { RollingLogReturnCorrelation, rollingLogReturnCorrelation } from "../src/index.js";
import { assertClose, assertIdentical } from "./close.js";
import { cointegratedPair, edgyParams, edgySeries, pairParams, prng, sampleIndices } from "./series.js";
import { corrRef } from "./two-pass.js";

test("300k bars of log prices near 10: correlation within 1e-9 of two-pass", () => {
  fc.assert(
    fc.property(pairParams, fc.integer({ min: 50, max: 2000 }), (p, w) => {
      const n = 300_000;
      const { y, x } = cointegratedPair(p, n);
      const r = rollingLogReturnCorrelation(y, x, w);
      for (const i of sampleIndices(n, w)) assertClose(r[i], corrRef(y, x, i, w), `corr[${i}] (w=${w})`);
    }),
    { numRuns: 3, endOnFailure: true },
  );
});

test("short series with flats, repeats and NaNs: every bar matches two-pass", () => {
  fc.assert(
    fc.property(edgyParams(2), (p) => {
      const x = edgySeries(p);
      const y = edgySeries(p, 1);
      const r = rollingLogReturnCorrelation(y, x, p.window);
      for (let i = 0; i < p.n; i++) assertClose(r[i], corrRef(y, x, i, p.window), `corr[${i}]`);
    }),
    { numRuns: 200 },
  );
});

test("batch and incremental are bit-identical, also after reset()", () => {
  fc.assert(
    fc.property(edgyParams(2), (p) => {
      const x = edgySeries(p);
      const y = edgySeries(p, 3);
      const batch = rollingLogReturnCorrelation(y, x, p.window);
      const live = new RollingLogReturnCorrelation(p.window);
      for (let i = 0; i < p.n / 2; i++) live.push(x[i], y[i]);
      live.reset();
      const out = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) {
        live.push(y[i], x[i]);
        out[i] = live.corr;
      }
      assertIdentical(out, batch, "corr");
    }),
    { numRuns: 100 },
  );
});

test("NaN until `window` returns exist (i ≥ window); NaN when either return series is constant", () => {
  const rand = prng(2);
  const n = 60;
  const x = Float64Array.from({ length: n }, () => 10 + rand());
  const y = Float64Array.from({ length: n }, () => 9 + rand());
  // prices of B flat over bars 30..45: returns of bars 31..45 are exactly 0
  for (let i = 31; i <= 45; i++) x[i] = x[30];
  const r = rollingLogReturnCorrelation(y, x, 10);
  for (let i = 0; i < 10; i++) assert.ok(Number.isNaN(r[i]), `corr[${i}]`);
  for (let i = 10; i <= 39; i++) assert.ok(Number.isFinite(r[i]), `corr[${i}]`);
  for (let i = 40; i <= 45; i++) assert.ok(Number.isNaN(r[i]), `corr[${i}] = ${r[i]}`);
  assert.ok(Number.isFinite(r[46]));
  // perfectly linked returns give exactly ±1 at most
  const same = rollingLogReturnCorrelation(x, x, 5);
  for (let i = 5; i < 31; i++) assert.ok(Math.abs(same[i] - 1) < 1e-14 && same[i] <= 1);
});
