// AssemblyScript, compiled to WebAssembly with SIMD by scripts/build-wasm.mjs: the screens of the
// two passes of streamed CSCV (src/robustness/cscv-kernel.ts), two rows at a time in the two
// lanes of an f64x2. A screen settles only what is certain and lists the rest for the JavaScript
// kernel, which decides it with its own exact arithmetic; the numbers are those of SplitKernel's
// own loops (the same IEEE operations in the same order), but nothing here has to be exact for
// the result to be: see cscv-simd.ts beside cscv-kernel.ts.
//
// Memory is laid out by the caller (byte offsets into this module's memory); nothing here
// allocates. Row r's fold f is at r·F + f in three arrays: days (i32), Σx and Σx² (f64); nRows is
// even.
// Per half h: B table slots (i32, b·16 + the half's folds of block b as bits), as SplitKernel.

const MARGIN: f64 = 1e-9;
const VARIANCE_FLOOR: f64 = 1e-12;

/** The pair's two cells at byte offset `at` of rows `ra` and `rb` of an array at `base`. */
function pairAt(base: usize, ra: usize, rb: usize, at: usize): v128 {
  return f64x2.replace_lane(f64x2.splat(load<f64>(base + ra + at)), 1, load<f64>(base + rb + at));
}

/**
 * The pair's days at byte offset `at` of rows `ra` and `rb` as f64 (exactly): the days are i32s,
 * laid out like the f64 arrays at half the stride, so the offsets are halved.
 */
function pairDays(nd: usize, ra: usize, rb: usize, at: usize): v128 {
  const half = at >> 1;
  const days = i32x4.replace_lane(
    i32x4.splat(load<i32>(nd + (ra >> 1) + half)),
    1,
    load<i32>(nd + (rb >> 1) + half),
  );
  return f64x2.convert_low_i32x4_s(days);
}

/** Tables (tn, ts, tq) at `tables`: per block 16 subset sums, each a v128 of the pair's two rows. */
function tableBytes(B: i32): usize {
  return <usize>B * 16 * 16;
}

/** Stores the 16 subset sums of one full block of 4 folds (f0 … f3), each one addition. */
function fullBlock(t: usize, f0: v128, f1: v128, f2: v128, f3: v128): void {
  const t0 = f64x2.splat(0);
  const t1 = f64x2.add(t0, f0);
  const t2 = f64x2.add(t0, f1);
  const t3 = f64x2.add(t1, f1);
  const t4 = f64x2.add(t0, f2);
  const t5 = f64x2.add(t1, f2);
  const t6 = f64x2.add(t2, f2);
  const t7 = f64x2.add(t3, f2);
  v128.store(t, t0);
  v128.store(t, t1, 16);
  v128.store(t, t2, 32);
  v128.store(t, t3, 48);
  v128.store(t, t4, 64);
  v128.store(t, t5, 80);
  v128.store(t, t6, 96);
  v128.store(t, t7, 112);
  v128.store(t, f64x2.add(t0, f3), 128);
  v128.store(t, f64x2.add(t1, f3), 144);
  v128.store(t, f64x2.add(t2, f3), 160);
  v128.store(t, f64x2.add(t3, f3), 176);
  v128.store(t, f64x2.add(t4, f3), 192);
  v128.store(t, f64x2.add(t5, f3), 208);
  v128.store(t, f64x2.add(t6, f3), 224);
  v128.store(t, f64x2.add(t7, f3), 240);
}

/**
 * The pair's totals (0 + folds ascending) into `totals` (n, s, q as three v128) and every block's
 * subset sums into the tables (a subset's sums are those of the subset without its highest fold
 * plus that fold), as SplitKernel.rowSums does for one row. A full block's folds are read once.
 */
