/**
 * Reference statistics, computed the plain way: copy the window out, take its mean, sum the
 * products of deviations. Written for a reader and independent of src/ (no shared code), so the
 * sliding implementations can be checked against it window by window.
 */

/** Values a[i−w+1 … i], or null when the window starts before the series. */
export function windowOf(a: ArrayLike<number>, i: number, w: number): number[] | null {
  if (i - w + 1 < 0) return null;
  const out: number[] = [];
  for (let t = i - w + 1; t <= i; t++) out.push(a[t]);
  return out;
}

export function allFinite(v: number[]): boolean {
  return v.every((x) => Number.isFinite(x));
}

export function allSame(v: number[]): boolean {
  return v.every((x) => x === v[0]);
}

/** Mean with a compensated (Neumaier) sum, so the reference itself is good to about an ulp. */
export function mean(v: number[]): number {
  let s = 0;
  let comp = 0;
  for (const x of v) {
    const t = s + x;
    comp += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return (s + comp) / v.length;
}

/**
 * Deviations from the mean by the corrected two-pass algorithm (Chan, Golub & LeVeque 1983):
 * v − m with m the rounded mean, minus the mean of those differences. This removes the error of
 * rounding m to a double, which matters when the mean is 10 and the deviations 1e-4.
 */
export function centred(v: number[]): number[] {
  const m = mean(v);
  const d = v.map((x) => x - m);
  let corr = 0;
  for (const x of d) corr += x;
  corr /= v.length;
  return d.map((x) => x - corr);
}

/** Σ(a − ā)(b − b̄). */
export function centredCross(a: number[], b: number[]): number {
  const ca = centred(a);
  const cb = centred(b);
  let s = 0;
  for (let k = 0; k < a.length; k++) s += ca[k] * cb[k];
  return s;
}

const NAN2 = { beta: Number.NaN, alpha: Number.NaN };

/** OLS of y on x over bars i−w+1 … i. */
export function olsRef(y: ArrayLike<number>, x: ArrayLike<number>, i: number, w: number) {
  const ys = windowOf(y, i, w);
  const xs = windowOf(x, i, w);
  if (!ys || !xs || !allFinite(ys) || !allFinite(xs) || allSame(xs)) return NAN2;
  const beta = centredCross(xs, ys) / centredCross(xs, xs);
  return { beta, alpha: mean(ys) - beta * mean(xs) };
}

/** Mean, sample std and z-score of s over bars i−w+1 … i. */
export function zRef(s: ArrayLike<number>, i: number, w: number) {
  const v = windowOf(s, i, w);
  if (!v || !allFinite(v)) return { mu: Number.NaN, sigma: Number.NaN, z: Number.NaN };
  const mu = mean(v);
  if (allSame(v)) return { mu, sigma: 0, z: Number.NaN };
  const sigma = Math.sqrt(centredCross(v, v) / (w - 1));
  return { mu, sigma, z: (s[i] - mu) / sigma };
}

/** One-bar differences a_t − a_{t−1} for t = i−w+1 … i, or null if t − 1 < 0 somewhere. */
function diffsOf(a: ArrayLike<number>, i: number, w: number): number[] | null {
  if (i - w < 0) return null;
  const out: number[] = [];
  for (let t = i - w + 1; t <= i; t++) out.push(a[t] - a[t - 1]);
  return out;
}

/** Pearson correlation of the last w one-bar returns of y and x ending at i. */
export function corrRef(y: ArrayLike<number>, x: ArrayLike<number>, i: number, w: number): number {
  const ry = diffsOf(y, i, w);
  const rx = diffsOf(x, i, w);
  if (!ry || !rx || !allFinite(ry) || !allFinite(rx) || allSame(ry) || allSame(rx)) return Number.NaN;
  return centredCross(rx, ry) / Math.sqrt(centredCross(rx, rx) * centredCross(ry, ry));
}

/** Lagged pairs (s_{t−1}, s_t), t = i−w+1 … i. */
function pairsOf(s: ArrayLike<number>, i: number, w: number): { lag: number[]; cur: number[] } | null {
  if (i - w < 0) return null;
  const lag: number[] = [];
  const cur: number[] = [];
  for (let t = i - w + 1; t <= i; t++) {
    lag.push(s[t - 1]);
    cur.push(s[t]);
  }
  return { lag, cur };
}

/**
 * AR(1) slope b = cov(s_t, s_{t−1}) / var(s_{t−1}) over the last w pairs ending at i, and the
 * half-life. HL = −ln 2 / ln b amplifies an error in b by 1/(1 − b) as b → 1, so HL is taken from
 * the same slope written as b = 1 + γ, γ = cov(Δs_t, s_{t−1}) / var(s_{t−1}), ln b = log1p(γ).
 * `gammaScale` is Σ|centred Δs_t · centred s_{t−1}| / var(s_{t−1}): the size of the terms γ's
 * co-moment sums. Where γ is far smaller (they cancel), no double computation resolves γ to
 * better than about ε·gammaScale (checkWindow in rolling-half-life.test.ts).
 */
export function halfLifeRef(s: ArrayLike<number>, i: number, w: number) {
  const p = pairsOf(s, i, w);
  if (!p || !allFinite(p.lag) || !allFinite(p.cur) || allSame(p.lag)) {
    return { b: Number.NaN, gamma: Number.NaN, gammaScale: Number.NaN, hl: Number.NaN };
  }
  const varLag = centredCross(p.lag, p.lag);
  const b = centredCross(p.cur, p.lag) / varLag;
  const diffs = p.cur.map((v, k) => v - p.lag[k]);
  const gamma = centredCross(diffs, p.lag) / varLag;
  const cd = centred(diffs);
  const cl = centred(p.lag);
  let terms = 0;
  for (let k = 0; k < w; k++) terms += Math.abs(cd[k] * cl[k]);
  return {
    b,
    gamma,
    gammaScale: terms / varLag,
    hl: gamma > -1 && gamma < 0 ? -Math.log(2) / Math.log1p(gamma) : Number.POSITIVE_INFINITY,
  };
}

/**
 * Dickey-Fuller t statistic (constant, no lags) over the last w pairs ending at i, from the
 * residuals of the fitted regression. `fit` = SSR / Σ(Δs − mean)², to tell near-perfect fits.
 */
export function adfRef(s: ArrayLike<number>, i: number, w: number) {
  const p = pairsOf(s, i, w);
  if (!p || !allFinite(p.lag) || !allFinite(p.cur) || allSame(p.lag))
    return { stat: Number.NaN, fit: Number.NaN };
  const x = p.lag;
  const dy = p.cur.map((v, k) => v - x[k]);
  const cx = centred(x);
  const cy = centred(dy);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let k = 0; k < w; k++) {
    sxx += cx[k] * cx[k];
    sxy += cx[k] * cy[k];
    syy += cy[k] * cy[k];
  }
  const gamma = sxy / sxx;
  // residuals of Δs = c + γ·s_{t−1} + e, written on centred values (c absorbs the means)
  let ssr = 0;
  for (let k = 0; k < w; k++) {
    const e = cy[k] - gamma * cx[k];
    ssr += e * e;
  }
  const fit = ssr / syy;
  // a (near-)perfect fit has se = 0: no statistic (the implementation's rule, ADF_PERFECT_FIT)
  if (!(fit > 1e-12)) return { stat: Number.NaN, fit };
  const se = Math.sqrt(ssr / (w - 2) / sxx);
  return { stat: gamma / se, fit };
}

