// A chunk's results as bytes: what a queue worker sends back to the coordinator (binary, not one
// JSON object per row). Layout, little-endian: "PGCR" magic, then u32 chunkId, k, skipped, nFolds,
// nParams, nStats, foldWidth (the last three let the reader refuse a result from a build with a
// different row layout), u32 padding, then the four Float64Arrays back to back.
import { FOLD_WIDTH, N_STATS } from "../statistics/stat-row.js";
import { PARAM_NAMES } from "../grid-spec/param-defs.js";
import type { ChunkResult } from "./run-chunk.js";

const MAGIC = 0x52434750; // "PGCR"
const HEADER = 36; // 9 u32 fields

export function encodeChunkResult(r: ChunkResult): Buffer {
  const arrays = [r.comboIds, r.params, r.stats, r.folds];
  const bytes = arrays.reduce((s, a) => s + a.byteLength, 0);
  const out = Buffer.alloc(HEADER + bytes);
  const fields = [MAGIC, r.chunkId, r.k, r.skipped, r.nFolds, PARAM_NAMES.length, N_STATS, FOLD_WIDTH, 0];
  fields.forEach((v, i) => out.writeUInt32LE(v, 4 * i));
  let off = HEADER;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    off += a.byteLength;
  }
  return out;
}

/** Inverse of encodeChunkResult (copies into aligned arrays); throws on a malformed or foreign layout. */
export function decodeChunkResult(buf: Uint8Array): ChunkResult {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.length < HEADER || view.readUInt32LE(0) !== MAGIC) throw new Error("chunk result: bad magic");
  const u = (i: number) => view.readUInt32LE(4 * i);
  const [chunkId, k, skipped, nFolds, nParams, nStats, foldWidth] = [1, 2, 3, 4, 5, 6, 7].map(u) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (nParams !== PARAM_NAMES.length || nStats !== N_STATS || foldWidth !== FOLD_WIDTH) {
    throw new Error(
      `chunk result: row layout ${nParams}/${nStats}/${foldWidth} differs from this build's ` +
        `${PARAM_NAMES.length}/${N_STATS}/${FOLD_WIDTH} (mixed versions of pairgrid?)`,
    );
  }
  const lengths = [k, k * nParams, k * nStats, k * nFolds * foldWidth];
  const expected = HEADER + 8 * lengths.reduce((s, n) => s + n, 0);
  if (view.length !== expected) throw new Error(`chunk result: ${view.length} bytes, expected ${expected}`);
  let off = HEADER;
  const next = (len: number) => {
    const a = new Float64Array(len);
    new Uint8Array(a.buffer).set(view.subarray(off, off + 8 * len));
    off += 8 * len;
    return a;
  };
  const [comboIds, params, stats, folds] = lengths.map(next) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return { chunkId, k, skipped, comboIds, params, stats, folds, nFolds };
}
