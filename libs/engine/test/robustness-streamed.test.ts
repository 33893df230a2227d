// The streamed CSCV and walk-forward (pbo-streamed.ts, walk-forward-streamed.ts) against the
// in-memory functions over the same matrix: the same numbers, bit for bit, whatever the block
// size and whatever order the rows arrive in — with ties (identical rows: the lower id must win),
// rows without trades (null Sharpe) and a matrix sorted by its statistic (every row a new best).
import assert from "node:assert/strict";
import { test } from "node:test";
import { type FoldBlockSource, matrixBlocks, RunningBest } from "../src/robustness/fold-blocks.js";
import type { FoldMatrix } from "../src/robustness/fold-matrix.js";
import { cscvPbo } from "../src/robustness/pbo.js";
import { cscvPboStreamed } from "../src/robustness/pbo-streamed.js";
import { walkForward } from "../src/robustness/walk-forward.js";
import { walkForwardStreamed } from "../src/robustness/walk-forward-streamed.js";
import { foldsOf, noiseSeries } from "./robustness-fixtures.js";

const F = 8;

/**
 * Noise rows, every 7th a copy of the row before it (a tie), every 11th without a trade; every
 * 13th gains the same positive amount each day and every 17th does so in its first half: null
 * Sharpes (no variance) whose PnL is positive, which must rank below every number all the same.
 */
function matrix(rows: number, seed: number): FoldMatrix {
  const daily = noiseSeries(seed, rows, 64, 2, 100);
  for (let r = 0; r < rows; r++) {
    if (r % 7 === 6) daily[r] = daily[r - 1]!.slice();
    if (r % 11 === 10) daily[r]!.fill(0);
    if (r % 13 === 12) daily[r]!.fill(3);
    if (r % 17 === 16) daily[r]!.fill(4, 0, 32);
  }
  return foldsOf(daily, F);
}

