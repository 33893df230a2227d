// PackedArrays as bytes, so precomputed per-bar arrays can travel through Redis (the cluster's
// hedge and base blobs). Layout: "PGPA" magic, u32 header length, the header as JSON (names, types,
// n), zero padding to a multiple of 8, then the SharedArrayBuffer's bytes verbatim. Decoding copies
// once into a new SharedArrayBuffer, which a process then shares with all its threads.
import type { PackedArrays } from "./shared-arrays.js";

const MAGIC = 0x41504750; // "PGPA" little-endian
const BYTES = { f64: 8, i32: 4, u8: 1 } as const;

interface Header {
  names: string[];
  types: PackedArrays["types"];
  n: number;
  lanes?: number[];
}

const pad8 = (x: number) => (x + 7) & ~7;

export function encodePacked(p: PackedArrays): Buffer {
  const h: Header = { names: p.names, types: p.types, n: p.n };
  if (p.lanes) h.lanes = p.lanes;
  const header = Buffer.from(JSON.stringify(h));
  const dataOffset = pad8(8 + header.length);
  const out = Buffer.alloc(dataOffset + p.sab.byteLength);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  out.set(new Uint8Array(p.sab), dataOffset);
  return out;
}

/** Inverse of encodePacked; throws on anything that is not a well-formed packed blob. */
export function decodePacked(buf: Uint8Array): PackedArrays {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.length < 8 || view.readUInt32LE(0) !== MAGIC) throw new Error("packed blob: bad magic");
  const headerLength = view.readUInt32LE(4);
  if (8 + headerLength > view.length) throw new Error("packed blob: truncated header");
  const h = JSON.parse(view.subarray(8, 8 + headerLength).toString("utf8")) as Header;
  if (
    !Array.isArray(h.names) ||
    !Array.isArray(h.types) ||
    h.names.length !== h.types.length ||
    (h.lanes !== undefined && (!Array.isArray(h.lanes) || h.lanes.length !== h.names.length))
  ) {
    throw new Error("packed blob: bad header");
  }
  const dataOffset = pad8(8 + headerLength);
  const bytes = h.types.reduce((s, t, k) => s + BYTES[t] * h.n * (h.lanes?.[k] ?? 1), 0);
  if (view.length !== dataOffset + bytes) {
    throw new Error(`packed blob: ${view.length - dataOffset} data bytes, header implies ${bytes}`);
  }
  const sab = new SharedArrayBuffer(bytes);
  new Uint8Array(sab).set(view.subarray(dataOffset));
  const out: PackedArrays = { sab, names: h.names, types: h.types, n: h.n };
  if (h.lanes) out.lanes = h.lanes;
  return out;
}
