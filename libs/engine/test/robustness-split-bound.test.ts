// The bound that lets pass 1 of streamed CSCV skip rows (split-bound.ts): never below the statistic
// of any half of any split (brute force over every half, both statistics, rows with and without
// trades, uneven folds), and pass 1 does skip rows on noise while its result stays cscvPbo's.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cscvHalves, foldGroups } from "../src/robustness/cscv-splits.js";
import { SplitKernel } from "../src/robustness/cscv-kernel.js";
import { matrixBlocks } from "../src/robustness/fold-blocks.js";
import { foldSetStatistic } from "../src/robustness/fold-statistic.js";
import { cscvPbo } from "../src/robustness/pbo.js";
import { CscvStream } from "../src/robustness/pbo-streamed.js";
import { HalfBound } from "../src/robustness/split-bound.js";
import { foldsOf, noiseSeries } from "./robustness-fixtures.js";

test("the bound is at least every half's statistic, for every row", () => {
  for (const [F, S] of [
    [8, 8],
    [10, 4],
    [7, 6],
  ] as const) {
    const daily = noiseSeries(21 + F, 200, 70, 2, 100);
    for (let r = 0; r < 200; r++) {
      if (r % 13 === 12) daily[r]!.fill(0);
      // a strong drift: positive folds with little variance, the case a loose bound would cut
      if (r % 17 === 3) daily[r] = daily[r]!.map((x) => 5 + x * 0.01);
    }
    const m = foldsOf(daily, F);
    const groupOf = foldGroups(F, S);
    const halves = cscvHalves(S, 1e6);
    const masks = halves.flatMap((half) => {
      const a = Uint8Array.from(groupOf, (g) => half[g]!);
      return [a, a.map((v) => 1 - v)];
    });
    const sizes = masks.map((mask) => mask.reduce((x, y) => x + y, 0));
    for (const by of ["sharpe", "total_pnl"] as const) {
      const bound = new HalfBound(F, Math.min(...sizes), Math.max(...sizes), by);
      for (const mask of masks) {
        const stat = foldSetStatistic(m, mask, by);
        for (let r = 0; r < m.nRows; r++) {
          const b = bound.bound(m, r * F);
          if (!Number.isNaN(stat[r]!)) assert.ok(stat[r]! <= b, `${by} F=${F} row ${r}: ${stat[r]} > ${b}`);
        }
      }
    }
  }
});

test("pass 1 skips rows that cannot win, and the result is still cscvPbo's", async () => {
  const F = 8;
  const m = foldsOf(noiseSeries(5, 3000, 64, 2, 100), F);
  for (const by of ["sharpe", "total_pnl"] as const) {
    const s = new CscvStream(m.nRows, F, { by, groups: 8 });
    const source = matrixBlocks(m, 100);
    await source((b) => s.pass1(b));
    await source((b) => s.pass2(b));
    assert.deepEqual(s.result(), cscvPbo(m, { by, groups: 8 }));
    assert.ok(s.kernel instanceof SplitKernel);
    assert.ok(s.kernel.skipped > 0, `${by}: no row skipped`);
  }
});
