// Fold matrices built the long way for the robustness tests: a daily PnL series per combination,
// cut into folds exactly as §7 says (fold f holds days ⌊f·D/F⌋ … ⌊(f+1)·D/F⌋ − 1), so the tests
// can recompute every figure from the days themselves and compare.
import { foldStart } from "../src/statistics/daily-statistics.js";
import { type FoldMatrix, makeFoldMatrix } from "../src/robustness/fold-matrix.js";
import { Rng } from "../src/synth/prng.js";

/** Daily series (one per row, all of the same length) folded into a FoldMatrix; 1 trade per nonzero day. */
export function foldsOf(daily: Float64Array[], nFolds: number): FoldMatrix {
  const m = makeFoldMatrix(daily.length, nFolds);
  daily.forEach((d, r) => {
    for (let f = 0; f < nFolds; f++) {
      const d0 = foldStart(f, nFolds, d.length);
      const d1 = foldStart(f + 1, nFolds, d.length);
      const i = r * nFolds + f;
      m.nDays[i] = d1 - d0;
      for (let t = d0; t < d1; t++) {
        m.pnl[i] += d[t]!;
        m.pnlSq[i] += d[t]! * d[t]!;
        if (d[t] !== 0) m.nTrades[i]!++;
      }
    }
  });
  return m;
}

/** The days of folds where inSet is 1, in order (the union's daily series). */
export function daysOf(d: Float64Array, nFolds: number, inSet: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let f = 0; f < nFolds; f++) {
    if (inSet[f] !== 1) continue;
    for (let t = foldStart(f, nFolds, d.length); t < foldStart(f + 1, nFolds, d.length); t++) out.push(d[t]!);
  }
  return Float64Array.from(out);
}

/** `rows` independent series of `days` N(mean, sd²) days, from a seeded generator. */
export function noiseSeries(seed: number, rows: number, days: number, mean = 0, sd = 100): Float64Array[] {
  const rng = new Rng(seed, 7);
  return Array.from({ length: rows }, () =>
    Float64Array.from({ length: days }, () => mean + sd * rng.normal()),
  );
}
