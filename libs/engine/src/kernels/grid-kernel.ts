// The bar-scan grid kernel: one combination of the slow engine (ENGINE.md §5–7) as a flat loop over
// typed arrays, called millions of times per grid with the same BacktestInputs. It must give exactly
// the trades of the reference engine (reference-engine.ts) and its statistics within 1e-9. The
// event-driven kernel (event-kernel.ts) is faster where it applies; this one runs every combination,
// dollar exits included, and is what the event kernel is checked against.
/*
 * Loop structure. The state machine of §5 is not stored as a variable that every bar switches on;
 * each state is a stretch of the bar index with its own tight loop, and a transition is the jump
 * from one loop to the next at the bar where it happens:
 *
 *   FLAT      scan i forward while z[i] is strictly inside (−ze, ze). That is the common case and
 *             costs one or two compares per bar: a NaN z fails both `z ≤ −ze` and `z ≥ ze`, so
 *             undefined z never stops the scan. At a bar beyond ±ze, the rarer entry conditions
 *             (window_ok, not eod, gates) are checked; if they fail the scan goes on at i + 1.
 *             The scan stops before the last bar, where no entry is allowed.
 *   LONG /    from the bar after the entry, each bar tests in §5 priority order: dollar SL/TP
 *   SHORT     (only when a dollar level is on), then the z stop and z take-profit on w = d·z
 *             (d = +1 long, −1 short; one compare each, since `w ≤ −zs` ⟺ LONG `z ≤ −zs`, SHORT
 *             `z ≥ zs`, and `w ≥ −zx` ⟺ LONG `z ≥ −zx`, SHORT `z ≤ zx`; a NaN z or a NaN (off)
 *             z_stop fails them). MAX_HOLD and END_OF_DATA are folded into one bound `stop`
 *             (the first bar where i − entry ≥ max_hold, or the last bar), tested with eod[i];
 *             only when that bound or eod hits is the exact reason worked out.
 *   CD_LONG / after SL_ZSCORE or MAX_HOLD: scan from the exit bar itself (step 2 runs on the same
 *   CD_SHORT  bar as step 1) until w ≥ −zx; NaN z keeps the cooldown.
 *
 * After an exit to FLAT, or a cooldown release, the FLAT scan resumes at that same bar, which is
 * §5's same-bar re-entry (step 3 after steps 1–2); eod / last-bar exits cannot re-enter because
 * the entry conditions exclude those bars. Per-trade bookkeeping (sizes, PnL, costs, and the
 * running statistics and daily series of kernel-tally.ts, shared with every other kernel) runs only
 * at entries and exits; the daily-series statistics and folds are computed once after the loop.
 * MFE/MAE and the mark-to-market figures are not part of the §7 row and are left to the reference
 * engine, so no bar in position pays for them. What each test decides (entry side and conditions,
 * the exit tests and their order, cooldown, sizing, costs, PnL) is ComboRules'
 * (rules/combo-rules.ts), shared with every other engine; this file owns only the loops. The
 * per-bar tests are ComboRules' compares written out on its levels held in locals (each one names
 * the method it is); the per-trade steps call ComboRules.
 */
import { ComboRules, positionPnl } from "../rules/combo-rules.js";
import { SL_DOLLAR, SL_ZSCORE, TP_DOLLAR, TP_ZSCORE } from "../rules/enums.js";
import { GateSet } from "../rules/kernel-gates.js";
import type { KernelCall } from "./kernel-call.js";
import { TRADE_RECORD_WIDTH } from "./grid-kernel-trade-record.js";

export { type KernelScratch, makeKernelScratch } from "./grid-kernel-scratch.js";

/**
 * Backtests the combination `call` points at (kernel-call.ts): writes its §7 row and folds and,
 * when `call.trades` is given, its first ⌊trades.length / TRADE_RECORD_WIDTH⌋ trades
 * (grid-kernel-trade-record.ts). Returns the number of trades (all of them, written or not).
 */
