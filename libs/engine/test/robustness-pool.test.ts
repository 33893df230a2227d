// The streamed CSCV and walk-forward on worker threads (robustness-pool.ts) against the in-memory
// functions: rows dealt to workers in batches, each worker's winners, best rows and counts merged,
// must give the same numbers bit for bit — with ties across workers (identical rows: the lower id
// must win wherever it was processed), rows without trades, and batches smaller than the blocks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type FoldBlockSource, matrixBlocks } from "../src/robustness/fold-blocks.js";
import type { FoldMatrix } from "../src/robustness/fold-matrix.js";
import { cscvPbo } from "../src/robustness/pbo.js";
import { CscvStream } from "../src/robustness/pbo-streamed.js";
import { RobustnessPool } from "../src/robustness/robustness-pool.js";
import { walkForward } from "../src/robustness/walk-forward.js";
import { WalkForwardStream } from "../src/robustness/walk-forward-streamed.js";
import { foldsOf, noiseSeries } from "./robustness-fixtures.js";

const F = 8;

function matrix(rows: number, seed: number): FoldMatrix {
  const daily = noiseSeries(seed, rows, 64, 2, 100);
  for (let r = 0; r < rows; r++) {
    // a copy of a row far before it: the two land in different batches, so on different workers
    if (r % 7 === 6 && r >= 40) daily[r] = daily[r - 40]!.slice();
    if (r % 11 === 10) daily[r]!.fill(0);
  }
  return foldsOf(daily, F);
}

/** The rows in reverse order, ids = row indices: the lower id of a tie comes later. */
function reversed(m: FoldMatrix, blockRows: number): FoldBlockSource {
  const order = Array.from({ length: m.nRows }, (_, r) => m.nRows - 1 - r);
  const p: FoldMatrix = {
    ...m,
    pnl: m.pnl.slice(),
    pnlSq: m.pnlSq.slice(),
    nDays: m.nDays.slice(),
    nTrades: m.nTrades.slice(),
  };
  order.forEach((r, k) => {
    for (const key of ["pnl", "pnlSq", "nDays", "nTrades"] as const) {
      p[key].set(m[key].subarray(r * F, r * F + F), k * F);
    }
  });
  return matrixBlocks(p, blockRows, Float64Array.from(order));
}

test("worker pool: PBO and walk-forward equal the in-memory ones exactly", async () => {
  const m = matrix(400, 12);
  for (const by of ["sharpe", "total_pnl"] as const) {
    const groups = 8;
    const window = 2;
    for (const source of [matrixBlocks(m, 33), reversed(m, 50)]) {
      const cscv = new CscvStream(m.nRows, F, { by, groups });
      const wfOpts = { by, modes: ["anchored", "rolling"] as const, window };
      const wf = new WalkForwardStream(F, wfOpts);
      const pool = new RobustnessPool(
        { nRows: m.nRows, nFolds: F, cscv: { by, groups }, walkForward: wfOpts },
        2,
        16,
      );
      try {
        await source((b) => pool.visit(1, b, true));
        await pool.finishPass1(cscv, wf);
        await source((b) => pool.visit(2, b, false));
        await pool.finishPass2(cscv);
      } finally {
        await pool.close();
      }
      assert.deepEqual(cscv.result(), cscvPbo(m, { by, groups }), by);
      const s = wf.result();
      ["anchored", "rolling"].forEach((mode, k) => {
        const full = walkForward(m, { by, mode: mode as "anchored" | "rolling", window });
        const id = (row: number) => (row < 0 ? -1 : s.keptIds[row]!);
        assert.deepEqual(
          s.results[k]!.steps.map((st) => ({ ...st, row: id(st.row) })),
          full.steps,
        );
        assert.deepEqual(s.results[k]!.stitched, full.stitched);
      });
    }
  }
});

test("worker pool: a failing worker rejects the pass instead of hanging", async () => {
  // a plan no worker can run (0 folds → CSCV's group check throws in the worker)
  const pool = new RobustnessPool({ nRows: 10, nFolds: 0, cscv: { groups: 2 }, walkForward: null }, 1, 4);
  try {
    await assert.rejects(pool.finishPass1(null, null));
  } finally {
    await pool.close();
  }
});