function pairSums(
  nd: usize,
  pnl: usize,
  pq: usize,
  ra: usize,
  rb: usize,
  F: i32,
  B: i32,
  tables: usize,
  totals: usize,
): void {
  const tn = tables;
  const ts = tables + tableBytes(B);
  const tq = tables + 2 * tableBytes(B);
  let nT = f64x2.splat(0);
  let sT = f64x2.splat(0);
  let qT = f64x2.splat(0);
  for (let b = 0; b < B; b++) {
    const o = <usize>b * 256;
    const first = b * 4;
    const folds = min(4, F - first);
    if (folds === 4) {
      const at = <usize>first * 8;
      const n0 = pairDays(nd, ra, rb, at);
      const n1 = pairDays(nd, ra, rb, at + 8);
      const n2 = pairDays(nd, ra, rb, at + 16);
      const n3 = pairDays(nd, ra, rb, at + 24);
      const s0 = pairAt(pnl, ra, rb, at);
      const s1 = pairAt(pnl, ra, rb, at + 8);
      const s2 = pairAt(pnl, ra, rb, at + 16);
      const s3 = pairAt(pnl, ra, rb, at + 24);
      const q0 = pairAt(pq, ra, rb, at);
      const q1 = pairAt(pq, ra, rb, at + 8);
      const q2 = pairAt(pq, ra, rb, at + 16);
      const q3 = pairAt(pq, ra, rb, at + 24);
      nT = f64x2.add(f64x2.add(f64x2.add(f64x2.add(nT, n0), n1), n2), n3);
      sT = f64x2.add(f64x2.add(f64x2.add(f64x2.add(sT, s0), s1), s2), s3);
      qT = f64x2.add(f64x2.add(f64x2.add(f64x2.add(qT, q0), q1), q2), q3);
      fullBlock(tn + o, n0, n1, n2, n3);
      fullBlock(ts + o, s0, s1, s2, s3);
      fullBlock(tq + o, q0, q1, q2, q3);
      continue;
    }
    const zero = f64x2.splat(0);
    v128.store(tn + o, zero);
    v128.store(ts + o, zero);
    v128.store(tq + o, zero);
    for (let j = 0; j < folds; j++) {
      const at = <usize>(first + j) * 8;
      nT = f64x2.add(nT, pairDays(nd, ra, rb, at));
      sT = f64x2.add(sT, pairAt(pnl, ra, rb, at));
      qT = f64x2.add(qT, pairAt(pq, ra, rb, at));
    }
    for (let bits = 1; bits < 1 << folds; bits++) {
      const top = 31 - clz(bits);
      const from = o + <usize>(bits ^ (1 << top)) * 16;
      const to = o + <usize>bits * 16;
      const at = <usize>(first + top) * 8;
      v128.store(tn + to, f64x2.add(v128.load(tn + from), pairDays(nd, ra, rb, at)));
      v128.store(ts + to, f64x2.add(v128.load(ts + from), pairAt(pnl, ra, rb, at)));
      v128.store(tq + to, f64x2.add(v128.load(tq + from), pairAt(pq, ra, rb, at)));
    }
  }
  v128.store(totals, nT);
  v128.store(totals, sT, 16);
  v128.store(totals, qT, 32);
}

/**
 * An upper bound on the pair's Sharpe over any half of at least kMin folds, per lane
 * (split-bound.ts's HalfBound, with every positive c_f summed rather than the kMax largest: a
 * little looser, no selection); +∞ in a lane where it gives none (a positive fold without spread,
 * a NaN Σx, fewer than 2 days).
 */
