// In-memory synthetic pair (slow bars only), for tests and benchmarks: the same bars, byte for
// byte, as the slow CSV files of `pairgrid data synth` with the same options and no fast bars.
import { generatePair, LEG_INDEX_A, type PairSink } from "./generate-pair.js";
import { LEG_A, LEG_B } from "./instruments.js";
import type { LegIntrabar } from "./intrabar-path.js";
import { describeSynth, type SynthMeta } from "./synth-meta.js";
import { resolveSynthOptions, type SynthOptions } from "./synth-options.js";

/** One leg's slow bars: start times (UTC epoch ms) and prices in price units. */
export interface SynthLegBars {
  symbol: string;
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export interface SynthPair {
  a: SynthLegBars;
  b: SynthLegBars;
  meta: SynthMeta;
}

class LegCollector {
  n = 0;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;

  constructor(
    capacity: number,
    private readonly tick: number,
  ) {
    this.ts = new Float64Array(capacity);
    this.open = new Float64Array(capacity);
    this.high = new Float64Array(capacity);
    this.low = new Float64Array(capacity);
    this.close = new Float64Array(capacity);
    this.volume = new Float64Array(capacity);
  }

  add(ts: number, b: LegIntrabar): void {
    const i = this.n++;
    this.ts[i] = ts;
    this.open[i] = b.slowOpen * this.tick;
    this.high[i] = b.slowHigh * this.tick;
    this.low[i] = b.slowLow * this.tick;
    this.close[i] = b.slowClose * this.tick;
    this.volume[i] = b.slowVolume;
  }

  bars(symbol: string): SynthLegBars {
    const n = this.n;
    return {
      symbol,
      ts: this.ts.slice(0, n),
      open: this.open.slice(0, n),
      high: this.high.slice(0, n),
      low: this.low.slice(0, n),
      close: this.close.slice(0, n),
      volume: this.volume.slice(0, n),
    };
  }
}

/** Deterministic synthetic NQ/YM slow bars (missing bars left out of each leg). `fast_seconds` is ignored. */
export function synthesizePair(options: Partial<SynthOptions> = {}): SynthPair {
  const opts = resolveSynthOptions({ ...options, fast_seconds: null });
  // slots are known only after the schedule is built; a day holds at most 24 h of bars
  const capacity = opts.days * ((24 * 60) / opts.bar_minutes);
  const a = new LegCollector(capacity, LEG_A.tick_size);
  const b = new LegCollector(capacity, LEG_B.tick_size);
  let slotUtc: Float64Array = new Float64Array(0);
  const sink: PairSink = {
    begin(schedule) {
      slotUtc = schedule.utc;
    },
    bar(leg, slot, bars) {
      (leg === LEG_INDEX_A ? a : b).add(slotUtc[slot], bars);
    },
  };
  const gen = generatePair(opts, sink);
  return { a: a.bars(LEG_A.symbol), b: b.bars(LEG_B.symbol), meta: describeSynth(opts, gen, null) };
}
