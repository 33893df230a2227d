// The WebAssembly screens of streamed CSCV and walk-forward (cscv-simd.ts, walk-forward-simd.ts)
// against the in-memory functions: random matrices of any fold count (full and partial sum
// blocks), odd blocks (a padding row), ties (copied rows: the lower id wins, and a winner's copies
// rank as equals, the screens' "not certain" path), null Sharpes (no days with spread, a single
// day, a constant gain), rows whose folds differ in days — the same numbers, bit for bit, with the screens on and off.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type FoldBlockSource, matrixBlocks } from "../src/robustness/fold-blocks.js";
import { type FoldMatrix, makeFoldMatrix } from "../src/robustness/fold-matrix.js";
import { cscvPbo, cscvPlan } from "../src/robustness/pbo.js";
import { cscvPboStreamed } from "../src/robustness/pbo-streamed.js";
import { SplitKernel } from "../src/robustness/cscv-kernel.js";
import { RangeKernel } from "../src/robustness/walk-forward-kernel.js";
import { walkForward } from "../src/robustness/walk-forward.js";
import { walkForwardStreamed } from "../src/robustness/walk-forward-streamed.js";
import { foldsOf, noiseSeries } from "./robustness-fixtures.js";

/** Runs `fn` with PAIRGRID_ROBUSTNESS_SIMD set to `value` (the kernels read it when built). */
async function withSimd<T>(value: "0" | "1", fn: () => Promise<T>): Promise<T> {
  const before = process.env.PAIRGRID_ROBUSTNESS_SIMD;
  process.env.PAIRGRID_ROBUSTNESS_SIMD = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.PAIRGRID_ROBUSTNESS_SIMD;
    else process.env.PAIRGRID_ROBUSTNESS_SIMD = before;
  }
}

test("the screens are used by Sharpe unless PAIRGRID_ROBUSTNESS_SIMD=0; never by total PnL", async () => {
  const masks = cscvPlan(1000, 16, { maxSplits: 20 }).foldMasks;
  const ranges = [
    { from: 0, to: 4 },
    { from: 2, to: 6 },
  ];
  await withSimd("1", async () => {
    assert.equal(new SplitKernel(16, masks, "sharpe").screened, true);
    assert.equal(new SplitKernel(16, masks, "total_pnl").screened, false);
    assert.equal(new RangeKernel(16, ranges, "sharpe").screened, true);
    assert.equal(new RangeKernel(16, ranges, "total_pnl").screened, false);
  });
  await withSimd("0", async () => {
    assert.equal(new SplitKernel(16, masks, "sharpe").screened, false);
    assert.equal(new RangeKernel(16, ranges, "sharpe").screened, false);
  });
});

/** How a generated row is made from its noise series. */
const KINDS = [
  "noise",
  "noise",
  "noise",
  "copy",
  "zero",
  "constant",
  "half-constant",
  "integer",
  "one-day-fold",
] as const;

interface Case {
  folds: number;
  daysPerFold: number;
  /** Days beyond folds × daysPerFold: folds then differ by a day (§7 cuts them evenly). */
  extraDays: number;
  seed: number;
  kinds: (typeof KINDS)[number][];
  blockRows: number;
  shift: number;
  groups: number;
  maxSplits: number;
  window: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    folds: fc.constantFrom(2, 4, 6, 10, 16),
    daysPerFold: fc.integer({ min: 1, max: 6 }),
    extraDays: fc.integer({ min: 0, max: 15 }),
    seed: fc.integer({ min: 1, max: 1e6 }),
    kinds: fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 40 }),
    blockPick: fc.integer({ min: 1, max: 40 }),
    shift: fc.integer({ min: 0, max: 39 }),
    groupPick: fc.integer({ min: 1, max: 8 }),
    maxSplits: fc.constantFrom(2, 6, 20, 100),
    windowPick: fc.integer({ min: 1, max: 15 }),
  })
  .map((c) => ({
    folds: c.folds,
    daysPerFold: c.daysPerFold,
    extraDays: c.extraDays % c.folds,
    seed: c.seed,
    kinds: c.kinds,
    blockRows: 1 + ((c.blockPick - 1) % c.kinds.length),
    shift: c.shift % c.kinds.length,
    groups: 2 * (1 + ((c.groupPick - 1) % Math.floor(c.folds / 2))),
    maxSplits: c.maxSplits,
    window: 1 + ((c.windowPick - 1) % (c.folds - 1)),
  }));

