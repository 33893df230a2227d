// Deflated Sharpe Ratio (ENGINE.md §7, §10): values against the formula written out long-hand with
// a normal distribution of the test's own (erf series + bisection, not @pairgrid/stats), the null
// rules, and the deflation itself (more trials, lower DSR).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  deflatedSharpe,
  deflatedSharpeColumns,
  type DsrInputRow,
  expectedMaxSharpe,
} from "../src/statistics/deflated-sharpe.js";

/** erf by its Maclaurin series; accurate to ~1e-13 for |x| ≤ 3, which is all these tests need. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const phi = (x: number) => 0.5 * (1 + erfSeries(x / Math.SQRT2));
function phiInverse(p: number): number {
  let lo = -6;
  let hi = 6;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (phi(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** §7's DSR for every row, straight from the text. */
function dsrLongHand(rows: DsrInputRow[]): (number | null)[] {
  const N = rows.length;
  const srs = rows.filter((r) => r.sharpe !== null).map((r) => r.sharpe! / Math.sqrt(252));
  if (N < 2 || srs.length < 2) return rows.map(() => null);
  const m = srs.reduce((a, b) => a + b, 0) / srs.length;
  const V = srs.reduce((a, b) => a + (b - m) ** 2, 0) / (srs.length - 1);
  const g = 0.5772156649;
  const sr0 = Math.sqrt(V) * ((1 - g) * phiInverse(1 - 1 / N) + g * phiInverse(1 - 1 / (N * Math.E)));
  return rows.map((r) => {
    if (r.sharpe === null) return null;
    const sr = r.sharpe / Math.sqrt(252);
    const root = 1 - r.skew! * sr + ((r.kurtosis! - 1) / 4) * sr * sr;
    if (root <= 0) return null;
    return phi(((sr - sr0) * Math.sqrt(r.n_days - 1)) / Math.sqrt(root));
  });
}

const row = (sharpe: number | null, n_days: number, skew: number | null, kurtosis: number | null) => ({
  sharpe,
  n_days,
  skew,
  kurtosis,
});
const perDay = (sr: number) => sr * Math.sqrt(252);

function assertClose(actual: (number | null)[], expected: (number | null)[], tol: number): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    if (expected[i] === null) return assert.equal(a, null, `row ${i}: expected null, got ${a}`);
    assert.ok(a !== null, `row ${i}: expected ${expected[i]}, got null`);
    assert.ok(Math.abs(a - expected[i]!) <= tol, `row ${i}: ${a} vs ${expected[i]}`);
  });
}

test("two rows worked by hand", () => {
  // sr (per day) = 0.1 and 0.2, N = 2: mean 0.15, V = 2·0.05²/1 = 0.005, √V = 0.0707107.
  // Φ⁻¹(1 − 1/2) = 0; Φ⁻¹(1 − 1/(2e)) = Φ⁻¹(0.816060) = 0.900453.
  // sr0 = 0.0707107 · (0.4227843·0 + 0.5772157·0.900453) = 0.0367523.
  // Row 2, T = 101, skew 0, kurtosis 3: root = 1 − 0 + (2/4)·0.04 = 1.02;
  // z = (0.2 − 0.0367523)·√100 / √1.02 = 1.632477 / 1.009950 = 1.616394; Φ(1.616394) = 0.946995.
  const dsr = deflatedSharpe([row(perDay(0.1), 101, 0, 3), row(perDay(0.2), 101, 0, 3)]);
  assert.ok(Math.abs(dsr[1]! - 0.946995) < 1e-6, `dsr ${dsr[1]}`);
  assert.ok(dsr[0]! < dsr[1]!);
});

test("a small job matches the long-hand formula, skew, kurtosis and a null Sharpe included", () => {
  const rows = [
    row(1.5, 60, -0.3, 4.2),
    row(0.4, 60, 0.5, 3.1),
    row(null, 60, null, null),
    row(-0.8, 45, 1.1, 6),
    row(2.7, 250, -1.4, 9.5),
  ];
  const expected = dsrLongHand(rows);
  assert.equal(expected[2], null);
  assertClose(deflatedSharpe(rows), expected, 1e-10);
});

test("the column form agrees with the row form, NaN standing for null", () => {
  const rows = [
    row(1.1, 30, 0.2, 3.5),
    row(null, 30, null, null),
    row(-0.3, 80, -0.7, 5),
    row(0.9, 12, 0, 2),
  ];
  const nan = (v: number | null) => v ?? Number.NaN;
  const out = deflatedSharpeColumns(
    Float64Array.from(rows, (r) => nan(r.sharpe)),
    Int32Array.from(rows, (r) => r.n_days),
    Float64Array.from(rows, (r) => nan(r.skew)),
    Float64Array.from(rows, (r) => nan(r.kurtosis)),
    new Float64Array(rows.length),
  );
  const fromRows = deflatedSharpe(rows);
  out.forEach((v, i) => assert.equal(Number.isNaN(v) ? null : v, fromRows[i]));
});

test("null: no Sharpe, a single row, fewer than 2 Sharpes, root argument ≤ 0", () => {
  assert.deepEqual(deflatedSharpe([]), []);
  assert.deepEqual(deflatedSharpe([row(1, 50, 0, 3)]), [null], "N < 2");
  assert.deepEqual(deflatedSharpe([row(1, 50, 0, 3), row(null, 50, null, null)]), [null, null], "1 Sharpe");
  // sr = 0.5 per day, skew 5, kurtosis 1: 1 − 2.5 + 0 = −1.5 ≤ 0 (moments no real series has,
  // but the rule is the formula's domain, not the data's)
  const dsr = deflatedSharpe([row(perDay(0.5), 50, 5, 1), row(0.3, 50, 0, 3), row(-0.2, 50, 0, 3)]);
  assert.equal(dsr[0], null);
  assert.ok(dsr[1] !== null && dsr[2] !== null);
});

test("V = 0 gives sr0 = 0: DSR is Φ(sr·√(T − 1)/√root)", () => {
  const sr = 0.05;
  const dsr = deflatedSharpe([row(perDay(sr), 101, 0, 3), row(perDay(sr), 101, 0, 3)]);
  const expected = phi((sr * 10) / Math.sqrt(1 + 0.5 * sr * sr));
  assertClose(dsr, [expected, expected], 1e-12);
  assert.equal(expectedMaxSharpe(1000, 0), 0);
});

test("more trials deflate more: for a fixed row, DSR falls as N grows", () => {
  // Rows without a Sharpe count in N but not in V, so V stays put while N grows.
  const fixed = [row(2, 252, -0.2, 4), row(0.5, 252, 0.1, 3.3)];
  let prev = Infinity;
  for (const extra of [0, 1, 8, 100, 10_000, 1_000_000]) {
    const rows = [...fixed, ...Array.from({ length: extra }, () => row(null, 252, null, null))];
    const dsr = deflatedSharpe(rows)[0]!;
    assert.ok(dsr < prev, `N = ${rows.length}: DSR ${dsr} not below ${prev}`);
    prev = dsr;
  }
});
