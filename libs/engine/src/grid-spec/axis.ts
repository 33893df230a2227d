// Grid axes: a value, a list, or {from, to, step} (ENGINE.md §10: `to` included; values
// round(from + k·step, 10) for k = 0 … ⌊(to − from)/step + 1e-9⌋).

export type AxisSpec = number | null | (number | null)[] | { from: number; to: number; step: number };

/** Number of values on an axis, without expanding it. */
export function axisLength(axis: AxisSpec): number {
  if (axis === null || typeof axis === "number") return 1;
  if (Array.isArray(axis)) return axis.length;
  return Math.floor((axis.to - axis.from) / axis.step + 1e-9) + 1;
}

/** The axis's values in order. */
export function axisValues(axis: AxisSpec): (number | null)[] {
  if (axis === null || typeof axis === "number") return [axis];
  if (Array.isArray(axis)) return axis.slice();
  const n = axisLength(axis);
  const out: number[] = new Array(n);
  for (let k = 0; k < n; k++) out[k] = round10(axis.from + k * axis.step);
  return out;
}

/** Round to 10 decimals, half away from zero like Python's round on these magnitudes. */
function round10(v: number): number {
  return Number(v.toFixed(10));
}
