// Fold-union statistics (ENGINE.md §7): the Sharpe of any union of folds from the per-fold sums
// equals the Sharpe of that union's daily series computed directly (two-pass, as the engine does),
// and the nulls agree: flat series, fewer than 2 days.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { sharpeOf } from "../src/statistics/daily-statistics.js";
import { foldRange } from "../src/robustness/fold-matrix.js";
import {
  checkFoldStatistic,
  foldSetStatistic,
  foldSetSums,
  sharpeFromSums,
  splitStatistics,
} from "../src/robustness/fold-statistic.js";
import { daysOf, foldsOf } from "./robustness-fixtures.js";

const close = (a: number, b: number, rel = 1e-9) =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

test("a hand-checkable union: days 1, 2, 3, 4 in two folds", () => {
  const m = foldsOf([Float64Array.from([1, 2, 3, 4])], 2);
  assert.deepEqual([...m.pnl], [3, 7]);
  assert.deepEqual([...m.pnlSq], [5, 25]);
  // mean 2.5, var (ddof 1) = 5/3 → sharpe = 2.5 / √(5/3) · √252
  const want = (2.5 / Math.sqrt(5 / 3)) * Math.sqrt(252);
  const got = foldSetStatistic(m, Uint8Array.of(1, 1), "sharpe")[0]!;
  assert.ok(close(got, want, 1e-14), `${got} vs ${want}`);
  assert.equal(foldSetStatistic(m, Uint8Array.of(0, 1), "total_pnl")[0], 7);
});

test("property: the Sharpe of any fold union equals the direct Sharpe of its days", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.array(fc.oneof(fc.constant(0), fc.double({ min: -5000, max: 5000, noNaN: true })), {
        minLength: 1,
        maxLength: 80,
      }),
      fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      (nFolds, days, pick) => {
        const d = Float64Array.from(days);
        const m = foldsOf([d], nFolds);
        const inSet = Uint8Array.from(pick.slice(0, nFolds), (b) => (b ? 1 : 0));
        const union = daysOf(d, nFolds, inSet);
        const want = sharpeOf(union);
        const got = foldSetStatistic(m, inSet, "sharpe")[0]!;
        assert.ok(close(got, want, 1e-7), `sharpe ${got} vs direct ${want}`);
        const pnl = foldSetStatistic(m, inSet, "total_pnl")[0]!;
        assert.ok(
          close(
            pnl,
            union.reduce((a, b) => a + b, 0),
          ),
          "total_pnl",
        );
        const sums = foldSetSums(m, 0, inSet);
        assert.equal(sums.nDays, union.length);
        assert.equal(sums.nTrades, union.filter((v) => v !== 0).length);
      },
    ),
    { numRuns: 300, seed: 42 },
  );
});

test("nulls: a flat series (with or without a nonzero level), fewer than 2 days", () => {
  assert.ok(Number.isNaN(sharpeFromSums(10, 0, 0)), "no trades");
  // ten days of 0.1: Σx² − (Σx)²/n is rounding noise, not a deviation
  const d = new Float64Array(10).fill(0.1);
  const m = foldsOf([d], 3);
  assert.ok(Number.isNaN(foldSetStatistic(m, foldRange(3, 0, 3), "sharpe")[0]!));
  assert.ok(Number.isNaN(sharpeFromSums(1, 5, 25)), "one day");
  assert.ok(Number.isNaN(sharpeFromSums(0, 0, 0)), "no day");
  // a tiny but genuine deviation survives the floor
  assert.ok(Number.isFinite(sharpeFromSums(3, 0.3, 0.03 + 2e-6)));
});

test("splitStatistics gives the statistic of a set and of its complement in one pass", () => {
  const days = [Float64Array.from([5, -1, 2, 0, 3, -4, 1, 1]), Float64Array.from([0, 0, 0, 0, 1, 2, -1, 0])];
  const m = foldsOf(days, 4);
  const inA = Uint8Array.of(1, 0, 0, 1);
  const a = new Float64Array(2);
  const b = new Float64Array(2);
  for (const by of ["sharpe", "total_pnl"] as const) {
    splitStatistics(m, inA, by, a, b);
    assert.deepEqual([...a], [...foldSetStatistic(m, inA, by)]);
    assert.deepEqual([...b], [...foldSetStatistic(m, Uint8Array.of(0, 1, 1, 0), by)]);
  }
});

test("a split's flat half stays null although it is computed as totals minus the other half", () => {
  // half A: large, irregular days; half B (folds 1 and 3): the same small PnL every day, no spread
  const d = Float64Array.of(12345.67, -9876.5, 0.3, 0.3, 31415.9, -27182.8, 0.3, 0.3);
  const m = foldsOf([d], 4);
  const a = new Float64Array(1);
  const b = new Float64Array(1);
  splitStatistics(m, Uint8Array.of(1, 0, 1, 0), "sharpe", a, b);
  assert.ok(Number.isFinite(a[0]!));
  assert.ok(Number.isNaN(b[0]!), `flat half: ${b[0]}`);
});

test("only fold-computable statistics are accepted, with the field named", () => {
  assert.equal(checkFoldStatistic("sharpe"), "sharpe");
  assert.throws(() => checkFoldStatistic("dsr"), {
    name: "InputError",
    path: "by",
    message: /one of: sharpe, total_pnl/,
  });
});
