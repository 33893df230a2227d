/**
 * Timing of each batch function on 300k bars (not a test: `node libs/stats/dist/test/speed.js`).
 * Prints the median of several runs, after a warm-up, in milliseconds.
 */
import {
  kalmanHedge,
  rollingAdf,
  rollingHalfLife,
  rollingHurst,
  rollingLogReturnCorrelation,
  rollingOls,
  rollingZScore,
  spread,
} from "../src/index.js";
import { cointegratedPair } from "./series.js";

const n = 300_000;
const { y, x } = cointegratedPair(
  { seed: 42, drift: 1e-6, vol: 5e-4, beta: 1.2, phi: 0.995, spreadVol: 1e-4, jumpProb: 1e-4 },
  n,
);
const h = rollingOls(y, x, 2000);
const s = spread(y, x, h.beta, h.alpha);

function time(name: string, f: () => unknown): void {
  for (let k = 0; k < 3; k++) f();
  const ms: number[] = [];
  for (let k = 0; k < 9; k++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} ${ms[4].toFixed(1).padStart(7)} ms`);
}

console.log(`batch functions on ${n} bars (median of 9)`);
time("rollingOls(y, x, 2000)", () => rollingOls(y, x, 2000));
time("kalmanHedge(y, x)", () => kalmanHedge(y, x));
time("spread(y, x, beta, alpha)", () => spread(y, x, h.beta, h.alpha));
time("rollingZScore(s, 100)", () => rollingZScore(s, 100));
time("rollingLogReturnCorrelation(y, x, 500)", () => rollingLogReturnCorrelation(y, x, 500));
time("rollingHurst(s, 500) (6 lags)", () => rollingHurst(s, 500));
time("rollingHalfLife(s, 500)", () => rollingHalfLife(s, 500));
time("rollingAdf(s, 500)", () => rollingAdf(s, 500));
