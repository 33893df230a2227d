// fast-check arbitraries shared by the hybrid property tests: the shape of random hybrid data
// (hybrid-fixtures.ts randomHybrid) and combinations valid by §10, with dollar levels scaled to
// that data's PnL (a few dollars per move), quantized on request so PnL ties a level exactly.
import fc from "fast-check";
import type { CfgSpec } from "./backtest-fixtures.js";
import type { RandomShape } from "./hybrid-fixtures.js";

export const randomShape: fc.Arbitrary<RandomShape> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  n: fc.integer({ min: 2, max: 160 }),
  maxFast: fc.integer({ min: 0, max: 8 }),
  eodMode: fc.integer({ min: 0, max: 2 }),
  windowMode: fc.integer({ min: 0, max: 1 }),
  betaMode: fc.integer({ min: 0, max: 2 }),
  nanRate: fc.constantFrom(0, 0, 0.05),
  consistent: fc.boolean(),
  gates: fc.boolean(),
  onGrid: fc.boolean(),
});

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

export function hybridCombination(gates: boolean, dollar: "on" | "off" | "any"): fc.Arbitrary<CfgSpec> {
  const level =
    dollar === "off" ? fc.constant(undefined) : nullable(fc.double({ min: 0.5, max: 25, noNaN: true }));
  return fc
    .record({
      z_entry: fc.double({ min: 0.8, max: 3, noNaN: true }),
      exitFrac: fc.double({ min: -0.95, max: 0.95, noNaN: true }),
      stopGap: nullable(fc.double({ min: 0.1, max: 2, noNaN: true })),
      max_hold: fc.constantFrom(0, 0, 1, 3, 10),
      dollar_tp: level,
      dollar_sl: level,
      min_corr: gates ? nullable(fc.double({ min: -0.5, max: 0.8, noNaN: true })) : fc.constant(undefined),
      max_hurst: gates ? nullable(fc.double({ min: 0.2, max: 0.9, noNaN: true })) : fc.constant(undefined),
      hl_max: gates ? nullable(fc.double({ min: 20, max: 90, noNaN: true })) : fc.constant(undefined),
      adf_max_pvalue: gates
        ? nullable(fc.double({ min: 0.05, max: 0.8, noNaN: true }))
        : fc.constant(undefined),
      min_gates: gates ? fc.constantFrom(-1, -1, 0, 1, 2) : fc.constant(-1),
      legs: fc.constantFrom([20, 5, 0.25, 1], [50, 50, 0.25, 0.25], [100, 5000, 0.1, 0.005]),
      commission: fc.constantFrom(0, 2.25),
      slippage_ticks: fc.constantFrom(0, 0.5),
      max_mult: fc.constantFrom(1, 1, 3),
      onGrid: fc.boolean(),
    })
    .map(({ exitFrac, stopGap, legs, onGrid, ...c }) => {
      const q = (v: number, step: number) => (onGrid ? Math.round(v / step) * step : v);
      const z_entry = Math.max(0.25, q(c.z_entry, 0.25));
      let z_exit = q(exitFrac * z_entry, 0.25);
      if (Math.abs(z_exit) >= z_entry) z_exit -= Math.sign(z_exit) * 0.25;
      const lvl = (v: number | undefined) => (v === undefined ? undefined : Math.max(0.25, q(v, 1.25)));
      return {
        ...c,
        z_entry,
        z_exit,
        z_stop: stopGap === undefined ? undefined : z_entry + Math.max(0.25, q(stopGap, 0.25)),
        dollar_tp: lvl(c.dollar_tp),
        dollar_sl: lvl(c.dollar_sl),
        mult_a: legs[0],
        mult_b: legs[1],
        tick_a: legs[2],
        tick_b: legs[3],
      };
    });
}

/** Relative closeness for statistics that come from differently ordered sums. */
export function near(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
