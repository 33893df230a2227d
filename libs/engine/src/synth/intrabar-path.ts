// Price paths inside one slow bar, for both legs at once, ending exactly on the slow closes.
//
// The slow closes come first (pair-model.ts); this fills in what happened between them. Each slow
// bar is cut into K steps (fast bars of fast_seconds, or 30-second points when no fast bars are
// written, which then only shape the slow bar's open/high/low). For each leg:
//   1. presence: each fast bar exists with probability 0.99 in regular trading hours and 0.93
//      otherwise (1-second data only has bars with trades; BENCH.md sizes assume ≈ 95 %); at least one exists. The leg's path
//      ends at its LAST PRESENT fast bar: after the last trade the price does not move.
//   2. a Brownian bridge in log price from the previous slow close (step 0) to this slow close
//      (after the last present bar), with the slow bar's volatility spread over the K steps. The
//      two legs' increments are correlated like their slow returns, so 1-minute returns built from
//      fast bars stay as correlated as the slow ones. Interior points are rounded to the tick; the
//      two ends are the slow closes themselves, exactly.
//   3. fast bar k opens at point k and closes at point k+1; about one bar in five stretches its
//      high or low by one tick. The slow bar's volume is shared over the present fast bars (each
//      at least 1), and trades / bid / ask volumes are the fast bars' sums.
// So, per leg and slow bar: the last present fast bar closes at the slow close, the slow open is the
// first present fast bar's open, and the slow high/low are the fast bars' max/min.
import { Rng } from "./prng.js";

/** Spacing of the points that shape a slow bar's open/high/low when no fast bars are made. */
export const COARSE_STEP_SECONDS = 30;
const PRESENT_RTH = 0.99;
const PRESENT_ETH = 0.93;
const U12 = 1 / 4096;

/** One leg's view of one slow bar: its fast bars (index 0…count−1) and the slow bar itself. */
export class LegIntrabar {
  count = 0;
  /** Index of each fast bar within the slow bar: it starts `step·fast_seconds` after the slot. */
  readonly step: Int32Array;
  /** Fast bar prices in ticks. */
  readonly open: Int32Array;
  readonly high: Int32Array;
  readonly low: Int32Array;
  readonly close: Int32Array;
  readonly volume: Int32Array;
  readonly trades: Int32Array;
  readonly bidVolume: Int32Array;
  readonly askVolume: Int32Array;
  /** The slow bar, prices in ticks. */
  slowOpen = 0;
  slowHigh = 0;
  slowLow = 0;
  slowClose = 0;
  slowVolume = 0;
  slowTrades = 0;
  slowBidVolume = 0;
  slowAskVolume = 0;
  /** Scratch: presence per step, path points in ticks, volume weights. */
  readonly present: Uint8Array;
  readonly path: Int32Array;
  readonly weight: Float64Array;
  /** Steps up to and including the last present fast bar (the bridge's length). */
  end = 0;

  constructor(steps: number) {
    this.step = new Int32Array(steps);
    this.open = new Int32Array(steps);
    this.high = new Int32Array(steps);
    this.low = new Int32Array(steps);
    this.close = new Int32Array(steps);
    this.volume = new Int32Array(steps);
    this.trades = new Int32Array(steps);
    this.bidVolume = new Int32Array(steps);
    this.askVolume = new Int32Array(steps);
    this.present = new Uint8Array(steps);
    this.path = new Int32Array(steps + 1);
    this.weight = new Float64Array(steps);
  }
}

/** What a leg needs from the slow model for one slot. */
export interface LegSlot {
  prevTicks: number;
  closeTicks: number;
  sigma: number;
  volume: number;
  missing: boolean;
}

export class IntrabarGenerator {
  readonly a: LegIntrabar;
  readonly b: LegIntrabar;
  private readonly rng: Rng;
  private readonly za: Float64Array;
  private readonly zb: Float64Array;
  private readonly rhoOrth: number;

  /**
   * `steps` per slow bar; `emitFast` false makes the coarse 30-second shape only (no presence gaps,
   * no fast-bar detail draws); `rho` is the correlation of the two legs' increments.
   */
  constructor(
    seed: number,
    stream: number,
    readonly steps: number,
    readonly emitFast: boolean,
    private readonly tickA: number,
    private readonly tickB: number,
    private readonly rho: number,
  ) {
    this.rng = new Rng(seed, stream);
    this.a = new LegIntrabar(steps);
    this.b = new LegIntrabar(steps);
    this.za = new Float64Array(steps + 1);
    this.zb = new Float64Array(steps + 1);
    this.rhoOrth = Math.sqrt(1 - rho * rho);
  }