function pairBound(nd: usize, pnl: usize, pq: usize, ra: usize, rb: usize, F: i32, kMin: i32): v128 {
  const zero = f64x2.splat(0);
  let all = zero;
  let fewest = f64x2.splat(Infinity);
  let none = zero; // lanes without a bound (all ones)
  for (let f = 0; f < F; f++) {
    const at = <usize>f * 8;
    const s = pairAt(pnl, ra, rb, at);
    const n = pairDays(nd, ra, rb, at);
    // `n < fewest ? n : fewest`, as HalfBound's `if (n < fewestDays)` (a NaN n changes nothing)
    fewest = f64x2.pmin(fewest, n);
    const q = pairAt(pq, ra, rb, at);
    const w = f64x2.sub(f64x2.sub(q, f64x2.mul(s, f64x2.div(s, n))), f64x2.mul(f64x2.splat(1e-9), q));
    const pos = f64x2.gt(s, zero);
    none = v128.or(none, v128.andnot(pos, f64x2.gt(w, zero)));
    none = v128.or(none, v128.not(v128.or(pos, f64x2.le(s, zero))));
    all = f64x2.add(all, v128.and(pos, f64x2.div(f64x2.mul(s, s), w)));
  }
  const n = f64x2.mul(f64x2.splat(<f64>kMin), fewest);
  none = v128.or(none, v128.not(f64x2.ge(n, f64x2.splat(2))));
  const root = f64x2.div(f64x2.sqrt(f64x2.sub(n, f64x2.splat(1))), n);
  const b = f64x2.add(
    f64x2.mul(f64x2.mul(f64x2.mul(f64x2.splat(Math.sqrt(252)), root), f64x2.sqrt(all)), f64x2.splat(1.02)),
    f64x2.splat(1e-6),
  );
  return v128.bitselect(f64x2.splat(Infinity), b, none);
}

/** Σ over the half's B table slots, the first one alone then the others in order. */
function halfSum(table: usize, sp: usize, B: i32): v128 {
  let acc = v128.load(table + <usize>load<i32>(sp) * 16);
  for (let j = 1; j < B; j++) {
    acc = f64x2.add(acc, v128.load(table + <usize>load<i32>(sp + <usize>j * 4) * 16));
  }
  return acc;
}

/** halfSum of four slots given as byte offsets: the first, then the others in order. */
function sum4(table: usize, o0: usize, o1: usize, o2: usize, o3: usize): v128 {
  const a = f64x2.add(v128.load(table + o0), v128.load(table + o1));
  return f64x2.add(f64x2.add(a, v128.load(table + o2)), v128.load(table + o3));
}

/** sign(a)·a² of a half's Sharpe without its divisions and root: s·|s|·(n−1)·252 (cscv-kernel.ts). */
function lhs(n: v128, s: v128): v128 {
  return f64x2.mul(f64x2.mul(s, f64x2.abs(s)), f64x2.mul(f64x2.sub(n, f64x2.splat(1)), f64x2.splat(252)));
}

/** The same for a threshold x given as x·|x|: x·|x|·(n²·ss). */
function rhs(xx: v128, n: v128, ss: v128): v128 {
  return f64x2.mul(xx, f64x2.mul(f64x2.mul(n, n), ss));
}

function margin(l: v128, r: v128): v128 {
  return f64x2.mul(f64x2.splat(MARGIN), f64x2.add(f64x2.abs(l), f64x2.abs(r)));
}

// The listing state of a screen call (list, endPair).
/** Entries in `out`, and lane-1 entries held in `tmp` until the pair's row 0 is listed. */
let listed = 0;
let held = 0;

/**
 * Lists the pair's entry `at` (row 0's index r·K + k; row 1's is K more) with the sides set in
 * the lane masks mA (side 1) and mB (side 2): row 0's at once, row 1's held until endPair.
 */
function list(out: usize, tmp: usize, at: i32, K: i32, mA: i32, mB: i32): void {
  const bits0 = (mA & 1) | ((mB & 1) << 1);
  const bits1 = ((mA >> 1) & 1) | (mB & 2);
  if (bits0 !== 0) {
    store<i32>(out + <usize>listed * 4, at * 4 + bits0);
    listed++;
  }
  if (bits1 !== 0) {
    store<i32>(tmp + <usize>held * 4, (at + K) * 4 + bits1);
    held++;
  }
}