/** The rows in a shuffled order, with their row index as id: what a DuckDB scan may give. */
function shuffled(m: FoldMatrix, blockRows: number, seed: number): FoldBlockSource {
  const order = Array.from({ length: m.nRows }, (_, r) => r);
  let s = seed;
  for (let i = order.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return reordered(m, blockRows, order);
}

/** The rows in the given order (ids = row indices). */
function reordered(m: FoldMatrix, blockRows: number, order: number[]): FoldBlockSource {
  const p: FoldMatrix = {
    nRows: m.nRows,
    nFolds: F,
    pnl: new Float64Array(m.pnl.length),
    pnlSq: new Float64Array(m.pnl.length),
    nDays: new Int32Array(m.pnl.length),
    nTrades: new Int32Array(m.pnl.length),
  };
  order.forEach((r, k) => {
    for (const key of ["pnl", "pnlSq", "nDays", "nTrades"] as const) {
      p[key].set(m[key].subarray(r * F, r * F + F), k * F);
    }
  });
  return matrixBlocks(p, blockRows, Float64Array.from(order));
}

test("streamed PBO equals cscvPbo exactly: any block size, any row order, both statistics", async () => {
  const m = matrix(300, 5);
  for (const by of ["sharpe", "total_pnl"] as const) {
    for (const groups of [2, 4, 8]) {
      const full = cscvPbo(m, { by, groups });
      for (const source of [
        matrixBlocks(m, 300),
        matrixBlocks(m, 17),
        shuffled(m, 64, 9),
        shuffled(m, 1, 3),
      ]) {
        const s = await cscvPboStreamed(source, m.nRows, F, { by, groups });
        // winners are ids here, row indices there; the ids are the row indices
        assert.deepEqual(s, full, `${by}, ${groups} groups`);
      }
    }
  }
});

test("streamed PBO equals cscvPbo with 16 folds (4 sum blocks) and 10 (a partial block)", async () => {
  // noise doubles: a half summed in any other order than splitStatistics's differs in its last bits
  for (const folds of [16, 10]) {
    const daily = noiseSeries(31, 400, 160, 2, 100);
    for (let r = 6; r < daily.length; r += 7) daily[r] = daily[r - 1]!.slice();
    const m = foldsOf(daily, folds);
    for (const by of ["sharpe", "total_pnl"] as const) {
      const opts = { by, groups: folds, maxSplits: 40 };
      const full = cscvPbo(m, opts);
      const s = await cscvPboStreamed(matrixBlocks(m, 37), m.nRows, folds, opts);
      assert.deepEqual(s, full, `${folds} folds, ${by}`);
    }
  }
});

test("streamed PBO equals cscvPbo when rows differ in their days: blocks of one days' row and mixed", async () => {
  // a grid's rows share their days per fold (the other fixtures' do); a file need not: rows 0–99
  // share theirs, then every third row has a day or two more in every other fold
  for (const folds of [16, 10]) {
    const m = foldsOf(noiseSeries(41, 300, 160, 2, 100), folds);
    for (let r = 100; r < m.nRows; r += 3) {
      for (let f = 0; f < folds; f += 2) m.nDays[r * folds + f]! += 1 + (r % 2);
    }
    const opts = { groups: folds, maxSplits: 40 };
    const full = cscvPbo(m, opts);
    for (const blockRows of [37, 100, 300]) {
      const s = await cscvPboStreamed(matrixBlocks(m, blockRows), m.nRows, folds, opts);
      assert.deepEqual(s, full, `${folds} folds, blocks of ${blockRows}`);
    }
  }
});

test("streamed PBO with a split sample, and over rows sorted by their statistic", async () => {
  const m = matrix(120, 8);
  const full = cscvPbo(m, { groups: 8, maxSplits: 10 });
  assert.equal(full.sampled, true);
  assert.deepEqual(await cscvPboStreamed(shuffled(m, 5, 1), m.nRows, F, { groups: 8, maxSplits: 10 }), full);
  // ascending total PnL: with by = total_pnl every in-sample best moves on nearly every row
  const total = (r: number) => m.pnl.subarray(r * F, r * F + F).reduce((a, b) => a + b, 0);
  const ascending = Array.from({ length: m.nRows }, (_, r) => r).sort((a, b) => total(a) - total(b));
  for (const by of ["sharpe", "total_pnl"] as const) {
    const ref = cscvPbo(m, { by, groups: 8 });
    assert.deepEqual(await cscvPboStreamed(reordered(m, 7, ascending), m.nRows, F, { by, groups: 8 }), ref);
    const wf = await walkForwardStreamed(reordered(m, 7, ascending), F, {
      by,
      modes: ["anchored"],
      window: 2,
    });
    const wfRef = walkForward(m, { by, mode: "anchored", window: 2 });
    assert.deepEqual(
      wf.results[0]!.steps.map((st) => wf.keptIds[st.row]),
      wfRef.steps.map((st) => st.row),
    );
  }
});

test("streamed walk-forward equals walkForward: picks, step figures, stitched, in-sample best", async () => {
  const m = matrix(250, 6);
  for (const by of ["sharpe", "total_pnl"] as const) {
    for (const window of [1, 2, 5]) {
      for (const source of [matrixBlocks(m, 250), shuffled(m, 13, 4)]) {
        const s = await walkForwardStreamed(source, F, { by, modes: ["anchored", "rolling"], window });
        ["anchored", "rolling"].forEach((mode, k) => {
          const full = walkForward(m, { by, mode: mode as "anchored" | "rolling", window });
          const got = s.results[k]!;
          // rows of the streamed result are rows of the kept matrix: map them to ids (= full rows)
          const id = (row: number) => (row < 0 ? -1 : s.keptIds[row]!);
          assert.deepEqual(
            got.steps.map((st) => ({ ...st, row: id(st.row) })),
            full.steps,
          );
          assert.deepEqual(got.stitched, full.stitched);
          assert.deepEqual({ ...got.inSampleBest, row: id(got.inSampleBest.row) }, full.inSampleBest);
          assert.equal(got.mode, full.mode);
        });
      }
    }
  }
});

test("RunningBest: NaN never wins, the first number does (even −∞), ties go to the lower id", () => {
  const b = new RunningBest();
  assert.equal(b.offer(Number.NaN, 0), false);
  assert.equal(b.offer(Number.NEGATIVE_INFINITY, 5), true);
  assert.equal(b.offer(1, 9), true);
  assert.equal(b.offer(1, 10), false);
  assert.equal(b.offer(1, 3), true);
  assert.equal(b.offer(Number.NaN, 1), false);
  assert.deepEqual([b.id, b.value], [3, 1]);
});
