// Micro-mode sizing ties (ENGINE.md §10): a multiplier k replaces the best so far only when its
// rounding error is smaller by more than 1e-9, so errors that are equal in exact arithmetic never
// let the hedge's last bit choose N_a.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { hedgeRatio, legSizes, roundHalfEven } from "../src/rules/sizing.js";

function sizes(ratio: number, maxMult: number, baseQty = 1): [number, number] {
  const out = new Float64Array(2);
  legSizes(ratio, baseQty, maxMult, out);
  return [out[0]!, out[1]!];
}

/** The exact-arithmetic error of k for ratio p/q (integers): |round(p·k/q) − p·k/q| / (p·k/q). */
function exactErr(p: bigint, q: bigint, k: bigint): [bigint, bigint] {
  const num = p * k;
  const lo = num / q;
  const rem = num - lo * q;
  const dist = 2n * rem <= q ? rem : q - rem; // |round − value| · q
  return [dist, num]; // err = dist / num
}

describe("micro-mode sizing ties", () => {
  test("an ES/YM-like hedge whose errors tie exactly sizes 1 + 1, not 3 + 3", () => {
    // ES 5000.5 × 50 against YM 39002 × 5 at beta 0.872: ratio ≈ 1.118, frac < 1/6, so k = 1, 2, 3
    // all have the error frac/ratio in exact arithmetic; in doubles k = 3 came out a few ulps lower
    const ratio = hedgeRatio(5000.5, 39002, 50, 5, 0.872);
    const errs = [1, 2, 3].map((k) => Math.abs(roundHalfEven(ratio * k) - ratio * k) / (ratio * k));
    assert.ok(errs[2]! < errs[0]!, "the double errors are not equal: a strict < would pick k = 3");
    assert.ok(errs[0]! - errs[2]! < 1e-12, "and they differ only by rounding noise");
    assert.deepEqual(sizes(ratio, 3), [1, 1]);
  });

  test("a k that is really better still wins", () => {
    assert.deepEqual(sizes(1.5, 4), [2, 3]); // k = 2 rounds exactly
    assert.deepEqual(sizes(1.34, 3), [3, 4]); // 4.02: error 0.005 against 0.254 and 0.254
  });

  test("ratio 0 gives k = 1, and base_qty outside micro mode", () => {
    assert.deepEqual(sizes(0, 4), [1, 1]);
    assert.deepEqual(sizes(1.118, 1, 3), [3, 3]);
  });

  test("property: the chosen k has the least exact error, the smallest k among exact ties", () => {
    // ratios p/q of small integers: err_k = dist/(p·k) with p·k ≤ 24,000, so two errors are either
    // equal in exact arithmetic or differ by at least 1/24,000² ≈ 1.7e-9 — above the tolerance.
    // Exact (bigint) comparison with a strict < is then the rule the doubles must follow.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4000 }),
        fc.integer({ min: 1, max: 997 }),
        fc.integer({ min: 2, max: 6 }),
        (p, q, K) => {
          const [na] = sizes(p / q, K);
          const P = BigInt(p);
          const Q = BigInt(q);
          let best = 1n;
          let [bd, bn] = exactErr(P, Q, 1n);
          for (let k = 2n; k <= BigInt(K); k++) {
            const [d, n] = exactErr(P, Q, k);
            if (d * bn < bd * n) {
              best = k;
              bd = d;
              bn = n;
            }
          }
          return BigInt(na) === best;
        },
      ),
      { numRuns: 3000 },
    );
  });
});
