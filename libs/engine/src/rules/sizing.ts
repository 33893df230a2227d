// Position sizing and costs (ENGINE.md §6, §10 "Sizing"). Pure functions on numbers, shared by
// every engine: the order of operations is part of the contract (`ratio` exactly as written).

/** Round half to even, as Python's round() and numpy.round do (ties only at exact .5). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** `(P_A·M_A) / (P_B·M_B) · |beta|`, in exactly that order. */
export function hedgeRatio(pA: number, pB: number, multA: number, multB: number, beta: number): number {
  return ((pA * multA) / (pB * multB)) * Math.abs(beta);
}

/**
 * A k replaces the best multiplier so far only when its rounding error is smaller by more than
 * this (ENGINE.md §10). Errors that are equal in exact arithmetic — every k has the same one when
 * frac(ratio) < 1/(2K), common on ES/YM where the ratio is ≈ 1.1 — differ in their last bits with
 * the hedge's rounding; a strict `<` would let that noise size a trade 3 + 3 instead of 1 + 1.
 */
export const SIZING_TIE_TOLERANCE = 1e-9;

/**
 * Leg sizes for a ratio: writes N_a to out[0] and N_b to out[1]. `maxMult` > 1 searches
 * k = 1…maxMult for the least relative rounding error, ties (within SIZING_TIE_TOLERANCE) to the
 * smaller k (micro mode ignores `baseQty`); ratio 0 gives k = 1.
 */
export function legSizes(
  ratio: number,
  baseQty: number,
  maxMult: number,
  // one array type from every caller: a second one (a plain array from the reference engines)
  // would make the call polymorphic and slow the kernels that share this function
  out: Float64Array,
): void {
  let na = baseQty;
  if (maxMult > 1) {
    na = 1;
    if (ratio > 0) {
      let bestErr = Infinity;
      for (let k = 1; k <= maxMult; k++) {
        const rk = ratio * k;
        const err = Math.abs(roundHalfEven(rk) - rk) / rk;
        if (err < bestErr - SIZING_TIE_TOLERANCE) {
          bestErr = err;
          na = k;
        }
      }
    }
  }
  const nb = roundHalfEven(ratio * na);
  out[0] = na;
  out[1] = nb < 1 ? 1 : nb;
}

/** Round-trip costs: `2·(N_a + N_b)·commission + 2·slippage_ticks·(N_a·tick_A·M_A + N_b·tick_B·M_B)`. */
export function roundTripCosts(
  na: number,
  nb: number,
  commission: number,
  slippageTicks: number,
  tickA: number,
  multA: number,
  tickB: number,
  multB: number,
): number {
  return 2 * (na + nb) * commission + 2 * slippageTicks * (na * tickA * multA + nb * tickB * multB);
}
