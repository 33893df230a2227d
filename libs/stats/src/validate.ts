/** Argument checks shared by the public constructors and batch functions. */

/** Throws a RangeError unless `value` is an integer >= `min`. */
export function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

/** Throws a RangeError unless the arrays have the same length. */
export function checkSameLength(...series: ArrayLike<number>[]): void {
  for (const s of series) {
    if (s.length !== series[0].length) {
      throw new RangeError(`series lengths differ: ${series.map((x) => x.length).join(" vs ")}`);
    }
  }
}