/** Row 1's held entries after row 0's, so the list goes row by row. */
function endPair(out: usize, tmp: usize): void {
  memory.copy(out + <usize>listed * 4, tmp, <usize>held * 4);
  listed += held;
  held = 0;
}

/**
 * Pass 1's screen: for every row and half, whether the row may be the in-sample winner on side A
 * (IS = A) or B: its half Sharpe is a number and not certainly below the split's best so far
 * (valA / valB per half, −∞ for none). Lists (r·H + h)·4 + bits (1: side A, 2: side B) for the
 * rows that may, row by row; returns how many. `tmp` holds H entries. A pair of rows whose bounds
 * (pairBound) are both below `floor`, the lowest best of any split, wins nothing: it is passed
 * over and counted (2 rows) in the i32 at `skipped`.
 */
export function best(
  nd: usize,
  pnl: usize,
  pq: usize,
  nRows: i32,
  F: i32,
  B: i32,
  slots: usize,
  H: i32,
  valA: usize,
  valB: usize,
  floor: f64,
  kMin: i32,
  skipped: usize,
  tables: usize,
  out: usize,
  tmp: usize,
): i32 {
  const tn = tables;
  const tb = tableBytes(B);
  const totals = tables + 3 * tb;
  const rowBytes = <usize>F * 8;
  const vf = f64x2.splat(VARIANCE_FLOOR);
  const two = f64x2.splat(2);
  const low = f64x2.splat(floor);
  listed = 0;
  for (let r = 0; r < nRows; r += 2) {
    const ra = <usize>r * rowBytes;
    // rows that cannot reach the lowest best of any split win nothing (split-bound.ts)
    if (
      floor > -Infinity &&
      v128.all_true<i64>(f64x2.lt(pairBound(nd, pnl, pq, ra, ra + rowBytes, F, kMin), low))
    ) {
      store<i32>(skipped, load<i32>(skipped) + 2);
      continue;
    }
    pairSums(nd, pnl, pq, ra, ra + rowBytes, F, B, tables, totals);
    const nT = v128.load(totals);
    const sT = v128.load(totals, 16);
    const qT = v128.load(totals, 32);
    const floorT = f64x2.mul(qT, vf);
    for (let h = 0; h < H; h++) {
      const sp = slots + <usize>h * <usize>B * 4;
      let n: v128, s: v128, q: v128;
      if (B === 4) {
        // 16 folds: the four slots read once for the three tables (halfSum's sums)
        const o0 = <usize>load<i32>(sp) * 16;
        const o1 = <usize>load<i32>(sp, 4) * 16;
        const o2 = <usize>load<i32>(sp, 8) * 16;
        const o3 = <usize>load<i32>(sp, 12) * 16;
        n = sum4(tn, o0, o1, o2, o3);
        s = sum4(tn + tb, o0, o1, o2, o3);
        q = sum4(tn + 2 * tb, o0, o1, o2, o3);
      } else {
        n = halfSum(tn, sp, B);
        s = halfSum(tn + tb, sp, B);
        q = halfSum(tn + 2 * tb, sp, B);
      }
      const nB = f64x2.sub(nT, n);
      const sB = f64x2.sub(sT, s);
      const qB = f64x2.sub(qT, q);
      const ssA = f64x2.sub(q, f64x2.mul(s, f64x2.div(s, n)));
      const ssB = f64x2.sub(qB, f64x2.mul(sB, f64x2.div(sB, nB)));
      const okA = v128.and(f64x2.ge(n, two), f64x2.gt(ssA, f64x2.mul(q, vf)));
      const okB = v128.and(f64x2.ge(nB, two), f64x2.gt(ssB, floorT));
      const xA = f64x2.splat(load<f64>(valA + <usize>h * 8));
      const xB = f64x2.splat(load<f64>(valB + <usize>h * 8));
      const lA = lhs(n, s);
      const rA = rhs(f64x2.mul(xA, f64x2.abs(xA)), n, ssA);
      const lB = lhs(nB, sB);
      const rB = rhs(f64x2.mul(xB, f64x2.abs(xB)), nB, ssB);
      const candA = v128.andnot(okA, f64x2.lt(lA, f64x2.sub(rA, margin(lA, rA))));
      const candB = v128.andnot(okB, f64x2.lt(lB, f64x2.sub(rB, margin(lB, rB))));
      const mA = i64x2.bitmask(candA);
      const mB = i64x2.bitmask(candB);
      if ((mA | mB) !== 0) list(out, tmp, r * H + h, H, mA, mB);
    }
    endPair(out, tmp);
  }
  return listed;
}

