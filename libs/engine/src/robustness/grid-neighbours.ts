// Each combination's neighbours in the parameter grid: the combinations one step away along one
// varying parameter, every other parameter equal. Steps are taken in the sorted order of the
// values a parameter takes among the rows, found from the parameter values themselves, so this
// works for any job (no spec needed) and for a spec that lists an axis out of order. A null value
// (feature off) is nobody's neighbour along its own axis: "off" is not next to any threshold. A
// combination missing from the rows (ruled out by §10 or a constraint) is simply not a neighbour.

export interface GridNeighbours {
  /** Parameter columns that take more than one value (null counting as one). */
  axes: Int32Array;
  /** Row r's neighbours are list[start[r]] … list[start[r+1] − 1] (compressed rows). */
  start: Int32Array;
  list: Int32Array;
}

/** Sorted distinct non-NaN values of column j, and whether the column holds a NaN. */
function columnValues(params: Float64Array, nParams: number, nRows: number, j: number) {
  const values = new Float64Array(nRows);
  let n = 0;
  let hasNull = false;
  for (let r = 0; r < nRows; r++) {
    const v = params[r * nParams + j]!;
    if (Number.isNaN(v)) hasNull = true;
    else values[n++] = v;
  }
  const sorted = values.subarray(0, n).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
  return { distinct: sorted.slice(0, distinct), hasNull };
}

function indexOf(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Neighbours of every row of a row-major parameter matrix (nRows × nParams, NaN = null). Each row
 * gets a key, the mixed-radix number of its per-axis codes (0 for null, 1 + index of its value),
 * so the neighbour one step up an axis has the key + that axis's stride.
 */
export function gridNeighbours(params: Float64Array, nParams: number, nRows: number): GridNeighbours {
  if (params.length !== nParams * nRows) {
    throw new RangeError(`params has ${params.length} values, expected ${nRows} × ${nParams}`);
  }
  const axes: number[] = [];
  const levels: Float64Array[] = [];
  for (let j = 0; j < nParams; j++) {
    const { distinct, hasNull } = columnValues(params, nParams, nRows, j);
    if (distinct.length + (hasNull ? 1 : 0) > 1) {
      axes.push(j);
      levels.push(distinct);
    }
  }
  const A = axes.length;
  const strides = new Float64Array(A);
  let space = 1;
  for (let a = A - 1; a >= 0; a--) {
    strides[a] = space;
    space *= levels[a]!.length + 1;
  }
  if (space > Number.MAX_SAFE_INTEGER) throw new RangeError("parameter grid too large to key exactly");

  const codes = new Int32Array(nRows * A);
  const keys = new Float64Array(nRows);
  const rowOf = new Map<number, number>();
  for (let r = 0; r < nRows; r++) {
    let key = 0;
    for (let a = 0; a < A; a++) {
      const v = params[r * nParams + axes[a]!]!;
      const code = Number.isNaN(v) ? 0 : 1 + indexOf(levels[a]!, v);
      codes[r * A + a] = code;
      key += code * strides[a]!;
    }
    keys[r] = key;
    if (!rowOf.has(key)) rowOf.set(key, r);
  }

  const start = new Int32Array(nRows + 1);
  const list = new Int32Array(nRows * 2 * A);
  let n = 0;
  for (let r = 0; r < nRows; r++) {
    start[r] = n;
    for (let a = 0; a < A; a++) {
      const code = codes[r * A + a]!;
      if (code === 0) continue;
      const down = code > 1 ? rowOf.get(keys[r]! - strides[a]!) : undefined;
      const up = code < levels[a]!.length ? rowOf.get(keys[r]! + strides[a]!) : undefined;
      if (down !== undefined) list[n++] = down;
      if (up !== undefined) list[n++] = up;
    }
  }
  start[nRows] = n;
  return { axes: Int32Array.from(axes), start, list: list.slice(0, n) };
}
