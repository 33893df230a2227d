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

/** One array of a packed buffer: its name, element type and values per bar (default 1). */
export interface PackedSlot {
  name: string;
  type: "f64" | "i32" | "u8";
  lanes?: number;
}

const TYPE_ORDER = { f64: 0, i32: 1, u8: 2 } as const;

/**
 * An empty packed buffer for `slots` (each n × lanes values) and a view of each slot to fill in
 * place: a caller that computes its arrays straight into the views shares them with the threads
 * without a copy. Slots are stored f64 first, then i32, then u8, for alignment.
 */
export function allocatePacked(
  slots: readonly PackedSlot[],
  n: number,
  /**
   * A buffer no thread reads any more, used instead of a new one when it is big enough: a fresh
   * buffer's pages are each faulted in on first write (~25 k per W2 group). The caller must then
   * write every value of every slot (nothing is zeroed).
   */
  reuse: SharedArrayBuffer | null = null,
): { packed: PackedArrays; views: Record<string, Typed> } {
  const ordered = [...slots].sort((x, y) => TYPE_ORDER[x.type] - TYPE_ORDER[y.type]);
  const lanesOf = (s: PackedSlot) => s.lanes ?? 1;
  const bytes = ordered.reduce((sum, s) => sum + n * lanesOf(s) * BYTES[s.type], 0);
  const packed: PackedArrays = {
    sab: reuse !== null && reuse.byteLength >= bytes ? reuse : new SharedArrayBuffer(bytes),
    names: ordered.map((s) => s.name),
    types: ordered.map((s) => s.type),
    n,
  };
  if (ordered.some((s) => lanesOf(s) !== 1)) packed.lanes = ordered.map(lanesOf);
  return { packed, views: unpackArrays(packed) };
}

const typeOf = (a: Typed) => (a instanceof Float64Array ? "f64" : a instanceof Int32Array ? "i32" : "u8");

/**
 * Copies the arrays into one SharedArrayBuffer (allocatePacked's layout). An array named in `lanes`
 * holds that many values per bar (length lanes·n).
 */
export function packArrays(arrays: Record<string, Typed>, lanes: Record<string, number> = {}): PackedArrays {
  const entries = Object.entries(arrays);
  const laneOf = (name: string) => lanes[name] ?? 1;
  const n = entries.length ? entries[0]![1].length / laneOf(entries[0]![0]) : 0;
  for (const [name, a] of entries) {
    if (a.length !== n * laneOf(name)) {
      throw new Error(`packArrays: ${name} has length ${a.length}, expected ${n * laneOf(name)}`);
    }
  }
  const { packed, views } = allocatePacked(
    entries.map(([name, a]) => ({ name, type: typeOf(a), lanes: laneOf(name) })),
    n,
  );
  for (const [name, a] of entries) views[name]!.set(a);
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
