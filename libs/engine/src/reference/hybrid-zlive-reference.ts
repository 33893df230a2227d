// The hybrid engine in z-live mode (ENGINE.md §8, NQ/YM style), written to be read: the §5 state
// machine runs on every fast bar inside a slow bar, on
//   z_live_j = (ln a_j − beta_{k−1}·ln b_j − alpha_{k−1} − mu_{k−1}) / sigma_{k−1}
// where k is the slow bar holding fast bar j — the indicators of the last COMPLETED slow bar, never
// of bar k, so nothing inside bar k can depend on bar k's close. It is the oracle of the z-live
// kernel (hybrid-zlive-kernel.ts) and what `pairgrid hybrid` runs for engine hybrid_zlive.
//
// Pinned by §10: slow bar 0's fast bars are skipped (no completed bar before them); gates and
// beta_entry (hence sizing) come from bar k−1; window_ok and eod are those of the fast bar's close,
// eod's "next bar" being the next row of the aligned fast series; "last bar" is the last processed
// fast bar; max_hold counts max_hold·L_slow of elapsed time from the entry fill; entries and exits
// fill at the fast close, a dollar exit with pnl_gross at its level; entry_i / exit_i, bars held,
// exposure and the exit day are those of the slow bar holding the fast bar.
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import {
  CD_LONG,
  CD_SHORT,
  END_OF_DATA,
  FLAT,
  FLAT_EOD,
  LONG,
  MAX_HOLD,
  SHORT,
  SL_DOLLAR,
  SL_ZSCORE,
  TP_DOLLAR,
  TP_ZSCORE,
} from "../rules/enums.js";
import { hedgeRatio, legSizes } from "../rules/sizing.js";
import type { ReferenceResult, Trade } from "./trade.js";
import type { HybridInputs } from "../kernels/hybrid-inputs.js";
import {
  closedTrade,
  gatesAllow,
  on,
  type OpenPosition,
  type Params,
  readParams,
  unrealized,
} from "../rules/reference-rules.js";
import { tradeListResult } from "../statistics/trade-list-statistics.js";

/** z_live of fast closes (a, b) from the indicators of slow bar `prev`; NaN where undefined. */
export function zLiveAt(h: HybridInputs, prev: number, a: number, b: number): number {
  const sigma = h.sigma[prev];
  if (!(sigma > 0)) return Number.NaN;
  return (Math.log(a) - h.slow.beta[prev] * Math.log(b) - h.alpha[prev] - h.mu[prev]) / sigma;
}

/** Index of the last fast bar inside a slow bar k ≥ 1 (the last processed one), or −1. */
function lastProcessedFastBar(h: HybridInputs): number {
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

/** §5 step 1 at a fast bar: the first exit that applies, or null. */
function liveExitReason(
  h: HybridInputs,
  p: Params,
  pos: OpenPosition,
  j: number,
  z: number,
  u: number,
  lastJ: number,
): number | null {
  const zKnown = !Number.isNaN(z);
  if (on(p.dollarSl) && u <= -p.dollarSl) return SL_DOLLAR;
  if (on(p.dollarTp) && u >= p.dollarTp) return TP_DOLLAR;
  if (zKnown && on(p.zStop)) {
    if (pos.side === 1 && z <= -p.zStop) return SL_ZSCORE;
    if (pos.side === -1 && z >= p.zStop) return SL_ZSCORE;
  }
  if (zKnown) {
    if (pos.side === 1 && z >= -p.zExit) return TP_ZSCORE;
    if (pos.side === -1 && z <= p.zExit) return TP_ZSCORE;
  }
  const closeTs = h.fast.ts[j] + h.fast.barMs;
  if (p.maxHold > 0 && closeTs - pos.entryTs >= p.maxHold * h.slow.barMs) return MAX_HOLD;
  if (h.fastEod[j] === 1) return FLAT_EOD;
  if (j === lastJ) return END_OF_DATA;
  return null;
}

export function runHybridZLiveReference(h: HybridInputs, cfg: Float64Array, nFolds = 16): ReferenceResult {
  const inp: BacktestInputs = h.slow;
  const fast = h.fast;
  const p = readParams(cfg);
  const n = inp.n;
  const trades: Trade[] = [];
  const equity = new Float64Array(n);
  const sizes = new Float64Array(2);
  const lastJ = lastProcessedFastBar(h);
  let state = FLAT;
  let pos: OpenPosition | null = null;
  let realized = 0;
  /** The first fast bar not yet passed: it only ever moves forward. */
  let cursor = 0;

  for (let k = 0; k < n; k++) {
    const barStart = inp.ts[k];
    const barEnd = barStart + inp.barMs;
    while (cursor < fast.n && fast.ts[cursor] < barStart) cursor++;
    const first = cursor;
    while (cursor < fast.n && fast.ts[cursor] < barEnd) cursor++;

    // bar 0 has no completed bar before it: its fast bars are skipped
    for (let j = first; k > 0 && j < cursor; j++) {
      const prev = k - 1;
      const a = fast.closeA[j];
      const b = fast.closeB[j];
      const z = zLiveAt(h, prev, a, b);
      const closeTs = fast.ts[j] + fast.barMs;

      // 1. exits, first hit wins, filled at this fast bar's close
      if (pos !== null) {
        const u = unrealized(pos, p, a, b);
        pos.mfe = Math.max(pos.mfe, u);
        pos.mae = Math.min(pos.mae, u);
        const reason = liveExitReason(h, p, pos, j, z, u, lastJ);
        if (reason !== null) {
          // at fast resolution a dollar exit books its level (§10)
          const pnlGross = reason === SL_DOLLAR ? -p.dollarSl : reason === TP_DOLLAR ? p.dollarTp : u;
          const t = closedTrade(inp, p, pos, { reason, exitI: k, exitTs: closeTs, a, b, pnlGross });
          trades.push(t);
          realized += t.pnl_net;
          const cooldown = reason === SL_ZSCORE || reason === MAX_HOLD;
          if (cooldown) state = pos.side === 1 ? CD_LONG : CD_SHORT;
          else state = FLAT;
          pos = null;
        }
      }

      // 2. a cooldown ends when the spread is back inside the exit band (NaN z keeps it)
      if (state === CD_LONG && z >= -p.zExit) state = FLAT;
      if (state === CD_SHORT && z <= p.zExit) state = FLAT;

      // 3. entry, only from FLAT, with the gates and beta of the last completed slow bar
      const mayEnter =
        state === FLAT &&
        !Number.isNaN(z) &&
        h.fastWindowOk[j] === 1 &&
        h.fastEod[j] === 0 &&
        j !== lastJ &&
        gatesAllow(inp, p, prev);
      if (mayEnter && (z <= -p.zEntry || z >= p.zEntry)) {
        const side = z <= -p.zEntry ? 1 : -1;
        const beta = inp.beta[prev];
        legSizes(hedgeRatio(a, b, p.multA, p.multB, beta), p.baseQty, p.maxMult, sizes);
        pos = {
          side,
          entryI: k,
          entryTs: closeTs,
          entryA: a,
          entryB: b,
          beta,
          na: sizes[0],
          nb: sizes[1],
          mfe: -Infinity,
          mae: Infinity,
        };
        state = side === 1 ? LONG : SHORT;
      }
    }

    // mark to market at the slow close
    equity[k] = realized + (pos !== null ? unrealized(pos, p, inp.closeA[k], inp.closeB[k]) : 0);
  }
  return tradeListResult(inp, trades, equity, nFolds);
}
