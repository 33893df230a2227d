// A family's base run in exact arithmetic (issue 19 item 5): when every net PnL of the run is a
// multiple of one power of two q and their absolute sum is small against 2^53·q, every sum of them
// is exact in doubles, whatever the grouping or order. Then a member need not add the base trades
// it keeps one by one to get the bits the sequential kernels get: its running total over a stretch
// of kept trades is its total before plus a difference of the base's prefix sums, its peak and
// drawdown over the stretch come from the range maximum, minimum and largest fall of those prefix
// sums (block summaries, below), and its daily series is the base run's with the trades it does
// not keep taken out and its own cut trades put in. Each of these is the exact value the
// sequential sum computes (no rounding ever happens), so the row is the same bits
// (event-family-kernel.ts decides where it applies; event-family-exact-property.test.ts holds it
// to the bar-scan kernel).
/*
 * Why it matters. A W6 family has 30 members over one base run of ~1,000–6,000 trades; each
 * member cuts a few to a few hundred of them. Walking every kept trade cost each member ~4,000
 * dependent floating additions, half of W6's kernel time; here a member pays for its cut trades,
 * its stretches (a block query each) and its daily series (a copy of nDays values), not for the
 * trades it shares with the base.
 *
 * Signed zeros. The sequential sums start at +0 and never become −0 (an exact zero sum of
 * non-zero terms is +0 in round-to-nearest); differences of equal values are +0 too, and peak and
 * drawdown change only on a strictly larger value, as in KernelTally.record. So equal values are
 * equal bits.
 */
import type { ExactSums, TradeRun } from "../rules/kernel-tally.js";

/** Prefix sums per block of the range summaries: 32 keeps a query to ≤ 64 steps plus m/32 blocks. */
const BLOCK = 32;
/** Sums stay below 2^52·q at most: every expression below adds at most 4 values of |x| ≤ 2^50·q. */
export const MAX_SCALED_ABS = 2 ** 50;
/** Finest grid tried: 2^-30 (a cent is not a power of two: prices in cents fall back). */
const MAX_SCALE = 2 ** 30;

/** The smallest power of two s ≤ MAX_SCALE with v·s an integer, or 0 when there is none. */
export function dyadicScale(v: number): number {
  let s = 1;
  while (!Number.isInteger(v * s)) {
    if (s >= MAX_SCALE) return 0;
    s *= 2;
  }
  return s;
}

/** What a member's exact tally reads of the base run: prefix sums and range summaries. */
export class ExactRun implements ExactSums {
  /** Trades in the run. */
  m = 0;
  /** Grid of the run's PnL: every net PnL times `scale` is an integer. */
  scale = 1;
  /** Σ |net PnL| of the run, times scale: what members add their own cut trades to. */
  scaledAbs = 0;
  /** prefixPnl[k] = Σ net PnL of trades 0 … k − 1; gain and loss likewise (exact). */
  prefixPnl = new Float64Array(257);
  prefixGain = new Float64Array(257);
  prefixLoss = new Float64Array(257);
  /** Per block of prefix indices [b·BLOCK, (b + 1)·BLOCK): max, min and largest fall within it. */
  private blockMax = new Float64Array(16);
  private blockMin = new Float64Array(16);
  private blockDrop = new Float64Array(16);
  /** The daily series (net PnL and trade count per day index) of the base run alone. */
  daily = new Float64Array(0);
  dayTrades = new Int32Array(0);
  /** Results of the last query: max, min and largest fall of prefixPnl over the range. */
  qMax = 0;
  qMin = 0;
  qDrop = 0;

