import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { DEFAULT_HURST_LAGS, RollingHurst, rollingHurst, rollingOls, spread } from "../src/index.js";
import { assertClose, assertIdentical } from "./close.js";
import {
  cointegratedPair,
  edgyParams,
  edgySeries,
  gauss,
  pairParams,
  prng,
  sampleIndices,
} from "./series.js";
import { hurstRef } from "./two-pass.js";

const lagSets = fc.constantFrom<readonly number[]>(DEFAULT_HURST_LAGS, [1, 2, 3], [5, 2, 9, 2], [1, 10]);

test("300k bars: Hurst of the OLS spread and of raw log prices within 1e-9 of two-pass", () => {
  fc.assert(
    fc.property(pairParams, fc.integer({ min: 50, max: 1000 }), (p, w) => {
      const n = 300_000;
      const { y, x } = cointegratedPair(p, n);
      const h = rollingOls(y, x, 1000);
      const s = spread(y, x, h.beta, h.alpha);
      const hs = rollingHurst(s, w);
      const hx = rollingHurst(x, w);
      for (const i of sampleIndices(n, 999 + w - 1 + 64)) {
        assertClose(hs[i], hurstRef(s, i, w, DEFAULT_HURST_LAGS), `spread H[${i}] (w=${w})`);
      }
      for (const i of sampleIndices(n, w - 1 + 64)) {
        assertClose(hx[i], hurstRef(x, i, w, DEFAULT_HURST_LAGS), `log price H[${i}] (w=${w})`);
      }
    }),
    { numRuns: 3, endOnFailure: true },
  );
});

test("short series with flats, repeats and NaNs: every bar matches two-pass", () => {
  fc.assert(
    fc.property(edgyParams(2), lagSets, (p, lags) => {
      const s = edgySeries(p);
      const h = rollingHurst(s, p.window, lags);
      for (let i = 0; i < p.n; i++) assertClose(h[i], hurstRef(s, i, p.window, lags), `H[${i}] lags ${lags}`);
    }),
    { numRuns: 200 },
  );
});

test("batch and incremental are bit-identical, also after reset()", () => {
  fc.assert(
    fc.property(edgyParams(2), lagSets, (p, lags) => {
      const s = edgySeries(p);
      const batch = rollingHurst(s, p.window, lags);
      const live = new RollingHurst(p.window, lags);
      for (let i = 0; i < p.n / 2; i++) live.push(s[i] * 2);
      live.reset();
      const out = new Float64Array(p.n);
      for (let i = 0; i < p.n; i++) {
        live.push(s[i]);
        out[i] = live.hurst;
      }
      assertIdentical(out, batch, "H");
    }),
    { numRuns: 100 },
  );
});

test("NaN while any lag's window is incomplete: first value at i = window − 1 + max lag", () => {
  const rand = prng(6);
  const s = new Float64Array(400);
  for (let i = 1; i < s.length; i++) s[i] = s[i - 1] + gauss(rand);
  const h = rollingHurst(s, 100);
  for (let i = 0; i < 163; i++) assert.ok(Number.isNaN(h[i]), `H[${i}]`);
  for (let i = 163; i < s.length; i++) assert.ok(Number.isFinite(h[i]), `H[${i}]`);
  // a random walk has H near 0.5, white noise near 0
  const noise = Float64Array.from({ length: 3000 }, () => gauss(rand));
  assert.ok(Math.abs(h[399] - 0.5) < 0.2, `random walk H = ${h[399]}`);
  assert.ok(Math.abs(rollingHurst(noise, 2000)[2999]) < 0.05);
});

test("NaN when some sd_τ = 0 (a constant lagged difference over the window)", () => {
  // a linear ramp has d_τ = τ·slope exactly (small integers), so every sd_τ is 0
  const ramp = Float64Array.from({ length: 200 }, (_, t) => t);
  assert.ok(rollingHurst(ramp, 20).every((v) => Number.isNaN(v)));
  assert.throws(() => new RollingHurst(20, [4, 4]), RangeError);
  assert.throws(() => new RollingHurst(20, [0, 4]), RangeError);
});
