// writeDailyStatistics takes the daily-series statistics and the folds in two passes (issue 19
// item 5); its figures must be those of sharpeOf, sortinoOf, skewKurtosisOf and the per-fold
// sums it replaced in the grid's rows, bit for bit, on any series: empty, one day, all zeros,
// all losses, random, fewer days than folds.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { foldStart, sharpeOf, skewKurtosisOf, sortinoOf } from "../src/statistics/daily-statistics.js";
import { writeDailyStatistics } from "../src/statistics/grid-kernel-statistics.js";
import { makeKernelScratch } from "../src/kernels/grid-kernel-scratch.js";
import {
  FOLD_WIDTH,
  N_STATS,
  S_KURTOSIS,
  S_N_DAYS,
  S_SHARPE,
  S_SKEW,
  S_SORTINO,
} from "../src/statistics/stat-row.js";

const value = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -2000, max: 2000 }).map((v) => v * 2.5),
  fc.double({ min: -5000, max: 5000, noNaN: true }),
);

test("fused daily statistics = the separate functions, bit for bit", () => {
  fc.assert(
    fc.property(
      fc.array(value, { minLength: 0, maxLength: 300 }),
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 300, maxLength: 300 }),
      fc.integer({ min: 0, max: 20 }),
      fc.boolean(),
      (days, counts, nFolds, negate) => {
        const nDays = days.length;
        const scratch = makeKernelScratch(nDays + 3);
        // a longer scratch than nDays, with junk past the end that must not be read
        scratch.daily.fill(123.5);
        days.forEach((v, d) => (scratch.daily[d] = negate ? -Math.abs(v) : v));
        counts.slice(0, nDays).forEach((c, d) => (scratch.dayTrades[d] = c));
        const row = new Float64Array(N_STATS + 2);
        const folds = new Float64Array(nFolds * FOLD_WIDTH + 1);
        writeDailyStatistics(scratch, nDays, row, 2, folds, 1, nFolds);
        const d = scratch.daily.slice(0, nDays);
        const moments = new Float64Array(2);
        skewKurtosisOf(d, moments, nDays);
        const same = (got: number, want: number, what: string) =>
          assert.ok(Object.is(got, want), `${what}: ${got} ≠ ${want}`);
        same(row[2 + S_SHARPE]!, sharpeOf(d, nDays), "sharpe");
        same(row[2 + S_SORTINO]!, sortinoOf(d, nDays), "sortino");
        same(row[2 + S_SKEW]!, moments[0]!, "skew");
        same(row[2 + S_KURTOSIS]!, moments[1]!, "kurtosis");
        same(row[2 + S_N_DAYS]!, nDays, "n_days");
        for (let f = 0; f < nFolds; f++) {
          const d0 = foldStart(f, nFolds, nDays);
          const d1 = foldStart(f + 1, nFolds, nDays);
          let n = 0;
          let pnl = 0;
          let sq = 0;
          for (let k = d0; k < d1; k++) {
            n += scratch.dayTrades[k]!;
            pnl += d[k]!;
            sq += d[k]! * d[k]!;
          }
          const o = 1 + f * FOLD_WIDTH;
          same(folds[o]!, n, `fold ${f} n_trades`);
          same(folds[o + 1]!, pnl, `fold ${f} pnl`);
          same(folds[o + 2]!, sq, `fold ${f} pnl_sq`);
          same(folds[o + 3]!, d1 - d0, `fold ${f} n_days`);
        }
      },
    ),
    { numRuns: 2000 },
  );
});
