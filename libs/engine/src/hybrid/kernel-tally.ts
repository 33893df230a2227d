// The hybrid kernels' bookkeeping is every kernel's: see backtest/kernel-tally.ts.
export { KernelTally } from "../backtest/kernel-tally.js";
