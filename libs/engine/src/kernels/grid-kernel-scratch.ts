// Working memory of the grid kernel, allocated once per thread and reused for every combination,
// so the kernel itself never allocates.

export interface KernelScratch {
  /** Daily series (§7): net PnL of the trades exiting each trading day, index = day index. */
  daily: Float64Array;
  /** Number of trades exiting each trading day, for the fold trade counts. */
  dayTrades: Int32Array;
  /** Leg sizes [N_a, N_b] written by `legSizes`. */
  sizes: Float64Array;
  /** [skew, kurtosis] written by `skewKurtosisOf`. */
  moments: Float64Array;
}

/** Scratch for inputs with up to `nDays` trading days. */
export function makeKernelScratch(nDays: number): KernelScratch {
  return {
    daily: new Float64Array(nDays),
    dayTrades: new Int32Array(nDays),
    sizes: new Float64Array(2),
    moments: new Float64Array(2),
  };
}
