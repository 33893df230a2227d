// Hybrid inputs for tests: hand-built fast bars under hand-built slow bars (makeHybrid), random
// consistent data for property tests (randomHybrid), and the kernels run into decoded trades and
// named statistics, so every test compares plain objects.
import { makeKernelScratch } from "../src/kernels/grid-kernel.js";
import { FOLD_WIDTH, N_STATS, statRowToObject } from "../src/statistics/stat-row.js";
import { allocFastCloses, type FastCloses } from "../src/loaders/fast-closes.js";
import { runHybridKernel } from "../src/kernels/hybrid-kernel.js";
import { KernelCall } from "../src/kernels/kernel-call.js";
import type { HybridInputs } from "../src/kernels/hybrid-inputs.js";
import {
  decodeHybridTrades,
  HYBRID_TRADE_RECORD_WIDTH,
  type HybridKernelTrade,
} from "../src/kernels/hybrid-trade-record.js";
import { slowFastIndex } from "../src/kernels/slow-fast-index.js";
import { zLiveRows, zLiveSeries } from "../src/kernels/zlive-rows.js";
import { type InputsSpec, makeInputs } from "./backtest-fixtures.js";

export const FAST_MS = 1000;

export interface HybridSpec {
  slow: InputsSpec;
  /** Per slow bar, its fast closes [a, b] in time order; the last one closes at the slow close. */
  fast: [number, number][][];
  alpha?: number[];
  mu?: number[];
  sigma?: number[];
  /** Per fast row (in order over all bars): eod / window_ok at its close (defaults 0 / 1). */
  fastEod?: number[];
  fastWindowOk?: number[];
}

/** Fast closes of slow bars starting at `slowTs` (300 s long): bar k's m rows end at its close. */
export function fastUnder(slowTs: Float64Array, slowBarMs: number, fast: [number, number][][]): FastCloses {
  const n = fast.reduce((s, rows) => s + rows.length, 0);
  const out = allocFastCloses(n, FAST_MS);
  let j = 0;
  fast.forEach((rows, k) => {
    rows.forEach(([a, b], r) => {
      out.ts[j] = slowTs[k] + slowBarMs - (rows.length - r) * FAST_MS;
      out.closeA[j] = a;
      out.closeB[j] = b;
      j++;
    });
  });
  return out;
}

export function makeHybrid(h: HybridSpec): HybridInputs {
  const slow = makeInputs(h.slow);
  if (h.fast.length !== slow.n) throw new Error(`fixture: ${h.fast.length} fast groups for ${slow.n} bars`);
  const fast = fastUnder(slow.ts, slow.barMs, h.fast);
  const col = (v: number[] | undefined, d: number) =>
    Float64Array.from(v ?? new Array<number>(slow.n).fill(d));
  return {
    slow,
    alpha: col(h.alpha, 0),
    mu: col(h.mu, 0),
    sigma: col(h.sigma, 1),
    fast,
    fastEod: Uint8Array.from(h.fastEod ?? new Array<number>(fast.n).fill(0)),
    fastWindowOk: Uint8Array.from(h.fastWindowOk ?? new Array<number>(fast.n).fill(1)),
  };
}

export interface KernelOutcome {
  trades: HybridKernelTrade[];
  stats: Record<string, number | null>;
  folds: Float64Array;
}

function runWith(
  nFolds: number,
  kernel: (row: Float64Array, folds: Float64Array, trades: Float64Array) => number,
  capacity: number,
): KernelOutcome {
  const row = new Float64Array(N_STATS);
  const folds = new Float64Array(nFolds * FOLD_WIDTH);
  const buf = new Float64Array((capacity + 1) * HYBRID_TRADE_RECORD_WIDTH);
  const n = kernel(row, folds, buf);
  return { trades: decodeHybridTrades(buf, n), stats: statRowToObject(row), folds };
}

export function dollarKernel(h: HybridInputs, cfg: Float64Array, nFolds = 16): KernelOutcome {
  const index = slowFastIndex(h.slow.ts, h.slow.barMs, h.fast);
  const hin = { slow: h.slow, fast: h.fast, source: { kind: "slow_bars", index } } as const;
  const scratch = makeKernelScratch(h.slow.nDays);
  return runWith(
    nFolds,
    (row, folds, buf) => runHybridKernel(new KernelCall(hin, cfg, row, folds, nFolds, scratch, buf)),
    h.slow.n,
  );
}

export function zLiveKernel(h: HybridInputs, cfg: Float64Array, nFolds = 16): KernelOutcome {
  const index = slowFastIndex(h.slow.ts, h.slow.barMs, h.fast);
  const rows = zLiveRows(index, h.fast, h.fastEod, h.fastWindowOk);
  const zLive = zLiveSeries(rows, h.slow.beta, h.alpha, h.mu, h.sigma);
  const scratch = makeKernelScratch(h.slow.nDays);
  return runWith(
    nFolds,
    (row, folds, buf) =>
      runHybridKernel(
        new KernelCall(
          { slow: h.slow, fast: h.fast, source: { kind: "zlive_rows", rows, zLive } },
          cfg,
          row,
          folds,
          nFolds,
          scratch,
          buf,
        ),
      ),
    rows.n,
  );
}

