// The event-driven grid kernel: the slow engine's combination (ENGINE.md §5–7) in time
// proportional to its trades. It must give exactly the bar-scan kernel's trades and row
// (grid-kernel.ts), bit for bit; property tests check both against the reference engine.
/*
 * The bar-scan kernel spends almost all of its time in loops that only look for the next bar
 * where something happens: the FLAT scan for |z| ≥ z_entry, the position loop for an exit, the
 * cooldown loop for the release. Each of those searches is "the first bar at or after i where a
 * fixed comparison of z with a fixed level holds", and a grid asks them for a handful of levels
 * over and over. The group's event index (event-index.ts) answers each in one array read, so:
 *
 *   FLAT      i ← entry(ze)[i]: the next bar where an entry can happen but for the gates, its
 *             side in the sign (event-index.ts). If the gates refuse it, the search goes on at
 *             i + 1 (as the scan does).
 *   LONG /    from f = entry + 1, the exit bar is the first of: the z stop (atMost(−zs)[f] long,
 *   SHORT     atLeast(zs)[f] short), the z take-profit (atLeast(−zx)[f] long, atMost(zx)[f]
 *             short), the hold bound min(entry + max_hold, last) and the next eod bar. Ties keep
 *             §5's priority: SL_ZSCORE, TP_ZSCORE, MAX_HOLD, FLAT_EOD, END_OF_DATA — exactly the
 *             order in which the scan's loop tests them at one bar.
 *   CD_*      after SL_ZSCORE or MAX_HOLD, the release is the take-profit array read at the exit
 *             bar itself (the scan's cooldown loop starts there), capped at the last bar.
 *
 * Dollar exits depend on prices at every bar held, not on z levels: a combination with a dollar
 * level on is run by the bar-scan kernel (runSlowKernel chooses).
 */
import { CFG_DOLLAR_SL, CFG_DOLLAR_TP } from "../rules/config-vector.js";
import { ComboRules, positionPnl } from "../rules/combo-rules.js";
import { exitBarOf, exitCode, exitReasonOf } from "../rules/event-position.js";
import { GateSet } from "../rules/kernel-gates.js";
import { BAR_BETA, BAR_CLOSE_A, BAR_CLOSE_B, BAR_DAY, BAR_LANES, type GroupEvents } from "./event-index.js";
import { TRADE_RECORD_WIDTH } from "./grid-kernel-trade-record.js";
import type { KernelCall } from "./kernel-call.js";

/** Stands in for the stop arrays when z_stop is off: no index ever reaches n. */
export const NEVER = new Int32Array(0);

/** Whether the event kernel can run this combination (no dollar exit on). */
export function eventKernelApplies(cfg: Float64Array, cfgOffset = 0): boolean {
  return Number.isNaN(cfg[cfgOffset + CFG_DOLLAR_TP]!) && Number.isNaN(cfg[cfgOffset + CFG_DOLLAR_SL]!);
}

/**
 * Backtests the combination `call` points at with the group's event index; outputs as
 * runGridKernel's. Throws when a dollar level is on (see eventKernelApplies).
 */
export function runEventKernel(call: KernelCall, events: GroupEvents): number {
  const { inp, cfg, cfgOffset } = call;
  if (!eventKernelApplies(cfg, cfgOffset)) {
    throw new Error("event kernel: a dollar exit is on; the bar-scan kernel runs such combinations");
  }
  const n = inp.n;
  const tally = call.tally(TRADE_RECORD_WIDTH);
  if (n === 0) return call.finish(tally);
  const eod = inp.eod;

  const rules = new ComboRules(cfg, cfgOffset);
  const ze = rules.zEntry;
  const zx = rules.zExit;
  const zs = rules.zStop;
  const stopOn = rules.stopOn;
  const gates = new GateSet(inp, cfg, cfgOffset);
  const gated = gates.required > 0;

  // the exit events as "next bar where" arrays of the levels this combination's rules use
  const entryNext = events.entry(ze);
  const longTp = events.atLeast(-zx);
  const shortTp = events.atMost(zx);
  const longSl = stopOn ? events.atMost(-zs) : NEVER;
  const shortSl = stopOn ? events.atLeast(zs) : NEVER;
  const eodNext = events.eod();
  // entry and exit reads come from the bar records: one cache line per bar instead of three
  const bars = events.bars();
  const sizes = call.scratch.sizes;

  const last = n - 1;
  let i = 0;
  for (;;) {
    // FLAT: jump to the next bar where an entry can happen; ≥ 0 short, < 0 long at ~value
    const next = entryNext[i]!;
    const d = next < 0 ? 1 : -1;
    i = next < 0 ? ~next : next;
    if (i >= last) break;
    if (gated && !gates.pass(i)) {
      i++;
      continue;
    }

    // entry at bar i's close (z is defined and beyond ±ze here: entry(ze) says so)
    const entryI = i;
    const entryRec = i * BAR_LANES;
    const entryA = bars[entryRec + BAR_CLOSE_A]!;
    const entryB = bars[entryRec + BAR_CLOSE_B]!;
    const betaEntry = bars[entryRec + BAR_BETA]!;
    rules.enter(entryA, entryB, betaEntry, sizes);
    const na = sizes[0]!;
    const nb = sizes[1]!;
    const kA = rules.exposureA(na);
    const kB = rules.exposureB(nb, betaEntry);

    // LONG / SHORT: the first exit event after the entry bar, ties in §5 priority order
    const f = entryI + 1;
    const sl = stopOn ? (d === 1 ? longSl[f]! : shortSl[f]!) : n;
    const tp = d === 1 ? longTp[f]! : shortTp[f]!;
    const code = exitCode(rules.holdEnd(entryI, n), sl, tp, eodNext[f]!, last, eod);
    const j = exitBarOf(code);
    const reason = exitReasonOf(code, j);

    // exit at bar j's close (fill times are not part of this record: 0, 0)
    const exitRec = j * BAR_LANES;
    const pnlGross = positionPnl(
      d,
      kA,
      kB,
      bars[exitRec + BAR_CLOSE_A]!,
      bars[exitRec + BAR_CLOSE_B]!,
      entryA,
      entryB,
    );
    tally.record(
      entryI,
      j,
      d,
      na,
      nb,
      reason,
      betaEntry,
      0,
      0,
      pnlGross,
      rules.costs(na, nb),
      bars[exitRec + BAR_DAY]!,
    );

    // CD_LONG / CD_SHORT from the exit bar itself, then FLAT; any other exit: FLAT at bar j
    i = j;
    if (rules.cooldownAfter(reason)) {
      const release = d === 1 ? longTp[j]! : shortTp[j]!;
      i = release < last ? release : last;
    }
  }
  return call.finish(tally);
}
