// The splits of Combinatorially Symmetric Cross-Validation (Bailey, Borwein, López de Prado, Zhu
// 2015): the F folds are cut into S contiguous, near-equal groups (S even); every choice of S/2
// groups is an in-sample half, the other S/2 its out-of-sample half. C(S, S/2) splits in all, in
// complementary pairs: the half holding group 0 and its complement are one pair, and both of the
// pair's splits come from the same per-row sums (pbo.ts). When C(S, S/2) is more than the caller
// can afford, a seeded sample of pairs is taken, the same one every time.
import { InputError } from "../errors.js";
import { Rng } from "../synth/prng.js";

/** Most groups a split may use (C(32, 16) ≈ 6e8 splits, sampled anyway). */
export const MAX_CSCV_GROUPS = 32;
/** Seed of the pair sample; fixed, so a report is reproducible. */
export const CSCV_SEED = 20150101;

/** Default S: the largest even number ≤ min(F, 16) (C(16, 8) = 12 870 splits); 0 when F < 2. */
export function defaultCscvGroups(nFolds: number): number {
  const s = Math.min(nFolds, 16);
  return s - (s % 2);
}

export function checkCscvGroups(groups: number, nFolds: number): void {
  const hi = Math.min(nFolds, MAX_CSCV_GROUPS);
  if (!Number.isSafeInteger(groups) || groups < 2 || groups % 2 !== 0 || groups > hi) {
    const range = hi >= 2 ? `an even number from 2 to ${hi}` : "impossible (fewer than 2 folds)";
    throw new InputError(`splits must be ${range} (the job has ${nFolds} folds), got ${groups}`, "splits");
  }
}

/** Group of each fold: fold f is in group g when ⌊g·F/S⌋ ≤ f < ⌊(g+1)·F/S⌋ (as §7 cuts days). */
export function foldGroups(nFolds: number, groups: number): Int32Array {
  const out = new Int32Array(nFolds);
  for (let g = 0; g < groups; g++) {
    const f0 = Math.floor((g * nFolds) / groups);
    const f1 = Math.floor(((g + 1) * nFolds) / groups);
    out.fill(g, f0, f1);
  }
  return out;
}

/** C(n, k) as a double (exact up to 2^53, which every S ≤ 32 stays under). */
export function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * Halves that contain group 0, as 0/1 masks over the S groups: all C(S, S/2)/2 of them in
 * lexicographic order when there are at most `maxPairs`, else `maxPairs` distinct ones drawn with
 * a seeded generator (then sorted, so the order does not depend on the draw).
 */
export function cscvHalves(groups: number, maxPairs: number, seed = CSCV_SEED): Uint8Array[] {
  const half = groups / 2;
  const total = binomial(groups, half) / 2;
  if (total <= maxPairs) return allHalves(groups, half);
  const rng = new Rng(seed, groups);
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  const pool = new Int32Array(groups - 1);
  while (out.length < maxPairs) {
    // partial Fisher–Yates over groups 1..S−1: the first half − 1 slots are the draw
    for (let i = 0; i < pool.length; i++) pool[i] = i + 1;
    const mask = new Uint8Array(groups);
    mask[0] = 1;
    for (let i = 0; i < half - 1; i++) {
      const j = i + (rng.nextU32() % (pool.length - i));
      const t = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = t;
      mask[pool[i]!] = 1;
    }
    const key = mask.join("");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mask);
  }
  // "1…" strings compare like the masks' lexicographic order
  return out.sort((a, b) => (a.join("") < b.join("") ? 1 : -1));
}

/** Every half of size `half` containing group 0, lexicographic by the groups chosen. */
function allHalves(groups: number, half: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const chosen = new Int32Array(half);
  const walk = (slot: number, from: number) => {
    if (slot === half) {
      const mask = new Uint8Array(groups);
      for (const g of chosen) mask[g] = 1;
      out.push(mask);
      return;
    }
    for (let g = from; g <= groups - (half - slot); g++) {
      chosen[slot] = g;
      walk(slot + 1, g + 1);
    }
  };
  chosen[0] = 0;
  walk(1, 1);
  return out;
}