/** mulberry32: small, seedable, good enough to make test data. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomShape {
  seed: number;
  n: number;
  /** Fast rows per slow bar drawn from 0 … maxFast. */
  maxFast: number;
  /** 0: no eod; 1: eod on each day's last bar (and fast row); 2: random eod bars. */
  eodMode: number;
  windowMode: number;
  betaMode: number;
  nanRate: number;
  /** Slow close = last fast close (consistent data) or an independent price. */
  consistent: boolean;
  gates: boolean;
  /** Prices on a tick grid, so PnL lands exactly on dollar levels sometimes. */
  onGrid: boolean;
}

/**
 * Random hybrid data: a cointegrated pair at fast resolution (ln a = β·ln b + α + σ·s with s an
 * AR(1) around 0), slow closes from the last fast close of each bar (or independent when not
 * `consistent`), slow z an AR(1) of its own, and alpha/mu/sigma near the true ones, so that both
 * z_live and the slow z cross the thresholds often.
 */
export function randomHybrid(s: RandomShape): HybridInputs {
  const rnd = prng(s.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const n = s.n;
  const grid = (v: number, tick: number) => (s.onGrid ? Math.round(v / tick) * tick : v);
  const fast: [number, number][][] = [];
  const a: number[] = [];
  const b: number[] = [];
  const beta: number[] = [];
  const alpha: number[] = [];
  const mu: number[] = [];
  const sigma: number[] = [];
  const z: number[] = [];
  let lb = Math.log(100);
  let sp = 0;
  let zPrev = 0;
  const trueBeta = s.betaMode === 1 ? -0.9 : 1.1;
  const sig0 = 0.002;
  for (let k = 0; k < n; k++) {
    const m = Math.floor(rnd() * (s.maxFast + 1));
    const rows: [number, number][] = [];
    for (let r = 0; r < m; r++) {
      lb += gauss() * 0.0008;
      sp = 0.9 * sp + gauss() * 0.45;
      const la = trueBeta * lb + 0.1 + sig0 * sp;
      rows.push([grid(Math.exp(la), 0.25), grid(Math.exp(lb), 0.25)]);
    }
    fast.push(rows);
    const lastRow = rows[rows.length - 1];
    if (s.consistent && lastRow) {
      a.push(lastRow[0]);
      b.push(lastRow[1]);
    } else {
      a.push(grid(Math.exp(trueBeta * lb + 0.1 + sig0 * sp + gauss() * 0.001), 0.25));
      b.push(grid(Math.exp(lb), 0.25));
    }
    const warm = k < 3 || rnd() < s.nanRate;
    const bt =
      s.betaMode === 2 ? (rnd() < 0.05 ? 0 : trueBeta * Math.sin(k / 15)) : trueBeta * (1 + gauss() * 0.01);
    const betaK = warm && rnd() < 0.5 ? Number.NaN : bt;
    beta.push(betaK);
    // alpha absorbs whatever beta is at the bar's last fast prices, so z_live stays near s
    alpha.push(trueBeta * lb + 0.1 - betaK * lb + gauss() * 0.0003);
    mu.push(gauss() * 0.0003);
    sigma.push(warm ? (rnd() < 0.5 ? Number.NaN : 0) : sig0 * (1 + gauss() * 0.1));
    zPrev = 0.8 * zPrev + gauss() * 1.5;
    z.push(warm ? Number.NaN : zPrev);
  }

  const day: number[] = [];
  const eod = new Array<number>(n).fill(0);
  const windowOk = new Array<number>(n).fill(1);
  let dayNumber = 0;
  for (let i = 0; i < n;) {
    const len = 1 + Math.floor(rnd() * 40);
    const end = Math.min(n, i + len);
    for (let k = i; k < end; k++) {
      day.push(dayNumber);
      if (s.eodMode === 1 && k === end - 1) eod[k] = 1;
      if (s.eodMode === 2 && rnd() < 0.05) eod[k] = 1;
      if (s.windowMode === 1) windowOk[k] = rnd() < 0.8 ? 1 : 0;
    }
    dayNumber += 1;
    i = end;
  }
  if (rnd() < 0.5) eod[n - 1] = 0;

  const slow: InputsSpec = { z, a, b, beta, eod, windowOk, day };
  if (s.gates) {
    const metric = (draw: () => number) =>
      Array.from({ length: n }, () => (rnd() < 0.05 ? Number.NaN : draw()));
    slow.corr = metric(() => rnd() * 2 - 1);
    slow.hurst = metric(() => rnd());
    slow.halfLife = metric(() => (rnd() < 0.15 ? Number.POSITIVE_INFINITY : rnd() * 100));
    slow.adfStat = metric(() => -5 * rnd());
    slow.adfPvalue = metric(() => rnd());
  }
  // fast calendar: eod on the rows of eod slow bars and at random, window closed at random
  const fastEod: number[] = [];
  const fastWindowOk: number[] = [];
  fast.forEach((rows, k) => {
    for (let r = 0; r < rows.length; r++) {
      fastEod.push(s.eodMode !== 0 && (eod[k] === 1 || rnd() < 0.01) ? 1 : 0);
      fastWindowOk.push(s.windowMode === 1 && rnd() < 0.2 ? 0 : 1);
    }
  });
  return makeHybrid({ slow, fast, alpha, mu, sigma, fastEod, fastWindowOk });
}