/**
 * Pass 2's counts, where certain: per half, rows whose B Sharpe is certainly below the A-winner's
 * OOS value (given as x·|x| in xxA) add 1 to accA[h] (an i64 per lane), and those whose A Sharpe
 * is certainly below the B-winner's (xxB) to accB[h]. A row and half where either side is not
 * certain (a close call, a null Sharpe) is listed as (r·H + h)·4 + bits (1: side A, 2: side B)
 * for the caller to rank exactly, and adds nothing on that side. Returns how many are listed.
 */
export function count(
  nd: usize,
  pnl: usize,
  pq: usize,
  nRows: i32,
  F: i32,
  B: i32,
  slots: usize,
  H: i32,
  xxA: usize,
  xxB: usize,
  accA: usize,
  accB: usize,
  tables: usize,
  out: usize,
  tmp: usize,
): i32 {
  const tn = tables;
  const tb = tableBytes(B);
  const totals = tables + 3 * tb;
  const rowBytes = <usize>F * 8;
  const vf = f64x2.splat(VARIANCE_FLOOR);
  const two = f64x2.splat(2);
  listed = 0;
  for (let r = 0; r < nRows; r += 2) {
    const ra = <usize>r * rowBytes;
    pairSums(nd, pnl, pq, ra, ra + rowBytes, F, B, tables, totals);
    const nT = v128.load(totals);
    const sT = v128.load(totals, 16);
    const qT = v128.load(totals, 32);
    const floorT = f64x2.mul(qT, vf);
    for (let h = 0; h < H; h++) {
      const sp = slots + <usize>h * <usize>B * 4;
      let n: v128, s: v128, q: v128;
      if (B === 4) {
        // 16 folds: the four slots read once for the three tables (halfSum's sums)
        const o0 = <usize>load<i32>(sp) * 16;
        const o1 = <usize>load<i32>(sp, 4) * 16;
        const o2 = <usize>load<i32>(sp, 8) * 16;
        const o3 = <usize>load<i32>(sp, 12) * 16;
        n = sum4(tn, o0, o1, o2, o3);
        s = sum4(tn + tb, o0, o1, o2, o3);
        q = sum4(tn + 2 * tb, o0, o1, o2, o3);
      } else {
        n = halfSum(tn, sp, B);
        s = halfSum(tn + tb, sp, B);
        q = halfSum(tn + 2 * tb, sp, B);
      }
      const nB = f64x2.sub(nT, n);
      const sB = f64x2.sub(sT, s);
      const qB = f64x2.sub(qT, q);
      // the A-winner's OOS value among the rows' B Sharpes, then the B-winner's among the A ones
      const ssB = f64x2.sub(qB, f64x2.mul(sB, f64x2.div(sB, nB)));
      const lB = lhs(nB, sB);
      const rB = rhs(f64x2.splat(load<f64>(xxA + <usize>h * 8)), nB, ssB);
      const mgB = margin(lB, rB);
      const okB = v128.and(f64x2.ge(nB, two), f64x2.gt(ssB, floorT));
      const bBelow = v128.and(okB, f64x2.lt(lB, f64x2.sub(rB, mgB)));
      const certainB = v128.or(bBelow, v128.and(okB, f64x2.gt(lB, f64x2.add(rB, mgB))));
      const ssA = f64x2.sub(q, f64x2.mul(s, f64x2.div(s, n)));
      const lA = lhs(n, s);
      const rA = rhs(f64x2.splat(load<f64>(xxB + <usize>h * 8)), n, ssA);
      const mgA = margin(lA, rA);
      const okA = v128.and(f64x2.ge(n, two), f64x2.gt(ssA, f64x2.mul(q, vf)));
      const aBelow = v128.and(okA, f64x2.lt(lA, f64x2.sub(rA, mgA)));
      const certainA = v128.or(aBelow, v128.and(okA, f64x2.gt(lA, f64x2.add(rA, mgA))));
      // a true lane is all ones (−1 as an i64): subtracting it counts 1
      const pa = accA + <usize>h * 16;
      const pb = accB + <usize>h * 16;
      v128.store(pa, i64x2.sub(v128.load(pa), bBelow));
      v128.store(pb, i64x2.sub(v128.load(pb), aBelow));
      const uA = i64x2.bitmask(v128.not(certainB));
      const uB = i64x2.bitmask(v128.not(certainA));
      if ((uA | uB) !== 0) list(out, tmp, r * H + h, H, uA, uB);
    }
    endPair(out, tmp);
  }
  return listed;
}

