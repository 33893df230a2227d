import { checkSameLength } from "./validate.js";

/**
 * Spread of one bar, s = y − beta·x − alpha (ENGINE.md §3), evaluated in exactly this order;
 * the live engine calls it too, so its spreads are bit-identical to `spread()`.
 */
export function spreadAt(y: number, x: number, beta: number, alpha: number): number {
  return y - beta * x - alpha;
}

/** Spread of every bar; NaN wherever beta or alpha is NaN. */
export function spread(
  y: Float64Array,
  x: Float64Array,
  beta: Float64Array,
  alpha: Float64Array,
): Float64Array {
  checkSameLength(y, x, beta, alpha);
  const n = y.length;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = spreadAt(y[i], x[i], beta[i], alpha[i]);
  return s;
}
