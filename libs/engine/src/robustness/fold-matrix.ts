// A job's fold statistics (ENGINE.md §7) as flat arrays: one row per combination, one cell per
// fold, row-major (row r, fold f at r·nFolds + f). Rows are in combo_id order, so "the lowest
// row index" and "the lowest combo_id" name the same combination whenever ties are broken.
// Flat typed arrays, not row objects: a job of 1e6 combinations × 16 folds is 16e6 cells.

export interface FoldMatrix {
  nRows: number;
  nFolds: number;
  /** Σ of the daily PnL values of the fold. */
  pnl: Float64Array;
  /** Σ of the squared daily PnL values of the fold. */
  pnlSq: Float64Array;
  /** Trading days in the fold. */
  nDays: Int32Array;
  /** Trades that exit in the fold. */
  nTrades: Int32Array;
}

/** An empty matrix of the given shape (zeros), to fill in place. */
export function makeFoldMatrix(nRows: number, nFolds: number): FoldMatrix {
  const cells = nRows * nFolds;
  return {
    nRows,
    nFolds,
    pnl: new Float64Array(cells),
    pnlSq: new Float64Array(cells),
    nDays: new Int32Array(cells),
    nTrades: new Int32Array(cells),
  };
}

/** Throws a RangeError when an array's length does not match nRows × nFolds (a caller's bug). */
export function checkFoldMatrix(m: FoldMatrix): void {
  const cells = m.nRows * m.nFolds;
  if (!Number.isSafeInteger(m.nRows) || m.nRows < 0 || !Number.isSafeInteger(m.nFolds) || m.nFolds < 0) {
    throw new RangeError(`fold matrix: bad shape ${m.nRows} × ${m.nFolds}`);
  }
  for (const name of ["pnl", "pnlSq", "nDays", "nTrades"] as const) {
    if (m[name].length !== cells) {
      throw new RangeError(`fold matrix: ${name} has ${m[name].length} cells, expected ${cells}`);
    }
  }
}

/** Membership of folds [from, to) as a 0/1 mask over all folds. */
export function foldRange(nFolds: number, from: number, to: number): Uint8Array {
  const mask = new Uint8Array(nFolds);
  mask.fill(1, Math.max(0, from), Math.min(nFolds, to));
  return mask;
}

/** A new matrix of `m`'s rows `rows`, in that order (say each twin group's first row). */
export function foldMatrixRows(m: FoldMatrix, rows: ArrayLike<number>): FoldMatrix {
  const F = m.nFolds;
  const out = makeFoldMatrix(rows.length, F);
  for (let k = 0; k < rows.length; k++) {
    const from = rows[k]! * F;
    for (const name of ["pnl", "pnlSq", "nDays", "nTrades"] as const) {
      out[name].set(m[name].subarray(from, from + F), k * F);
    }
  }
  return out;
}
