// The hybrid engine in dollar mode (ENGINE.md §8, GC/SI style), written to be read: slow bar by
// slow bar as the slow reference engine, with a fast-bar cursor that only moves forward. It is the
// oracle of the dollar kernel (hybrid-dollar-kernel.ts) and what `pairgrid hybrid` runs.
//
// At slow bar k, in position:
//   0. scan bar k's fast bars (ts_k ≤ t_j < ts_k + L_slow) in order: u_j ≤ −dollar_sl → SL_DOLLAR,
//      else u_j ≥ dollar_tp → TP_DOLLAR; the exit fills at t_j + L_fast with pnl_gross exactly at
//      the level; the state is then FLAT, and step 3 still runs at bar k's close (re-entry).
//   1–3. otherwise §5 at bar k's close, as the slow engine (a dollar level reached at the slow
//      close itself fills at the close with the actual PnL, §10).
// The entry bar's own fast bars are behind the cursor when the entry fills, so they are never
// scanned. With both dollar exits off the scan is skipped and every step is the slow engine's.
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
  type Exit,
  gatesAllow,
  on,
  type OpenPosition,
  type Params,
  readParams,
  unrealized,
} from "../rules/reference-rules.js";
import { tradeListResult } from "../statistics/trade-list-statistics.js";

/** §5 step 1 at slow bar i's close: the first exit that applies, in priority order, or null. */
function slowExitReason(
  inp: BacktestInputs,
  p: Params,
  pos: OpenPosition,
  i: number,
  u: number,
): number | null {
  const z = inp.z[i];
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

export function runHybridDollarReference(h: HybridInputs, cfg: Float64Array, nFolds = 16): ReferenceResult {
  const inp = h.slow;
  const fast = h.fast;
  const p = readParams(cfg);
  const dollarOn = on(p.dollarTp) || on(p.dollarSl);
  const n = inp.n;
  const trades: Trade[] = [];
  const equity = new Float64Array(n);
  const sizes = new Float64Array(2);
  let state = FLAT;
  let pos: OpenPosition | null = null;
  let realized = 0;
  /** The first fast bar not yet passed: it only ever moves forward. */
  let cursor = 0;

  const close = (x: Exit) => {
    const t = closedTrade(inp, p, pos!, x);
    trades.push(t);
    realized += t.pnl_net;
  };

  for (let i = 0; i < n; i++) {
    const a = inp.closeA[i];
    const b = inp.closeB[i];
    const z = inp.z[i];

    // the fast bars of bar i: skip any before it (a gap of the slow join), then take those inside
    const barStart = inp.ts[i];
    const barEnd = barStart + inp.barMs;
    while (cursor < fast.n && fast.ts[cursor] < barStart) cursor++;
    const first = cursor;
    while (cursor < fast.n && fast.ts[cursor] < barEnd) cursor++;

    // 0. dollar levels on bar i's fast bars (a position opened at an earlier bar's close)
    if (pos !== null && dollarOn) {
      for (let j = first; j < cursor; j++) {
        const fa = fast.closeA[j];
        const fb = fast.closeB[j];
        const u = unrealized(pos, p, fa, fb);
        pos.mfe = Math.max(pos.mfe, u);
        pos.mae = Math.min(pos.mae, u);
        const exitTs = fast.ts[j] + fast.barMs;
        if (on(p.dollarSl) && u <= -p.dollarSl) {
          close({ reason: SL_DOLLAR, exitI: i, exitTs, a: fa, b: fb, pnlGross: -p.dollarSl });
        } else if (on(p.dollarTp) && u >= p.dollarTp) {
          close({ reason: TP_DOLLAR, exitI: i, exitTs, a: fa, b: fb, pnlGross: p.dollarTp });
        } else continue;
        pos = null;
        state = FLAT;
        break;
      }
    }

    // 1. exits at bar i's close, first hit wins
    if (pos !== null) {
      const u = unrealized(pos, p, a, b);
      pos.mfe = Math.max(pos.mfe, u);
      pos.mae = Math.min(pos.mae, u);
      const reason = slowExitReason(inp, p, pos, i, u);
      if (reason !== null) {
        close({ reason, exitI: i, exitTs: inp.ts[i] + inp.barMs, a, b, pnlGross: u });
        const cooldown = reason === SL_ZSCORE || reason === MAX_HOLD;
        if (cooldown) state = pos.side === 1 ? CD_LONG : CD_SHORT;
        else state = FLAT;
        pos = null;
      }
    }

    // 2. a cooldown ends when the spread is back inside the exit band (NaN z keeps it)
    if (state === CD_LONG && z >= -p.zExit) state = FLAT;
    if (state === CD_SHORT && z <= p.zExit) state = FLAT;

    // 3. entry, only from FLAT (possibly reached at this very bar, by a fast exit too)
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
      const beta = inp.beta[i];
      legSizes(hedgeRatio(a, b, p.multA, p.multB, beta), p.baseQty, p.maxMult, sizes);
      pos = {
        side,
        entryI: i,
        entryTs: inp.ts[i] + inp.barMs,
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

    // mark to market: realized net plus open gross unrealized at this slow close
    equity[i] = realized + (pos !== null ? unrealized(pos, p, a, b) : 0);
  }
  return tradeListResult(inp, trades, equity, nFolds);
}