/** Variance-ratio Hurst exponent at bar i. */
export function hurstRef(s: ArrayLike<number>, i: number, w: number, lags: readonly number[]): number {
  const u: number[] = [];
  const v: number[] = [];
  for (const lag of lags) {
    if (i - w + 1 - lag < 0) return Number.NaN;
    const d: number[] = [];
    for (let t = i - w + 1; t <= i; t++) d.push(s[t] - s[t - lag]);
    if (!allFinite(d) || allSame(d)) return Number.NaN;
    const sd = Math.sqrt(centredCross(d, d) / (w - 1));
    u.push(Math.log(lag));
    v.push(Math.log(sd));
  }
  return centredCross(u, v) / centredCross(u, u);
}

/** One step of the §3 Kalman recursion written with general 2×2 / 2×1 matrices. */
export class KalmanMatrixRef {
  theta: number[][] = [[0], [0]];
  p: number[][] = [
    [0, 0],
    [0, 0],
  ];
  private first = true;
  constructor(
    private readonly delta: number,
    private readonly ve: number,
  ) {}

  step(y: number, x: number): { beta: number; alpha: number } {
    const vw = this.delta / (1 - this.delta);
    const r = this.first
      ? [
          [0, 0],
          [0, 0],
        ]
      : add(this.p, [
          [vw, 0],
          [0, vw],
        ]);
    this.first = false;
    const h = [[x, 1]];
    const q = mul(mul(h, r), transpose(h))[0][0] + this.ve;
    const e = y - mul(h, this.theta)[0][0];
    const k = scale(mul(r, transpose(h)), 1 / q);
    this.theta = add(this.theta, scale(k, e));
    this.p = sub(r, mul(mul(k, h), r));
    return { beta: this.theta[0][0], alpha: this.theta[1][0] };
  }
}

function mul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((acc, v, k) => acc + v * b[k][j], 0)));
}
function add(a: number[][], b: number[][]): number[][] {
  return a.map((row, i) => row.map((v, j) => v + b[i][j]));
}
function sub(a: number[][], b: number[][]): number[][] {
  return a.map((row, i) => row.map((v, j) => v - b[i][j]));
}
function scale(a: number[][], c: number): number[][] {
  return a.map((row) => row.map((v) => v * c));
}
function transpose(a: number[][]): number[][] {
  return a[0].map((_, j) => a.map((row) => row[j]));
}