export function runGridKernel(call: KernelCall): number {
  const inp = call.inp;
  const n = inp.n;
  const tally = call.tally(TRADE_RECORD_WIDTH);
  const z = inp.z;
  const closeA = inp.closeA;
  const closeB = inp.closeB;
  const beta = inp.beta;
  const eod = inp.eod;
  const windowOk = inp.windowOk;
  const dayIndex = inp.dayIndex;

  const rules = new ComboRules(call.cfg, call.cfgOffset);
  // The levels of the per-bar tests, read from the rules once into locals. Each test in the loops
  // below is the ComboRules method it names, written out on these locals in the branch shape of the
  // kernel before issue 17 (a reason per branch): loops asking yes/no exit questions of the rules and then
  // rules.exitReason at the exit bar made this kernel 1.1–1.2× slower on W1 (A/B, same process),
  // though every call was inlined; the event kernels were not affected. `+ 0` makes each level a
  // machine double here, once: ComboRules' fields are tagged (a Smi or a boxed double, --perf-prof
  // shows it), and V8 does not hoist their unboxing out of a loop, so a plain `rules.wStop` cost a
  // tag test and a load at every held bar. (−0 + 0 = +0 and NaN + 0 = NaN: no compare changes.)
  const ze = rules.zEntry + 0;
  const negZe = -ze;
  const wStop = rules.wStop + 0;
  const wExit = rules.wExit + 0;
  const uStop = rules.uStop + 0;
  const dollarTp = rules.dollarTp + 0;
  const dollarOn = rules.dollarOn;
  // gates: an entry needs at least `gates.required` passes (all enabled ones unless min_gates ≥ 0)
  const gates = new GateSet(inp, call.cfg, call.cfgOffset);
  const gated = gates.required > 0;
  const sizes = call.scratch.sizes;

  const last = n - 1;
  let i = 0;
  while (i < last) {
    // FLAT: the hot scan. A tight inner loop of its own — as an `if … continue` of this outer loop,
    // with all the trade code in its body, V8 made it about 1.8× slower on W1. The loop stops where
    // rules.entrySide(z) ≠ 0.
    let zi = z[i]!;
    while (!(zi <= negZe || zi >= ze)) {
      if (++i >= last) break;
      zi = z[i]!;
    }
    if (i >= last) break;
    // rules.entryAllowed (the scan never reaches the last bar)
    if (windowOk[i] === 0 || eod[i] !== 0 || (gated && !gates.pass(i))) {
      i++;
      continue;
    }

    // entry at bar i's close; rules.entrySide(zi), which is ±1 here
    const d = zi <= negZe ? 1 : -1;
    const entryI = i;
    const entryA = closeA[i]!;
    const entryB = closeB[i]!;
    const betaEntry = beta[i]!;
    rules.enter(entryA, entryB, betaEntry, sizes);
    const na = sizes[0]!;
    const nb = sizes[1]!;
    const kA = rules.exposureA(na);
    const kB = rules.exposureB(nb, betaEntry);
    const holdEnd = rules.holdEnd(entryI, n);
    const stop = holdEnd < last ? holdEnd : last;

    // LONG / SHORT: find the exit bar j and its reason, the tests of rules.exitReason in its order.
    // max_hold and the last bar are folded into one bound `stop`.
    let j = entryI + 1;
    let reason: number;
    for (; ; j++) {
      if (dollarOn) {
        // rules.dollarExit(u)
        const u = positionPnl(d, kA, kB, closeA[j]!, closeB[j]!, entryA, entryB);
        if (u <= uStop) {
          reason = SL_DOLLAR;
          break;
        }
        if (u >= dollarTp) {
          reason = TP_DOLLAR;
          break;
        }
      }
      // rules.zScoreExit(w)
      const w = d * z[j]!;
      if (w <= wStop) {
        reason = SL_ZSCORE;
        break;
      }
      if (w >= wExit) {
        reason = TP_ZSCORE;
        break;
      }
      if (j >= stop || eod[j] !== 0) {
        reason = rules.timeExit(j >= holdEnd, eod[j] !== 0, j >= last);
        break;
      }
    }

    // exit at bar j's close (fill times are not part of this record: 0, 0)
    const pnlGross = positionPnl(d, kA, kB, closeA[j]!, closeB[j]!, entryA, entryB);
    tally.record(entryI, j, d, na, nb, reason, betaEntry, 0, 0, pnlGross, rules.costs(na, nb), dayIndex[j]!);

    // CD_LONG / CD_SHORT, from the exit bar itself, until rules.releases(w); then FLAT again at i
    i = j;
    if (rules.cooldownAfter(reason)) {
      while (i < last && !(d * z[i]! >= wExit)) i++;
    }
  }
  return call.finish(tally);
}
