// fast-check arbitraries shared by the kernel property tests (grid-kernel-property, event-kernel-
// property): the shape of random data (lengths, day boundaries, which features exist), the data a
// seeded generator fills from it (so a failure replays exactly), and §10-valid combinations.
import fc from "fast-check";
import type { BacktestInputs } from "../src/kernels/backtest-inputs.js";
import { type ConfigValues, type InputArrays, makeInputs } from "./grid-kernel-helpers.js";

/** mulberry32: small, seedable, good enough to make test data. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DataShape {
  seed: number;
  n: number;
  warmup: number;
  /** Bars per trading day are drawn from 1 … maxDayBars. */
  maxDayBars: number;
  /** 0: no eod (flat_time null); 1: eod on each day's last bar; 2: eod on each day's last k bars. */
  eodMode: number;
  /** 0: window always open; 1: one window per day; 2: random bars closed. */
  windowMode: number;
  /** 0: beta > 0; 1: beta < 0; 2: beta crosses zero (and hits 0 exactly sometimes). */
  betaMode: number;
  /** Probability of a NaN z after the warm-up. */
  nanRate: number;
  /** AR(1) coefficient of the z process; its noise is scaled for a stationary sd ≈ 2.5. */
  phi: number;
  /** z rounded to multiples of 0.25, so it lands exactly on grid thresholds (tests ≤ vs <). */
  zOnGrid: boolean;
  gates: boolean;
}

export const dataShape: fc.Arbitrary<DataShape> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  n: fc.integer({ min: 2, max: 700 }),
  warmup: fc.integer({ min: 0, max: 80 }),
  maxDayBars: fc.integer({ min: 1, max: 120 }),
  eodMode: fc.integer({ min: 0, max: 2 }),
  windowMode: fc.integer({ min: 0, max: 2 }),
  betaMode: fc.integer({ min: 0, max: 2 }),
  nanRate: fc.constantFrom(0, 0, 0.02, 0.2),
  phi: fc.double({ min: 0.5, max: 0.97, noNaN: true }),
  zOnGrid: fc.boolean(),
  gates: fc.boolean(),
});

