// The base arrays of a grid run (closes and calendar), packed once for every thread.
import { dayIndexOf } from "../kernels/backtest-inputs.js";
import type { SlowPair } from "../loaders/load-slow-pair.js";
import { type PackedArrays, packArrays } from "./shared-arrays.js";

export interface GridData {
  base: PackedArrays;
  barMs: number;
  nDays: number;
}

export function packGridData(sp: SlowPair): GridData {
  const { dayIndex, nDays } = dayIndexOf(sp.tradingDay);
  const base = packArrays({
    ts: sp.pair.ts,
    closeA: sp.pair.a.close,
    closeB: sp.pair.b.close,
    eod: sp.eod,
    windowOk: sp.windowOk,
    tradingDay: sp.tradingDay,
    dayIndex,
  });
  return { base, barMs: sp.barMs, nDays };
}
