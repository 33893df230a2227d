// The reference engine: one combination, row by row, written to be read against ENGINE.md §5–8
// rather than to be fast. It is the oracle every fast path (grid kernel, event-driven kernels,
// hybrid kernels, live replay) is tested against, so it stays obvious: named variables, one step
// of the spec per block, statistics from the finished trade list.
//
// One loop serves the three engines; they differ only in where the state machine looks at the
// market — the rows of each slow bar, their prices, z and fill times (decision-rows.ts):
//   runReference               slow bars (§5);
//   runHybridDollarReference   dollar levels on fast bars, then the slow close (§8 dollar mode);
//   runHybridZLiveReference    every fast bar, on z_live (§8 z-live mode).
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import type { HybridInputs } from "../kernels/hybrid-inputs.js";
import * as E from "../rules/enums.js";
import {
  closedTrade,
  gatesAllow,
  type OpenPosition,
  on,
  type Params,
  readParams,
  unrealized,
} from "../rules/reference-rules.js";
import { hedgeRatio, legSizes } from "../rules/sizing.js";
import { tradeListResult } from "../statistics/trade-list-statistics.js";
import {
  type DecisionRow,
  type DecisionSource,
  hybridDollarSource,
  slowBarSource,
  zLiveSource,
} from "./decision-rows.js";
import type { ReferenceResult, Trade } from "./trade.js";

/** §5 step 1: the first exit that applies at this row, in priority order, or null. */
function exitReason(
  source: DecisionSource,
  p: Params,
  pos: OpenPosition,
  row: DecisionRow,
  u: number,
): number | null {
  const z = row.z;
  const zKnown = !Number.isNaN(z);
  if (on(p.dollarSl) && u <= -p.dollarSl) return E.SL_DOLLAR;
  if (on(p.dollarTp) && u >= p.dollarTp) return E.TP_DOLLAR;
  if (row.dollarOnly) return null;
  if (zKnown && on(p.zStop)) {
    if (pos.side === 1 && z <= -p.zStop) return E.SL_ZSCORE;
    if (pos.side === -1 && z >= p.zStop) return E.SL_ZSCORE;
  }
  if (zKnown) {
    if (pos.side === 1 && z >= -p.zExit) return E.TP_ZSCORE;
    if (pos.side === -1 && z <= p.zExit) return E.TP_ZSCORE;
  }
  if (p.maxHold > 0 && source.holdExpired(pos, row, p.maxHold)) return E.MAX_HOLD;
  if (row.eod) return E.FLAT_EOD;
  if (row.last) return E.END_OF_DATA;
  return null;
}

/** The state machine of §5 over the rows `source` gives for each slow bar of `inp`. */
export function runReferenceOn(
  inp: BacktestInputs,
  source: DecisionSource,
  cfg: Float64Array,
  nFolds = 16,
): ReferenceResult {
  const p = readParams(cfg);
  const n = inp.n;
  const trades: Trade[] = [];
  const equity = new Float64Array(n);
  const sizes = new Float64Array(2);
  let state = E.FLAT;
  let pos: OpenPosition | null = null;
  let realized = 0;

  for (let k = 0; k < n; k++) {
    for (const row of source.rowsOf(k)) {
      const { a, b, z } = row;

      // 1. exits, first hit wins; the exit fills at this row's close
      if (pos !== null) {
        const u = unrealized(pos, p, a, b);
        pos.mfe = Math.max(pos.mfe, u);
        pos.mae = Math.min(pos.mae, u);
        const reason = exitReason(source, p, pos, row, u);
        if (reason !== null) {
          // at fast resolution a dollar exit books its level; on a slow close, the actual PnL (§10)
          let pnlGross = u;
          if (row.fast && reason === E.SL_DOLLAR) pnlGross = -p.dollarSl;
          if (row.fast && reason === E.TP_DOLLAR) pnlGross = p.dollarTp;
          const trade = closedTrade(inp, p, pos, {
            reason,
            exitI: row.bar,
            exitTs: row.closeTs,
            a,
            b,
            pnlGross,
          });
          trades.push(trade);
          realized += trade.pnl_net;
          const cooldown = reason === E.SL_ZSCORE || reason === E.MAX_HOLD;
          if (cooldown) state = pos.side === 1 ? E.CD_LONG : E.CD_SHORT;
          else state = E.FLAT;
          pos = null;
        }
      }
      // dollar mode's fast bars only watch the dollar levels
      if (row.dollarOnly) continue;

      // 2. a cooldown ends when the spread is back inside the exit band (NaN z keeps it)
      if (state === E.CD_LONG && z >= -p.zExit) state = E.FLAT;
      if (state === E.CD_SHORT && z <= p.zExit) state = E.FLAT;

      // 3. entry, only from FLAT (possibly reached at this very row), with the gates and beta of
      // the row's indicator bar
      const mayEnter =
        state === E.FLAT &&
        !Number.isNaN(z) &&
        row.windowOk &&
        !row.eod &&
        !row.last &&
        gatesAllow(inp, p, row.indicatorBar);
      if (mayEnter && (z <= -p.zEntry || z >= p.zEntry)) {
        const side = z <= -p.zEntry ? 1 : -1;
        const beta = inp.beta[row.indicatorBar];
        legSizes(hedgeRatio(a, b, p.multA, p.multB, beta), p.baseQty, p.maxMult, sizes);
        pos = {
          side,
          entryI: row.bar,
          entryTs: row.closeTs,
          entryA: a,
          entryB: b,
          beta,
          na: sizes[0],
          nb: sizes[1],
          mfe: -Infinity,
          mae: Infinity,
        };
        state = side === 1 ? E.LONG : E.SHORT;
      }
    }

    // mark to market at slow bar k's close: realized net plus open gross unrealized
    equity[k] = realized + (pos !== null ? unrealized(pos, p, inp.closeA[k], inp.closeB[k]) : 0);
  }

  return tradeListResult(inp, trades, equity, nFolds);
}

/** The slow engine (§5): one row per slow bar, at its close. */
export function runReference(inp: BacktestInputs, cfg: Float64Array, nFolds = 16): ReferenceResult {
  return runReferenceOn(inp, slowBarSource(inp), cfg, nFolds);
}

/** The hybrid engine in dollar mode (§8, GC/SI style); what `pairgrid hybrid` runs for hybrid_dollar. */
export function runHybridDollarReference(h: HybridInputs, cfg: Float64Array, nFolds = 16): ReferenceResult {
  return runReferenceOn(h.slow, hybridDollarSource(h, readParams(cfg)), cfg, nFolds);
}

/** The hybrid engine in z-live mode (§8, NQ/YM style); what `pairgrid hybrid` runs for hybrid_zlive. */
export function runHybridZLiveReference(h: HybridInputs, cfg: Float64Array, nFolds = 16): ReferenceResult {
  return runReferenceOn(h.slow, zLiveSource(h), cfg, nFolds);
}
