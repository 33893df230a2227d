// Packing per-bar arrays into one SharedArrayBuffer, so threads read them without copying: the
// buffer travels by reference (postMessage shares a SharedArrayBuffer), the layout is a few numbers.

export interface PackedArrays {
  sab: SharedArrayBuffer;
  /** Array names in buffer order with their element type; all arrays have length n (× lanes). */
  names: string[];
  types: ("f64" | "i32" | "u8")[];
  n: number;
  /**
   * Values per bar of each array (absent = 1 each): an array with k lanes holds k interleaved values
   * per bar, length k·n, for kernels that read several per-bar values at once from one cache line.
   */
  lanes?: number[];
}

const BYTES = { f64: 8, i32: 4, u8: 1 } as const;
type Typed = Float64Array | Int32Array | Uint8Array;

/**
 * Copies the arrays into one SharedArrayBuffer (f64 first, then i32, then u8, for alignment). An
 * array named in `lanes` holds that many values per bar (length lanes·n).
 */
export function packArrays(arrays: Record<string, Typed>, lanes: Record<string, number> = {}): PackedArrays {
  const entries = Object.entries(arrays);
  const typeOf = (a: Typed) => (a instanceof Float64Array ? "f64" : a instanceof Int32Array ? "i32" : "u8");
  const order = { f64: 0, i32: 1, u8: 2 } as const;
  entries.sort((x, y) => order[typeOf(x[1])] - order[typeOf(y[1])]);
  const laneOf = (name: string) => lanes[name] ?? 1;
  const n = entries.length ? entries[0]![1].length / laneOf(entries[0]![0]) : 0;
  let bytes = 0;
  for (const [name, a] of entries) {
    if (a.length !== n * laneOf(name)) {
      throw new Error(`packArrays: ${name} has length ${a.length}, expected ${n * laneOf(name)}`);
    }
    bytes += a.length * BYTES[typeOf(a)];
  }
  const sab = new SharedArrayBuffer(bytes);
  let off = 0;
  for (const [, a] of entries) {
    const t = typeOf(a);
    const len = a.length;
    const view =
      t === "f64"
        ? new Float64Array(sab, off, len)
        : t === "i32"
          ? new Int32Array(sab, off, len)
          : new Uint8Array(sab, off, len);
    view.set(a);
    off += len * BYTES[t];
  }
  const packed: PackedArrays = {
    sab,
    names: entries.map((e) => e[0]),
    types: entries.map((e) => typeOf(e[1])),
    n,
  };
  if (entries.some(([name]) => laneOf(name) !== 1)) packed.lanes = entries.map(([name]) => laneOf(name));
  return packed;
}

/** Views onto a packed buffer, by name (no copy). */
export function unpackArrays(p: PackedArrays): Record<string, Typed> {
  const out: Record<string, Typed> = {};
  let off = 0;
  p.names.forEach((name, k) => {
    const t = p.types[k]!;
    const len = p.n * (p.lanes?.[k] ?? 1);
    out[name] =
      t === "f64"
        ? new Float64Array(p.sab, off, len)
        : t === "i32"
          ? new Int32Array(p.sab, off, len)
          : new Uint8Array(p.sab, off, len);
    off += len * BYTES[t];
  });
  return out;
}