export function makeData(s: DataShape): BacktestInputs {
  const rnd = prng(s.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const n = s.n;
  const a: number[] = [];
  const b: number[] = [];
  const beta: number[] = [];
  const z: number[] = [];
  let la = Math.log(15000);
  let lb = Math.log(35000);
  let zPrev = 0;
  const zNoise = 2.5 * Math.sqrt(1 - s.phi * s.phi);
  for (let i = 0; i < n; i++) {
    const common = gauss() * 0.001;
    la += common + gauss() * 0.0005;
    lb += common * 0.8 + gauss() * 0.0005;
    a.push(Math.round(Math.exp(la) * 4) / 4);
    b.push(Math.round(Math.exp(lb)));
    const base = 0.9 + 0.3 * Math.sin(i / 50);
    const bt = s.betaMode === 0 ? base : s.betaMode === 1 ? -base : rnd() < 0.05 ? 0 : Math.sin(i / 20);
    zPrev = s.phi * zPrev + zNoise * gauss();
    const warm = i < s.warmup;
    beta.push(warm && rnd() < 0.5 ? Number.NaN : bt);
    const zi = s.zOnGrid ? Math.round(zPrev * 4) / 4 : zPrev;
    z.push(warm || rnd() < s.nanRate ? Number.NaN : zi);
  }

  // trading days of random length, with gaps between day numbers; eod and entry window per day
  const day: number[] = [];
  const eod: number[] = new Array<number>(n).fill(0);
  const windowOk: number[] = new Array<number>(n).fill(1);
  let dayNumber = 0;
  for (let i = 0; i < n;) {
    const len = 1 + Math.floor(rnd() * s.maxDayBars);
    const end = Math.min(n, i + len);
    const eodBars = s.eodMode === 0 ? 0 : s.eodMode === 1 ? 1 : 1 + Math.floor(rnd() * 4);
    const w0 = i + Math.floor(rnd() * len * 0.3);
    const w1 = i + Math.floor(len * (0.5 + rnd() * 0.5));
    for (let k = i; k < end; k++) {
      day.push(dayNumber);
      if (k >= end - eodBars) eod[k] = 1;
      if (s.windowMode === 1) windowOk[k] = k >= w0 && k < w1 ? 1 : 0;
      if (s.windowMode === 2) windowOk[k] = rnd() < 0.8 ? 1 : 0;
    }
    dayNumber += 1 + Math.floor(rnd() * 3);
    i = end;
  }
  // the last bar is eod only through flat_time (§10): often it is not, so END_OF_DATA happens
  if (rnd() < 0.5) eod[n - 1] = 0;

  const arrays: InputArrays = { z, a, b, beta, eod, windowOk, day };
  if (s.gates) {
    const metric = (draw: () => number) =>
      Array.from({ length: n }, (_, i) => (i < s.warmup || rnd() < 0.05 ? Number.NaN : draw()));
    arrays.corr = metric(() => rnd() * 2 - 1);
    arrays.hurst = metric(() => rnd());
    arrays.halfLife = metric(() => (rnd() < 0.15 ? Number.POSITIVE_INFINITY : rnd() * 100));
    arrays.adfStat = metric(() => -5 * rnd());
    arrays.adfPvalue = metric(() => rnd());
  }
  return makeInputs(arrays);
}

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

/** Combinations valid by §10: ze > 0, |zx| < ze, zs > ze or off, dollar levels > 0 or off. */
export const combination = (gates: boolean): fc.Arbitrary<ConfigValues> =>
  fc
    .record({
      z_entry: fc.double({ min: 1.2, max: 3.5, noNaN: true }),
      exitFrac: fc.double({ min: -0.95, max: 0.95, noNaN: true }),
      stopGap: nullable(fc.double({ min: 0.05, max: 2, noNaN: true })),
      max_hold: fc.constantFrom(0, 0, 1, 3, 10, 40),
      dollar_tp: nullable(fc.double({ min: 50, max: 3000, noNaN: true })),
      dollar_sl: nullable(fc.double({ min: 50, max: 3000, noNaN: true })),
      min_corr: gates ? nullable(fc.double({ min: -0.5, max: 0.8, noNaN: true })) : fc.constant(undefined),
      max_hurst: gates ? nullable(fc.double({ min: 0.2, max: 0.9, noNaN: true })) : fc.constant(undefined),
      hl_min: gates ? nullable(fc.double({ min: 0, max: 40, noNaN: true })) : fc.constant(undefined),
      hl_max: gates ? nullable(fc.double({ min: 20, max: 90, noNaN: true })) : fc.constant(undefined),
      adf_max_stat: gates ? nullable(fc.double({ min: -4, max: -1, noNaN: true })) : fc.constant(undefined),
      adf_max_pvalue: gates
        ? nullable(fc.double({ min: 0.05, max: 0.8, noNaN: true }))
        : fc.constant(undefined),
      min_gates: gates ? fc.constantFrom(-1, -1, 0, 1, 2, 3) : fc.constant(-1),
      legs: fc.constantFrom([20, 5, 0.25, 1], [50, 5, 0.25, 1], [100, 5000, 0.1, 0.005]),
      commission: fc.constantFrom(0, 2.25),
      slippage_ticks: fc.constantFrom(0, 0.5, 1),
      base_qty: fc.integer({ min: 1, max: 3 }),
      max_mult: fc.constantFrom(1, 1, 2, 5, 10),
      onGrid: fc.boolean(),
    })
    .map(({ exitFrac, stopGap, legs, onGrid, ...c }) => {
      // on the grid, thresholds are multiples of 0.25 and dollar levels of $25: ties with z and
      // with PnL (multiples of $5 for NQ/YM and ES/YM) then happen, and `≥` vs `>` matters
      const q = (v: number, step: number) => (onGrid ? Math.round(v / step) * step : v);
      const z_entry = Math.max(0.25, q(c.z_entry, 0.25));
      let z_exit = q(exitFrac * z_entry, 0.25);
      if (Math.abs(z_exit) >= z_entry) z_exit -= Math.sign(z_exit) * 0.25;
      const level = (v: number | undefined) => (v === undefined ? undefined : Math.max(25, q(v, 25)));
      return {
        ...c,
        z_entry,
        z_exit,
        z_stop: stopGap === undefined ? undefined : z_entry + Math.max(0.25, q(stopGap, 0.25)),
        dollar_tp: level(c.dollar_tp),
        dollar_sl: level(c.dollar_sl),
        mult_a: legs[0],
        mult_b: legs[1],
        tick_a: legs[2],
        tick_b: legs[3],
      };
    });

export const scenario = dataShape.chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    combos: fc.array(combination(shape.gates), { minLength: 1, maxLength: 4 }),
    nFolds: fc.integer({ min: 1, max: 20 }),
  }),
);
