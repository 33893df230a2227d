// The live engine of the hybrid modes (ENGINE.md §8), fed the merged event stream one event at a
// time (hybrid-feed.ts). Indicators are updated incrementally on slow bar completion only; fast
// bars only supply prices:
//  - hybrid_dollar: at each fast bar inside a slow bar, while in position, the dollar levels (SL
//    first) fill at the fast close booking the level; at each slow bar's completion, §5 as the slow
//    replay (exits at the close, cooldown, entry with beta_i).
//  - hybrid_zlive: at each fast bar inside slow bar k, z_live from the indicators of the last
//    COMPLETED slow bar (k − 1; the engine holds nothing else), and §5 on it: gates and beta_entry
//    of k − 1, window_ok and eod at the fast close (next bar = next fast row), max_hold as elapsed
//    time from the entry fill, fills at the fast close. A slow completion only updates indicators.
// Slow bars before `decideFromTs` are warm-up. Every decision event returns its `SignalTrace`
// (`event`, `close_ts` set; `i` of a fast row is the slow bar holding it).
import { STATE_NAMES } from "../rules/enums.js";
import type { SessionCalendar } from "../calendar/session-calendar.js";
import type { HybridEngineName } from "../chunks/hybrid-grid-data.js";
import { gatesAllow, type GateThresholds, gateThresholds } from "./gate-filter.js";
import type { HybridEvent, HybridFastEvent, HybridSlowEvent } from "./hybrid-feed.js";
import {
  IncrementalIndicators,
  type IndicatorPlan,
  type IndicatorSnapshot,
} from "./incremental-indicators.js";
import { indicatorFacts } from "./trace-facts.js";
import { SignalStateMachine, signalParams, type StepResult } from "./signal-state-machine.js";
import {
  type TraceBarFacts,
  decisionName,
  hybridConfigHash,
  inputsHash,
  PRICES_ONLY,
  type SignalTrace,
} from "../parity/signal-trace.js";

export type { HybridEngineName };

export interface HybridReplayOptions {
  engine: HybridEngineName;
  plan: IndicatorPlan;
  cfg: Float64Array;
  calendar: SessionCalendar;
  /** Slow and fast bar lengths, ms. */
  barMs: number;
  fastMs: number;
  /** Index in the batch's aligned slow series of the first slow bar pushed. */
  firstIndex: number;
  /** Slow bars starting before this instant are warm-up. */
  decideFromTs: number;
}

/** The last completed slow bar, as a fast bar inside the next one sees it. */
interface Completed {
  i: number;
  ts: number;
  ind: IndicatorSnapshot;
  gatesOk: boolean;
}

export class HybridReplayEngine {
  private readonly indicators: IncrementalIndicators;
  private readonly machine: SignalStateMachine;
  private readonly gates: GateThresholds;
  private readonly flatTimeSet: boolean;
  private readonly dollarOn: boolean;
  private readonly maxHoldMs: number;
  private readonly configHash: string;
  private i: number;
  private lastClose = Number.NEGATIVE_INFINITY;
  private lastKind: "slow" | "fast" = "slow";
  private completed: Completed | null = null;
  /** Fill time of the open position's entry (z-live max_hold). */
  private entryTs = Number.NaN;

  constructor(private readonly o: HybridReplayOptions) {
    this.indicators = new IncrementalIndicators(o.plan, o.firstIndex);
    const rules = signalParams(o.cfg);
    this.machine = new SignalStateMachine(rules);
    this.gates = gateThresholds(o.cfg);
    this.flatTimeSet = o.calendar.settings.flat_time !== null;
    this.dollarOn = rules.dollarOn;
    // z-live's max_hold is elapsed time (§8): max_hold slow bars' worth of ms; NaN (off) never due
    this.maxHoldMs = rules.holdOn ? rules.maxHold * o.barMs : Number.NaN;
    this.i = o.firstIndex - 1;
    this.configHash = hybridConfigHash(o.plan, o.cfg, o.calendar.settings, o.barMs, o.engine, o.fastMs);
  }

  /** Processes the next event: its trace when it is a decision event, else null. */
  push(ev: HybridEvent): SignalTrace | null {
    const close = ev.ts + (ev.kind === "slow" ? this.o.barMs : this.o.fastMs);
    // events out of order would put a price in the wrong bar: refuse them
    const ordered = close > this.lastClose || (close === this.lastClose && this.lastKind === "fast");
    if (!ordered) {
      throw new Error(`hybrid replay: ${ev.kind} bar at ${new Date(ev.ts).toISOString()} is out of order`);
    }
    this.lastClose = close;
    this.lastKind = ev.kind;
    return ev.kind === "slow" ? this.slow(ev, close) : this.fast(ev, close);
  }

  /** §2 eod of a bar closing at `close` whose next bar starts at `next` (lasting `ms`). */
  private eodAt(close: number, next: number | null, ms: number): boolean {
    const cal = this.o.calendar;
    const newDayNext = next !== null && cal.tradingDay(next + ms) !== cal.tradingDay(close);
    return this.flatTimeSet && (cal.atFlatTime(close) || newDayNext);
  }

