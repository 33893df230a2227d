import assert from "node:assert/strict";

/** The accuracy contract: 1e-9 relative, or 1e-12 absolute near zero. */
export const REL = 1e-9;
export const ABS = 1e-12;

/** True when both are NaN, both the same infinity, or within `rel` relative / `abs` absolute. */
export function isClose(actual: number, expected: number, rel = REL, abs = ABS): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected;
  const d = Math.abs(actual - expected);
  return d <= rel * Math.abs(expected) || d <= abs;
}

export function assertClose(actual: number, expected: number, what: string, rel = REL, abs = ABS): void {
  if (!isClose(actual, expected, rel, abs)) {
    assert.fail(`${what}: got ${actual}, expected ${expected} (diff ${actual - expected})`);
  }
}

/** Bit-for-bit equality of two arrays (Object.is: NaN equals NaN, 0 differs from −0). */
export function assertIdentical(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}