/**
 * The rows in reverse order within a rotation, ids = their index in `m`: a copy of a row comes
 * before it, so an equal value with a lower id arrives after the best it must replace.
 */
function reversed(m: FoldMatrix, blockRows: number, shift: number): FoldBlockSource {
  const F = m.nFolds;
  const order = Array.from({ length: m.nRows }, (_, k) => (m.nRows - 1 - k + shift) % m.nRows);
  const p = makeFoldMatrix(m.nRows, F);
  order.forEach((r, k) => {
    for (const key of ["pnl", "pnlSq", "nDays", "nTrades"] as const) {
      p[key].set(m[key].subarray(r * F, r * F + F), k * F);
    }
  });
  return matrixBlocks(p, blockRows, Float64Array.from(order));
}

function matrixOf(c: Case): FoldMatrix {
  const days = c.folds * c.daysPerFold + c.extraDays;
  const daily = noiseSeries(c.seed, c.kinds.length, days, 3, 100);
  c.kinds.forEach((kind, r) => {
    const d = daily[r]!;
    if (kind === "copy" && r > 0) daily[r] = daily[r - 1]!.slice();
    if (kind === "zero") d.fill(0);
    if (kind === "constant") d.fill(5);
    if (kind === "half-constant") d.fill(7, 0, days >> 1);
    if (kind === "integer") for (let t = 0; t < days; t++) d[t] = Math.round(d[t]! / 25);
  });
  const m = foldsOf(daily, c.folds);
  // rows need not share their days per fold: this one's first fold counts a single day (its
  // bound then has no value: a half of that fold alone has n = 1)
  c.kinds.forEach((kind, r) => {
    if (kind === "one-day-fold") m.nDays[r * c.folds] = 1;
  });
  return m;
}

test("property: streamed CSCV and walk-forward with the screens equal the in-memory functions", async () => {
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      const m = matrixOf(c);
      const opts = { groups: c.groups, maxSplits: c.maxSplits };
      const full = cscvPbo(m, opts);
      const wfOpts = { modes: ["anchored", "rolling"] as const, window: c.window };
      for (const simd of ["1", "0"] as const) {
        await withSimd(simd, async () => {
          for (const source of [matrixBlocks(m, c.blockRows), reversed(m, c.blockRows, c.shift)]) {
            const s = await cscvPboStreamed(source, m.nRows, c.folds, opts);
            assert.deepEqual(s, full, `CSCV, screens ${simd}`);
          }
          const wf = await walkForwardStreamed(reversed(m, c.blockRows, c.shift), c.folds, wfOpts);
          wfOpts.modes.forEach((mode, k) => {
            const ref = walkForward(m, { mode, window: c.window });
            const id = (row: number) => (row < 0 ? -1 : wf.keptIds[row]!);
            const got = wf.results[k]!;
            assert.deepEqual(
              got.steps.map((st) => ({ ...st, row: id(st.row) })),
              ref.steps,
              `${mode} steps, screens ${simd}`,
            );
            assert.deepEqual({ ...got.inSampleBest, row: id(got.inSampleBest.row) }, ref.inSampleBest);
          });
        });
      }
    }),
    { numRuns: 150 },
  );
});

test("a large block with many splits lists in several screen calls and still equals cscvPbo", async () => {
  // 16 folds, every one of C(16, 8) splits: 6,435 halves, so a screen call covers 162 rows of
  // the 600-row block; copies of rows make ties across calls
  const daily = noiseSeries(77, 600, 160, 1, 100);
  for (let r = 5; r < daily.length; r += 5) daily[r] = daily[r - 3]!.slice();
  const m = foldsOf(daily, 16);
  const opts = { groups: 16, maxSplits: 12_870 };
  const full = cscvPbo(m, opts);
  await withSimd("1", async () => {
    assert.deepEqual(await cscvPboStreamed(matrixBlocks(m, 600), m.nRows, 16, opts), full);
  });
});