  private slow(ev: HybridSlowEvent, close: number): SignalTrace | null {
    this.i++;
    const ind = this.indicators.push(ev.a, ev.b);
    const gatesOk = gatesAllow(ind, this.gates);
    this.completed = { i: this.i, ts: ev.ts, ind, gatesOk };
    if (ev.ts < this.o.decideFromTs) return null;

    const eod = this.eodAt(close, ev.nextTs, this.o.barMs);
    const windowOk = this.o.calendar.windowOk(close);
    const last = ev.nextTs === null;
    let r: StepResult | null = null;
    if (this.o.engine === "hybrid_dollar") {
      r = this.machine.step({
        i: this.i,
        a: ev.a,
        b: ev.b,
        z: ind.z,
        beta: ind.beta,
        eod,
        windowOk,
        last,
        gatesOk,
      });
    }
    return this.trace(ev, close, "slow", this.i, r, indicatorFacts(ind, gatesOk, windowOk, eod, last));
  }

  private fast(ev: HybridFastEvent, close: number): SignalTrace | null {
    const done = this.completed;
    // a fast bar in a gap of the slow join, or inside a warm-up bar: never scanned
    if (ev.slowTs === null || ev.slowTs < this.o.decideFromTs) return null;
    if (done !== null && !(ev.slowTs > done.ts)) {
      throw new Error(
        `hybrid replay: fast bar at ${new Date(ev.ts).toISOString()} inside a completed slow bar`,
      );
    }
    const k = this.i + 1; // the slow bar holding it: the one after the last completed bar
    if (this.o.engine === "hybrid_dollar") {
      const r = this.dollarOn ? this.machine.dollarLevels(k, ev.a, ev.b) : null;
      return this.trace(ev, close, "fast", k, r, PRICES_ONLY);
    }
    // z-live: only with a completed DECISION bar before it (the window's first bar has none, §10)
    if (done === null || done.ts < this.o.decideFromTs) return null;
    const { beta, alpha, mu, sigma } = done.ind;
    const la = Math.log(ev.a);
    const lb = Math.log(ev.b);
    const z = sigma > 0 ? (la - beta * lb - alpha - mu) / sigma : Number.NaN;
    const eod = this.eodAt(close, ev.nextTs, this.o.fastMs);
    const windowOk = this.o.calendar.windowOk(close);
    const maxHoldDue = this.machine.inPosition && close - this.entryTs >= this.maxHoldMs;
    const r = this.machine.step({
      i: k,
      a: ev.a,
      b: ev.b,
      z,
      beta,
      eod,
      windowOk,
      last: ev.lastInSlowBars,
      gatesOk: done.gatesOk,
      maxHoldDue,
      levelFills: true,
    });
    if (r.entry !== 0) this.entryTs = close;
    return this.trace(ev, close, "fast", k, r, {
      beta,
      alpha,
      spread: la - beta * lb - alpha,
      mu,
      sigma,
      z,
      corr: done.ind.corr,
      hurst: done.ind.hurst,
      half_life: done.ind.halfLife,
      adf_stat: done.ind.adfStat,
      adf_pvalue: done.ind.adfPvalue,
      gates_ok: done.gatesOk,
      window_ok: windowOk,
      eod,
      last: ev.lastInSlowBars,
    });
  }

  private trace(
    ev: HybridEvent,
    close: number,
    event: "slow" | "fast",
    i: number,
    r: StepResult | null,
    facts: Readonly<TraceBarFacts>,
  ): SignalTrace {
    const m = this.machine;
    const pos = r === null ? this.machine.position : r.position;
    const state = r === null ? this.machine.stateNow : r.state;
    return {
      path: "replay",
      ts: ev.ts,
      i,
      inputs_hash: inputsHash(ev.ts, ev.a, ev.b),
      a: ev.a,
      b: ev.b,
      ...facts,
      state: STATE_NAMES[state]!,
      decision: r === null ? "NONE" : decisionName(r.exit?.reason ?? null, r.entry),
      position: pos === null ? 0 : pos.side,
      beta_entry: pos === null ? Number.NaN : pos.beta,
      n_a: pos === null ? 0 : pos.na,
      n_b: pos === null ? 0 : pos.nb,
      trade_pnl: r?.exit == null ? Number.NaN : r.exit.pnlNet,
      realized: m.realizedNow,
      equity: m.markToMarket(ev.a, ev.b),
      config_hash: this.configHash,
      event,
      close_ts: close,
    };
  }
}

/** Feeds every event to `engine`, one at a time, and collects the decision traces. */
export async function replayHybridFeed(
  feed: AsyncIterable<HybridEvent>,
  engine: HybridReplayEngine,
): Promise<SignalTrace[]> {
  const traces: SignalTrace[] = [];
  for await (const ev of feed) {
    const t = engine.push(ev);
    if (t !== null) traces.push(t);
  }
  return traces;
}