/**
 * Walk-forward's screen (walk-forward-kernel.ts): per row and training range, whether the row may
 * be the range's best — its Sharpe over the range's folds is a number and not certainly below the
 * stream's best so far (given as x·|x| per range slot in xx; NaN: no best yet). Ranges come as
 * chains sharing a start: chain c starts at fold starts[c] and has the slots chainAt[c] …
 * chainAt[c+1], whose ends (exclusive) ascend. Lists (r·J + j)·4 for the rows that may, row by
 * row, J being the number of slots; returns how many. `tmp` holds J entries.
 */
export function walkForward(
  nd: usize,
  pnl: usize,
  pq: usize,
  nRows: i32,
  F: i32,
  nChains: i32,
  starts: usize,
  chainAt: usize,
  ends: usize,
  xx: usize,
  out: usize,
  tmp: usize,
): i32 {
  const rowBytes = <usize>F * 8;
  const J = load<i32>(chainAt + <usize>nChains * 4);
  const vf = f64x2.splat(VARIANCE_FLOOR);
  const two = f64x2.splat(2);
  listed = 0;
  for (let r = 0; r < nRows; r += 2) {
    const ra = <usize>r * rowBytes;
    const rb = ra + rowBytes;
    for (let c = 0; c < nChains; c++) {
      let n = f64x2.splat(0);
      let s = f64x2.splat(0);
      let q = f64x2.splat(0);
      let f = load<i32>(starts + <usize>c * 4);
      const j1 = load<i32>(chainAt + (<usize>c + 1) * 4);
      for (let j = load<i32>(chainAt + <usize>c * 4); j < j1; j++) {
        for (const end = load<i32>(ends + <usize>j * 4); f < end; f++) {
          const at = <usize>f * 8;
          n = f64x2.add(n, pairDays(nd, ra, rb, at));
          s = f64x2.add(s, pairAt(pnl, ra, rb, at));
          q = f64x2.add(q, pairAt(pq, ra, rb, at));
        }
        const ss = f64x2.sub(q, f64x2.mul(s, f64x2.div(s, n)));
        const ok = v128.and(f64x2.ge(n, two), f64x2.gt(ss, f64x2.mul(q, vf)));
        const l = lhs(n, s);
        const rr = rhs(f64x2.splat(load<f64>(xx + <usize>j * 8)), n, ss);
        const cand = i64x2.bitmask(v128.andnot(ok, f64x2.lt(l, f64x2.sub(rr, margin(l, rr)))));
        if (cand !== 0) list(out, tmp, r * J + j, J, cand, 0);
      }
    }
    endPair(out, tmp);
  }
  return listed;
}
