// The hybrid kernels' gate filter is every kernel's: see backtest/kernel-gates.ts.
export { GateSet } from "../backtest/kernel-gates.js";
