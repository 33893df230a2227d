// Where the readable reference engine (reference-engine.ts) looks at the market: the rows at which
// the §5 state machine runs, for each of the three engines, and the prices and times its fills take.
//
//   slow           one row per slow bar, at its close (§5).
//   hybrid_dollar  §8 dollar mode: while in position, each fast bar of slow bar k is a row that only
//                  tests the dollar levels (a fast exit books its level, §10); then slow bar k's
//                  close, exactly as the slow engine. With both dollar exits off there are no fast
//                  rows, so the result is the slow engine's.
//   hybrid_zlive   §8 z-live mode: each fast bar of slow bar k ≥ 1 is a full §5 row, on z_live and
//                  the gates and beta of bar k − 1 (the last COMPLETED slow bar), with the fast
//                  bar's own window_ok and eod (§10); slow bar 0's fast bars are skipped.
//
// A fast bar belongs to slow bar k when ts_k ≤ t_j < ts_k + L_slow (its close falls inside bar k);
// fast bars in gaps of the slow join are never rows (§10).
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import type { HybridInputs } from "../kernels/hybrid-inputs.js";
import { type OpenPosition, type Params } from "../rules/reference-rules.js";

export type ReferenceEngineName = "slow" | "hybrid_dollar" | "hybrid_zlive";

/** One point where the state machine looks at prices, with everything §5 reads there. */
export interface DecisionRow {
  /** The slow bar holding the row: the entry_i / exit_i of a fill here. */
  bar: number;
  /** When a fill here happens (the row's close), epoch ms UTC. */
  closeTs: number;
  /** Leg closes at the row's close: the fill prices, and the prices of unrealized PnL. */
  a: number;
  b: number;
  /** The z the rules read here (slow z or z_live); NaN where undefined. */
  z: number;
  /** The slow bar whose gates and beta an entry here reads. */
  indicatorBar: number;
  windowOk: boolean;
  eod: boolean;
  /** The run's last decision row: END_OF_DATA, no entry. */
  last: boolean;
  /** A fast bar: a dollar exit here books its level, not the price's PnL (§10). */
  fast: boolean;
  /** Dollar mode's fast scan: only the dollar levels are tested here; no z rules, no entry (§8). */
  dollarOnly: boolean;
}

/** The rows of each slow bar, and how MAX_HOLD measures the time a position has been held. */
export interface DecisionSource {
  /** The rows of slow bar k, in time order; called once per bar, k = 0, 1, … (a forward cursor). */
  rowsOf(k: number): Iterable<DecisionRow>;
  /** §5 MAX_HOLD at `row` for a position opened at `pos`. */
  holdExpired(pos: OpenPosition, row: DecisionRow, maxHold: number): boolean;
}

/** §5: max_hold counts bar indices of the aligned series. */
const heldForBars = (pos: OpenPosition, row: DecisionRow, maxHold: number) => row.bar - pos.entryI >= maxHold;

/** Slow bar k's close as a row. */
function slowCloseRow(inp: BacktestInputs, k: number): DecisionRow {
  return {
    bar: k,
    closeTs: inp.ts[k] + inp.barMs,
    a: inp.closeA[k],
    b: inp.closeB[k],
    z: inp.z[k],
    indicatorBar: k,
    windowOk: inp.windowOk[k] === 1,
    eod: inp.eod[k] === 1,
    last: k === inp.n - 1,
    fast: false,
    dollarOnly: false,
  };
}

export function slowBarSource(inp: BacktestInputs): DecisionSource {
  return {
    *rowsOf(k) {
      yield slowCloseRow(inp, k);
    },
    holdExpired: heldForBars,
  };
}

/**
 * The fast bars of each slow bar, k = 0, 1, … in turn: a cursor that only moves forward, so a whole
 * run costs O(n_slow + n_fast). `fastBarsOf(k)` is the half-open range [first, end) of fast rows.
 */
export function fastBarCursor(h: HybridInputs): (k: number) => { first: number; end: number } {
  const inp = h.slow;
  const fast = h.fast;
  let cursor = 0;
  return (k) => {
    const barStart = inp.ts[k];
    const barEnd = barStart + inp.barMs;
    // skip fast bars before bar k (a gap of the slow join), then take those inside it
    while (cursor < fast.n && fast.ts[cursor] < barStart) cursor++;
    const first = cursor;
    while (cursor < fast.n && fast.ts[cursor] < barEnd) cursor++;
    return { first, end: cursor };
  };
}

export function hybridDollarSource(h: HybridInputs, p: Params): DecisionSource {
  const dollarOn = p.rules.dollarOn;
  const fastBarsOf = fastBarCursor(h);
  const fast = h.fast;
  return {
    *rowsOf(k) {
      const { first, end } = fastBarsOf(k);
      for (let j = first; dollarOn && j < end; j++) {
        yield {
          bar: k,
          closeTs: fast.ts[j] + fast.barMs,
          a: fast.closeA[j],
          b: fast.closeB[j],
          z: Number.NaN,
          indicatorBar: k,
          windowOk: false,
          eod: false,
          last: false,
          fast: true,
          dollarOnly: true,
        };
      }
      yield slowCloseRow(h.slow, k);
    },
    holdExpired: heldForBars,
  };
}

/** z_live of fast closes (a, b) from the indicators of slow bar `prev`; NaN where undefined. */
export function zLiveAt(h: HybridInputs, prev: number, a: number, b: number): number {
  const sigma = h.sigma[prev];
  if (!(sigma > 0)) return Number.NaN;
  return (Math.log(a) - h.slow.beta[prev] * Math.log(b) - h.alpha[prev] - h.mu[prev]) / sigma;
}

/** Index of the last fast bar inside a slow bar k ≥ 1 (z-live's last processed row), or −1. */
export function lastProcessedFastBar(h: HybridInputs): number {
  const inp = h.slow;
  const fast = h.fast;
  // backwards over both series at once, so this is one pass too
  let j = fast.n - 1;
  for (let k = inp.n - 1; k >= 1; k--) {
    const start = inp.ts[k];
    while (j >= 0 && fast.ts[j] >= start + inp.barMs) j--;
    if (j >= 0 && fast.ts[j] >= start) return j;
  }
  return -1;
}

export function zLiveSource(h: HybridInputs): DecisionSource {
  const fastBarsOf = fastBarCursor(h);
  const fast = h.fast;
  const lastJ = lastProcessedFastBar(h);
  const slowBarMs = h.slow.barMs;
  return {
    *rowsOf(k) {
      const { first, end } = fastBarsOf(k);
      // bar 0 has no completed bar before it: its fast bars are skipped
      for (let j = first; k > 0 && j < end; j++) {
        const a = fast.closeA[j];
        const b = fast.closeB[j];
        yield {
          bar: k,
          closeTs: fast.ts[j] + fast.barMs,
          a,
          b,
          z: zLiveAt(h, k - 1, a, b),
          indicatorBar: k - 1,
          windowOk: h.fastWindowOk[j] === 1,
          eod: h.fastEod[j] === 1,
          last: j === lastJ,
          fast: true,
          dollarOnly: false,
        };
      }
    },
    // §8: max_hold counts max_hold·L_slow of elapsed time from the entry fill
    holdExpired: (pos, row, maxHold) => row.closeTs - pos.entryTs >= maxHold * slowBarMs,
  };
}