  /** Fills `a` and `b` for one slot (a missing leg is left untouched). */
  fill(sa: LegSlot, sb: LegSlot, rth: boolean): void {
    const p = rth ? PRESENT_RTH : PRESENT_ETH;
    if (!sa.missing) this.choosePresent(this.a, p);
    if (!sb.missing) this.choosePresent(this.b, p);
    const n = Math.max(sa.missing ? 0 : this.a.end, sb.missing ? 0 : this.b.end);
    const { rng, za, zb, rho, rhoOrth } = this;
    for (let j = 1; j <= n; j++) {
      const z = rng.normal();
      zb[j] = z;
      za[j] = rho * z + rhoOrth * rng.normal();
    }
    if (!sa.missing) this.bridge(this.a, sa, za, this.tickA);
    if (!sb.missing) this.bridge(this.b, sb, zb, this.tickB);
    if (!sa.missing) this.bars(this.a, sa);
    if (!sb.missing) this.bars(this.b, sb);
  }

  private choosePresent(leg: LegIntrabar, p: number): void {
    const { present } = leg;
    const steps = this.steps;
    if (!this.emitFast) {
      present.fill(1);
      leg.end = steps;
      return;
    }
    let last = -1;
    for (let k = 0; k < steps; k++) {
      const on = this.rng.uniform() < p;
      present[k] = on ? 1 : 0;
      if (on) last = k;
    }
    if (last < 0) present[(last = steps - 1)] = 1;
    leg.end = last + 1;
  }

  /** Path points 0…end in ticks: a Brownian bridge from the previous close to this close. */
  private bridge(leg: LegIntrabar, s: LegSlot, z: Float64Array, tick: number): void {
    const { path, end } = leg;
    const sigmaStep = s.sigma / Math.sqrt(this.steps);
    const l0 = Math.log(s.prevTicks * tick);
    const l1 = Math.log(s.closeTicks * tick);
    let w = 0;
    for (let j = 1; j <= end; j++) w += sigmaStep * z[j];
    const drift = (w - (l1 - l0)) / end;
    path[0] = s.prevTicks;
    w = 0;
    for (let j = 1; j < end; j++) {
      w += sigmaStep * z[j];
      path[j] = Math.round(Math.exp(l0 + w - j * drift) / tick);
    }
    path[end] = s.closeTicks;
  }

  /** Fast bars from the path and presence, and the slow bar they add up to. */
  private bars(leg: LegIntrabar, s: LegSlot): void {
    const { path, present, end } = leg;
    const emit = this.emitFast;
    let count = 0;
    let hi = 0;
    let lo = Number.POSITIVE_INFINITY;
    let weights = 0;
    for (let k = 0; k < end; k++) {
      if (present[k] === 0) continue;
      const o = path[k];
      const c = path[k + 1];
      let h = Math.max(o, c);
      let l = Math.min(o, c);
      if (emit) {
        const r = this.rng.nextU32();
        const wiggle = r & 0xff;
        if (wiggle < 26) h++;
        else if (wiggle > 229 && l > 1) l--;
        const w = 0.5 + ((r >>> 8) & 0xfff) * U12;
        leg.weight[count] = w;
        weights += w;
        leg.trades[count] = wiggle; // raw bits, turned into a count below
        leg.bidVolume[count] = r >>> 20;
      }
      if (h > hi) hi = h;
      if (l < lo) lo = l;
      if (count === 0) leg.slowOpen = o;
      leg.step[count] = k;
      leg.open[count] = o;
      leg.high[count] = h;
      leg.low[count] = l;
      leg.close[count] = c;
      count++;
    }
    leg.count = count;
    leg.slowHigh = hi;
    leg.slowLow = lo;
    leg.slowClose = s.closeTicks;
    leg.slowVolume = s.volume;
    if (emit) this.shareVolume(leg, s.volume, weights);
    else this.slowOnlyFlow(leg, s.volume);
  }

  /** Volume of the slow bar shared over its fast bars by weight, at least 1 each, summing exactly. */
  private shareVolume(leg: LegIntrabar, total: number, weights: number): void {
    const n = leg.count;
    const extra = total - n; // ≥ 0: slow volumes are at least one per possible 1-second bar
    let used = 0;
    for (let k = 0; k < n; k++) used += leg.volume[k] = 1 + Math.floor((extra * leg.weight[k]) / weights);
    for (let k = 0; used < total; k = (k + 1) % n, used++) leg.volume[k]++;
    let trades = 0;
    let bid = 0;
    for (let k = 0; k < n; k++) {
      const v = leg.volume[k];
      const t = 1 + Math.floor((v - 1) * (0.35 + leg.trades[k] / 640));
      const b = Math.round(v * (0.3 + leg.bidVolume[k] * U12 * 0.4));
      leg.trades[k] = t;
      leg.bidVolume[k] = b;
      leg.askVolume[k] = v - b;
      trades += t;
      bid += b;
    }
    leg.slowTrades = trades;
    leg.slowBidVolume = bid;
    leg.slowAskVolume = total - bid;
  }

  /** Trades and bid/ask split of a slow bar when no fast bars are made. */
  private slowOnlyFlow(leg: LegIntrabar, total: number): void {
    const r = this.rng.nextU32();
    leg.slowTrades = Math.max(1, Math.round(total * (0.35 + (r & 0xfff) * U12 * 0.4)));
    leg.slowBidVolume = Math.round(total * (0.3 + (r >>> 20) * U12 * 0.4));
    leg.slowAskVolume = total - leg.slowBidVolume;
  }
}