  /**
   * Builds the sums of `run`'s first m trades; false (and nothing usable) when its PnL is not on
   * a power-of-two grid small enough for exact sums.
   */
  build(run: TradeRun, m: number, nDays: number): boolean {
    const { pnlNet, gain, loss, day } = run;
    let scale = 1;
    for (let k = 0; k < m; k++) {
      const p = pnlNet[k]!;
      if (!Number.isInteger(p * scale)) {
        const s = dyadicScale(p);
        if (s === 0) return false;
        if (s > scale) scale = s;
      }
    }
    let abs = 0;
    for (let k = 0; k < m; k++) abs += Math.abs(pnlNet[k]!);
    if (!(abs * scale <= MAX_SCALED_ABS)) return false;
    this.m = m;
    this.scale = scale;
    this.scaledAbs = abs * scale;
    if (this.prefixPnl.length < m + 1) {
      const cap = 2 * (m + 1);
      this.prefixPnl = new Float64Array(cap);
      this.prefixGain = new Float64Array(cap);
      this.prefixLoss = new Float64Array(cap);
    }
    const P = this.prefixPnl;
    const G = this.prefixGain;
    const L = this.prefixLoss;
    P[0] = 0;
    G[0] = 0;
    L[0] = 0;
    for (let k = 0; k < m; k++) {
      P[k + 1] = P[k]! + pnlNet[k]!;
      G[k + 1] = G[k]! + gain[k]!;
      L[k + 1] = L[k]! + loss[k]!;
    }
    const nBlocks = Math.floor(m / BLOCK) + 1;
    if (this.blockMax.length < nBlocks) {
      this.blockMax = new Float64Array(2 * nBlocks);
      this.blockMin = new Float64Array(2 * nBlocks);
      this.blockDrop = new Float64Array(2 * nBlocks);
    }
    for (let b = 0; b < nBlocks; b++) {
      const x1 = Math.min(m + 1, (b + 1) * BLOCK);
      let mx = -Infinity;
      let mn = Infinity;
      let drop = 0;
      for (let x = b * BLOCK; x < x1; x++) {
        const v = P[x]!;
        if (mx - v > drop) drop = mx - v;
        if (v > mx) mx = v;
        if (v < mn) mn = v;
      }
      this.blockMax[b] = mx;
      this.blockMin[b] = mn;
      this.blockDrop[b] = drop;
    }
    // exactly nDays long: members' tallies copy it whole
    if (this.daily.length !== nDays) {
      this.daily = new Float64Array(nDays);
      this.dayTrades = new Int32Array(nDays);
    }
    this.daily.fill(0, 0, nDays);
    this.dayTrades.fill(0, 0, nDays);
    for (let k = 0; k < m; k++) {
      this.daily[day[k]!] += pnlNet[k]!;
      this.dayTrades[day[k]!] += 1;
    }
    return true;
  }

  /**
   * Max, min and largest fall (max of P[x] − P[y], x ≤ y) of prefixPnl over indices a … b
   * (a ≤ b), into qMax, qMin, qDrop.
   */
  query(a: number, b: number): void {
    const P = this.prefixPnl;
    let mx = -Infinity;
    let mn = Infinity;
    let drop = 0;
    let x = a;
    if (b - a >= 2 * BLOCK) {
      // the head up to a block boundary, whole blocks, then the tail
      const head = (Math.floor(a / BLOCK) + 1) * BLOCK;
      for (; x < head; x++) {
        const v = P[x]!;
        if (mx - v > drop) drop = mx - v;
        if (v > mx) mx = v;
        if (v < mn) mn = v;
      }
      const bEnd = Math.floor((b + 1) / BLOCK);
      for (let blk = head / BLOCK; blk < bEnd; blk++) {
        const bmn = this.blockMin[blk]!;
        if (this.blockDrop[blk]! > drop) drop = this.blockDrop[blk]!;
        if (mx - bmn > drop) drop = mx - bmn;
        if (this.blockMax[blk]! > mx) mx = this.blockMax[blk]!;
        if (bmn < mn) mn = bmn;
      }
      x = bEnd * BLOCK;
    }
    for (; x <= b; x++) {
      const v = P[x]!;
      if (mx - v > drop) drop = mx - v;
      if (v > mx) mx = v;
      if (v < mn) mn = v;
    }
    this.qMax = mx;
    this.qMin = mn;
    this.qDrop = drop;
  }
}
