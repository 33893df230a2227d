// The live engine, fed one bar at a time: incremental indicators from the bars seen so far, the
// session calendar at the bar's close, the next-bar schedule for `eod` and the last bar, the gate
// filter and the §5 step. Bars before `decideFromTs` are warm-up: they feed the indicators and
// never trade. Every decision bar returns its `SignalTrace`.
import { STATE_NAMES } from "../rules/enums.js";
import type { SessionCalendar } from "../calendar/session-calendar.js";
import type { BarFeed, ReplayBar } from "./bar-feed.js";
import { gatesAllow, type GateThresholds, gateThresholds } from "./gate-filter.js";
import { IncrementalIndicators, type IndicatorPlan } from "./incremental-indicators.js";
import type { NextBarSchedule } from "./next-bar-schedule.js";
import { indicatorFacts } from "./trace-facts.js";
import { SignalStateMachine, signalParams } from "./signal-state-machine.js";
import { decisionName, inputsHash, runConfigHash, type SignalTrace } from "../parity/signal-trace.js";

/**
 * Deliberate bugs for the fault-injection tests of the parity gate: never set outside tests.
 * Each one mimics a mistake a live engine can make, so the tests can show the gate catches it.
 */
export interface ReplayFaultHooks {
  /** The beta an entry sizes with (and records), given the entry bar's beta and the previous bar's. */
  sizingBeta?: (beta: number, previousBeta: number) => number;
}

export interface ReplayEngineOptions {
  plan: IndicatorPlan;
  /** Config vector (config-vector.ts) of the combination. */
  cfg: Float64Array;
  calendar: SessionCalendar;
  barMs: number;
  schedule: NextBarSchedule;
  /** Index in the batch's aligned series of the first bar pushed (aligns the stats' rebuilds). */
  firstIndex: number;
  /** Bars starting before this instant are warm-up. */
  decideFromTs: number;
  hooks?: ReplayFaultHooks;
}

export class ReplayEngine {
  private readonly indicators: IncrementalIndicators;
  private readonly machine: SignalStateMachine;
  private readonly gates: GateThresholds;
  private readonly flatTimeSet: boolean;
  private readonly configHash: string;
  private i: number;
  private lastTs = Number.NEGATIVE_INFINITY;
  private previousBeta = Number.NaN;

  constructor(private readonly o: ReplayEngineOptions) {
    this.indicators = new IncrementalIndicators(o.plan, o.firstIndex);
    this.machine = new SignalStateMachine(signalParams(o.cfg));
    this.gates = gateThresholds(o.cfg);
    this.flatTimeSet = o.calendar.settings.flat_time !== null;
    this.i = o.firstIndex - 1;
    this.configHash = runConfigHash(o.plan, o.cfg, o.calendar.settings, o.barMs);
  }

  /** Processes the next bar: its trace on a decision bar, null during warm-up. */
  push(bar: ReplayBar): SignalTrace | null {
    // a repeated or late bar would silently shift every window: refuse it
    if (!(bar.ts > this.lastTs)) {
      throw new Error(`replay: bar at ${new Date(bar.ts).toISOString()} does not follow the previous bar`);
    }
    this.lastTs = bar.ts;
    this.i++;
    const ind = this.indicators.push(bar.a, bar.b);
    const previousBeta = this.previousBeta;
    this.previousBeta = ind.beta;
    if (bar.ts < this.o.decideFromTs) return null;

    const { calendar, barMs } = this.o;
    const close = bar.ts + barMs;
    const next = this.o.schedule.nextBarStart(bar);
    const last = next === null;
    const newDayNext = next !== null && calendar.tradingDay(next + barMs) !== calendar.tradingDay(close);
    // §2: eod needs flat_time; then flat_time reached, or the next bar on another trading day
    const eod = this.flatTimeSet && (calendar.atFlatTime(close) || newDayNext);
    const windowOk = calendar.windowOk(close);
    const gatesOk = gatesAllow(ind, this.gates);
    const sizingBeta = this.o.hooks?.sizingBeta?.(ind.beta, previousBeta) ?? ind.beta;

    const r = this.machine.step({
      i: this.i,
      a: bar.a,
      b: bar.b,
      z: ind.z,
      beta: sizingBeta,
      eod,
      windowOk,
      last,
      gatesOk,
    });
    const pos = r.position;
    return {
      path: "replay",
      ts: bar.ts,
      i: this.i,
      inputs_hash: inputsHash(bar.ts, bar.a, bar.b),
      a: bar.a,
      b: bar.b,
      ...indicatorFacts(ind, gatesOk, windowOk, eod, last),
      state: STATE_NAMES[r.state]!,
      decision: decisionName(r.exit?.reason ?? null, r.entry),
      position: pos === null ? 0 : pos.side,
      beta_entry: pos === null ? Number.NaN : pos.beta,
      n_a: pos === null ? 0 : pos.na,
      n_b: pos === null ? 0 : pos.nb,
      trade_pnl: r.exit === null ? Number.NaN : r.exit.pnlNet,
      realized: r.realized,
      equity: r.equity,
      config_hash: this.configHash,
    };
  }
}

/** Feeds every bar of `feed` to `engine`, one at a time, and collects the decision traces. */
export async function replayFeed(feed: BarFeed, engine: ReplayEngine): Promise<SignalTrace[]> {
  const traces: SignalTrace[] = [];
  for await (const bar of feed) {
    const t = engine.push(bar);
    if (t !== null) traces.push(t);
  }
  return traces;
}
