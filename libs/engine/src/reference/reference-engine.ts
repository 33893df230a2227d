// The reference engine: one combination, bar by bar, written to be read against ENGINE.md §5–7
// rather than to be fast. It is the oracle every fast path (grid kernel, event-driven kernel,
// hybrid with dollar exits off, live replay) is tested against, so it stays obvious: named
// variables, one step of the spec per block, statistics from the finished trade list.
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
import type { ReferenceResult, Trade } from "./trade.js";
import { tradeListResult } from "../statistics/trade-list-statistics.js";

/** §5 step 1: the first exit that applies at bar i, in priority order, or null. */
function exitReason(inp: BacktestInputs, p: Params, pos: OpenPosition, i: number, u: number): number | null {
  const z = inp.z[i]!;
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
  if (p.maxHold > 0 && i - pos.entryI >= p.maxHold) return MAX_HOLD;
  if (inp.eod[i] === 1) return FLAT_EOD;
  if (i === inp.n - 1) return END_OF_DATA;
  return null;
}

export function runReference(inp: BacktestInputs, cfg: Float64Array, nFolds = 16): ReferenceResult {
  const p = readParams(cfg);
  const n = inp.n;
  const trades: Trade[] = [];
  const equity = new Float64Array(n);
  const sizes = new Float64Array(2);
  let state = FLAT;
  let pos: OpenPosition | null = null;
  let realized = 0;

  for (let i = 0; i < n; i++) {
    const a = inp.closeA[i]!;
    const b = inp.closeB[i]!;
    const z = inp.z[i]!;

    // 1. exits, first hit wins; the exit fills at bar i's close
    if (pos !== null) {
      const u = unrealized(pos, p, a, b);
      pos.mfe = Math.max(pos.mfe, u);
      pos.mae = Math.min(pos.mae, u);
      const reason = exitReason(inp, p, pos, i, u);
      if (reason !== null) {
        const trade = closedTrade(inp, p, pos, {
          reason,
          exitI: i,
          exitTs: inp.ts[i]! + inp.barMs,
          a,
          b,
          pnlGross: u,
        });
        trades.push(trade);
        realized += trade.pnl_net;
        const cooldown = reason === SL_ZSCORE || reason === MAX_HOLD;
        if (cooldown) state = pos.side === 1 ? CD_LONG : CD_SHORT;
        else state = FLAT;
        pos = null;
      }
    }

    // 2. a cooldown ends when the spread is back inside the exit band (NaN z keeps it)
    if (state === CD_LONG && z >= -p.zExit) state = FLAT;
    if (state === CD_SHORT && z <= p.zExit) state = FLAT;

    // 3. entry, only from FLAT (possibly reached at this very bar)
    const last = i === n - 1;
    const mayEnter =
      state === FLAT &&
      !Number.isNaN(z) &&
      inp.windowOk[i] === 1 &&
      inp.eod[i] === 0 &&
      !last &&
      gatesAllow(inp, p, i);
    if (mayEnter && (z <= -p.zEntry || z >= p.zEntry)) {
      const side = z <= -p.zEntry ? 1 : -1;
      const beta = inp.beta[i]!;
      legSizes(hedgeRatio(a, b, p.multA, p.multB, beta), p.baseQty, p.maxMult, sizes);
      pos = {
        side,
        entryI: i,
        entryTs: inp.ts[i]! + inp.barMs,
        entryA: a,
        entryB: b,
        beta,
        na: sizes[0]!,
        nb: sizes[1]!,
        mfe: -Infinity,
        mae: Infinity,
      };
      state = side === 1 ? LONG : SHORT;
    }

    // mark to market: realized net plus open gross unrealized at this close
    equity[i] = realized + (pos !== null ? unrealized(pos, p, a, b) : 0);
  }

  return tradeListResult(inp, trades, equity, nFolds);
}
