// The reference engine: one combination, row by row, written to be read against ENGINE.md §5–8
// rather than to be fast. It is the oracle every fast path (grid kernel, event-driven kernels,
// hybrid kernels, live replay) is tested against, so it stays obvious: named variables, one step
// of the spec per block, statistics from the finished trade list.
//
// Every §5–§6 decision (entry side and conditions, the exits in priority order, cooldown, sizing,
// costs, PnL) is asked of the combination's ComboRules and GateRule (rules/combo-rules.ts), which
// every kernel and the live replay ask too; this file owns only the bar-by-bar loop.
//
// One loop serves the three engines; they differ only in where the state machine looks at the
// market — the rows of each slow bar, their prices, z and fill times (decision-rows.ts):
//   runReference               slow bars (§5);
//   runHybridDollarReference   dollar levels on fast bars, then the slow close (§8 dollar mode);
//   runHybridZLiveReference    every fast bar, on z_live (§8 z-live mode).
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import type { HybridInputs } from "../kernels/hybrid-inputs.js";
import * as E from "../rules/enums.js";
import { NO_EXIT } from "../rules/combo-rules.js";
import {
  closedTrade,
  gatesAllow,
  type OpenPosition,
  type Params,
  readParams,
  unrealized,
} from "../rules/reference-rules.js";
import { tradeListResult } from "../statistics/trade-list-statistics.js";
import {
  type DecisionRow,
  type DecisionSource,
  hybridDollarSource,
  slowBarSource,
  zLiveSource,
} from "./decision-rows.js";
import type { ReferenceResult, Trade } from "./trade.js";

/**
 * §5 step 1: the first exit that applies at this row, in priority order (ComboRules.exitReason), or
 * NO_EXIT. Dollar mode's fast rows only watch the dollar levels.
 */
function exitAt(source: DecisionSource, p: Params, pos: OpenPosition, row: DecisionRow, u: number): number {
  const rules = p.rules;
  if (row.dollarOnly) return rules.dollarExit(u);
  const holdDue = rules.holdOn && source.holdExpired(pos, row, rules.maxHold);
  return rules.exitReason(u, pos.side * row.z, holdDue, row.eod, row.last);
}

/** The state machine of §5 over the rows `source` gives for each slow bar of `inp`. */
export function runReferenceOn(
  inp: BacktestInputs,
  source: DecisionSource,
  cfg: Float64Array,
  nFolds = 16,
): ReferenceResult {
  const p = readParams(cfg);
  const rules = p.rules;
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
        const reason = exitAt(source, p, pos, row, u);
        if (reason !== NO_EXIT) {
          // at fast resolution a dollar exit books its level; on a slow close, the actual PnL (§10)
          const dollar = reason === E.SL_DOLLAR || reason === E.TP_DOLLAR;
          const pnlGross = row.fast && dollar ? rules.dollarLevel(reason) : u;
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
          // a z stop or max_hold waits in CD_LONG / CD_SHORT, any other exit is FLAT at once
          state = rules.stateAfterExit(reason, pos.side);
          pos = null;
        }
      }
      // dollar mode's fast bars only watch the dollar levels
      if (row.dollarOnly) continue;

      // 2. a cooldown ends when the spread is back inside the exit band (NaN z keeps it)
      const cooldownSide = rules.cooldownSide(state);
      if (cooldownSide !== 0 && rules.releases(cooldownSide * z)) state = E.FLAT;

      // 3. entry, only from FLAT (possibly reached at this very row), with the gates and beta of
      // the row's indicator bar
      const side = state === E.FLAT ? rules.entrySide(z) : 0;
      if (
        side !== 0 &&
        rules.entryAllowed(row.windowOk, row.eod, row.last, gatesAllow(inp, p, row.indicatorBar))
      ) {
        const beta = inp.beta[row.indicatorBar];
        rules.enter(a, b, beta, sizes);
        pos = {
          side: side === 1 ? 1 : -1,
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
        state = rules.positionState(side);
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
