import fc from "fast-check";

/** mulberry32: a small seeded PRNG, so fast-check only has to shrink a seed and a few params. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal variate by Box-Muller. */
export function gauss(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export interface PairParams {
  seed: number;
  drift: number;
  vol: number;
  beta: number;
  phi: number;
  spreadVol: number;
  jumpProb: number;
}

/** Parameters of a realistic cointegrated pair of log prices near 10. */
export const pairParams: fc.Arbitrary<PairParams> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  drift: fc.double({ min: -2e-5, max: 2e-5, noNaN: true }),
  vol: fc.double({ min: 1e-4, max: 2e-3, noNaN: true }),
  beta: fc.double({ min: 0.3, max: 2, noNaN: true }),
  phi: fc.double({ min: 0.9, max: 0.9995, noNaN: true }),
  spreadVol: fc.double({ min: 1e-5, max: 1e-3, noNaN: true }),
  jumpProb: fc.double({ min: 0, max: 3e-4, noNaN: true }),
});

/**
 * x = ln B: random walk with drift, vol and rare jumps (roll gaps, 30–100 vol); y = ln A =
 * c + beta·x + e with e an AR(1) spread, c set so that y also starts near 10.
 */
export function cointegratedPair(p: PairParams, n: number): { y: Float64Array; x: Float64Array } {
  const rand = prng(p.seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let lx = 10 + (rand() - 0.5);
  const c = 10 - p.beta * lx + (rand() - 0.5);
  let e = 0;
  for (let i = 0; i < n; i++) {
    lx += p.drift + p.vol * gauss(rand);
    if (rand() < p.jumpProb) lx += p.vol * (30 + 70 * rand()) * (rand() < 0.5 ? -1 : 1);
    e = p.phi * e + p.spreadVol * gauss(rand);
    x[i] = lx;
    y[i] = c + p.beta * lx + e;
  }
  return { y, x };
}

export interface EdgyParams {
  seed: number;
  n: number;
  window: number;
  level: number;
  scale: number;
  pHold: number;
  pPick: number;
  pNaN: number;
  pStretch: number;
}

/** Short series full of edge cases: held values, values from a small set, NaNs, long flats. */
export const edgyParams = (minWindow: number, maxWindow = 30): fc.Arbitrary<EdgyParams> =>
  fc.record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    n: fc.integer({ min: 50, max: 2000 }),
    window: fc.integer({ min: minWindow, max: maxWindow }),
    level: fc.constantFrom(0, 10, -3),
    scale: fc.constantFrom(1e-3, 0.1, 1),
    pHold: fc.double({ min: 0, max: 0.8, noNaN: true }),
    pPick: fc.double({ min: 0, max: 0.5, noNaN: true }),
    pNaN: fc.constantFrom(0, 0, 0.002, 0.02),
    pStretch: fc.constantFrom(0, 0.005, 0.02),
  });

export function edgySeries(p: EdgyParams, seedOffset = 0): Float64Array {
  const rand = prng(p.seed + seedOffset);
  const out = new Float64Array(p.n);
  const picks = [p.level, p.level + p.scale, p.level - p.scale, p.level + 0.1];
  let walk = p.level;
  let prev = p.level;
  let stretch = 0;
  for (let i = 0; i < p.n; i++) {
    walk += p.scale * gauss(rand) * 0.1;
    let v: number;
    const r = rand();
    if (stretch > 0) {
      stretch--;
      v = prev;
    } else if (r < p.pStretch) {
      stretch = Math.floor(p.window * (1 + 2 * rand()));
      v = prev;
    } else if (r < p.pStretch + p.pNaN) {
      v = Number.NaN;
    } else if (r < p.pStretch + p.pNaN + p.pHold) {
      v = prev;
    } else if (r < p.pStretch + p.pNaN + p.pHold + p.pPick) {
      v = picks[Math.floor(rand() * picks.length)];
    } else {
      v = walk;
    }
    out[i] = v;
    if (!Number.isNaN(v)) prev = v;
  }
  return out;
}

/** Indices to check on a long series: every `step`-th plus the edges around `firstDefined`. */
export function sampleIndices(n: number, firstDefined: number, step = 97): number[] {
  const set = new Set<number>();
  for (let i = 0; i < n; i += step) set.add(i);
  for (const i of [0, firstDefined - 2, firstDefined - 1, firstDefined, firstDefined + 1, n - 2, n - 1]) {
    if (i >= 0 && i < n) set.add(i);
  }
  return [...set].sort((a, b) => a - b);
}
