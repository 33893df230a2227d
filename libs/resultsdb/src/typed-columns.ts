// Filling a DuckDB data chunk column by column straight from the kernels' flat typed arrays: one
// gather loop per column into a scratch buffer, then one memcpy into the native vector (values and
// validity). The value-at-a-time path (column-append.ts: `setItem`, a JS `listValue` per row and
// fold field) spent about a quarter of the ingest's CPU in JS; after this change the fills and
// copies are a few per cent of it, and DuckDB's own append, commit and checkpoint are the rest.
// NaN becomes NULL.
import duckdb from "@duckdb/node-bindings";
import {
  type DuckDBAppender,
  DuckDBDataChunk,
  DuckDBListType,
  type DuckDBType,
  DuckDBTypeId,
} from "@duckdb/node-api";

/** Writes rows [start, start + count) of one column into `vector` (count ≤ the standard size). */
export type ColumnFill = (vector: duckdb.Vector, start: number, count: number) => void;

/** A strided view of a flat row-major array: row r's value is `data[r * stride + offset]`. */
export interface Strided {
  data: Float64Array;
  stride: number;
  offset: number;
}

const STANDARD = duckdb.vector_size();

/**
 * Scratch shared by every fill: filled and copied out before the next column starts, so one set
 * serves all. Grown (never shrunk) when a list column needs more than `STANDARD` child values.
 */
let scratch = new ArrayBuffer(STANDARD * 8);
let f64 = new Float64Array(scratch);
let i32 = new Int32Array(scratch);
let u32 = new Uint32Array(scratch);
let mask = new Uint32Array(STANDARD / 32);

function ensureScratch(values: number): void {
  if (values * 8 <= scratch.byteLength) return;
  scratch = new ArrayBuffer(values * 8);
  f64 = new Float64Array(scratch);
  i32 = new Int32Array(scratch);
  u32 = new Uint32Array(scratch);
  mask = new Uint32Array(Math.ceil(values / 64) * 2);
}

/**
 * Copies `mask`'s first `count` bits into the vector's validity (DuckDB: 64-bit words, bit i of
 * the row set = valid; a Uint32Array pair is the same bytes on a little-endian machine).
 */
function writeValidity(vector: duckdb.Vector, count: number): void {
  duckdb.vector_ensure_validity_writable(vector);
  const bytes = Math.ceil(count / 64) * 8;
  duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer, mask.byteOffset, bytes);
}

/** Sets all `count` validity bits; the gather loops clear the NULL ones. */
function allValid(count: number): void {
  mask.fill(0xffffffff, 0, Math.ceil(count / 64) * 2);
}

/** Gathers n values (value i at `data[first + i * step]`) as doubles into f64, NaN → invalid. */
function gatherDoubles(data: Float64Array, first: number, step: number, n: number): void {
  allValid(n);
  for (let i = 0, at = first; i < n; i++, at += step) {
    const v = data[at]!;
    f64[i] = v;
    if (Number.isNaN(v)) mask[i >>> 5]! &= ~(1 << (i & 31));
  }
}

/** The same into i32 (INTEGER columns: counts, stored whole), NaN → invalid. */
function gatherInts(data: Float64Array, first: number, step: number, n: number): void {
  allValid(n);
  for (let i = 0, at = first; i < n; i++, at += step) {
    const v = data[at]!;
    if (Number.isNaN(v)) {
      i32[i] = 0;
      mask[i >>> 5]! &= ~(1 << (i & 31));
    } else {
      i32[i] = v;
    }
  }
}

/** Whether a column type is one the numeric fills write (DOUBLE or INTEGER). */
function numericKind(type: DuckDBType, column: string): "double" | "int" {
  if (type.typeId === DuckDBTypeId.DOUBLE) return "double";
  if (type.typeId === DuckDBTypeId.INTEGER) return "int";
  throw new Error(`column ${column}: cannot fill a ${type.toString()} column from numbers`);
}

/** A DOUBLE or INTEGER column from a strided source (params, stats, or one fold field). */
export function numberColumn(type: DuckDBType, column: string, src: Strided): ColumnFill {
  const kind = numericKind(type, column);
  return (vector, start, count) => {
    const first = start * src.stride + src.offset;
    if (kind === "double") gatherDoubles(src.data, first, src.stride, count);
    else gatherInts(src.data, first, src.stride, count);
    duckdb.copy_data_to_vector(vector, 0, scratch, 0, count * (kind === "double" ? 8 : 4));
    writeValidity(vector, count);
  };
}

/**
 * A LIST(DOUBLE) or LIST(INTEGER) column whose row r holds `n` values: element f at
 * `data[(r * n + f) * width + offset]` (a fold field: n folds of `width` values per row).
 */
export function listColumn(
  type: DuckDBType,
  column: string,
  data: Float64Array,
  n: number,
  width: number,
  offset: number,
): ColumnFill {
  if (!(type instanceof DuckDBListType)) throw new Error(`column ${column}: expected a LIST, got ${type}`);
  const kind = numericKind(type.valueType, column);
  return (vector, start, count) => {
    const total = count * n;
    ensureScratch(Math.max(total, count * 2));
    // list entries: (offset, length) as two uint64 per row, row r's values at r * n
    for (let r = 0; r < count; r++) {
      u32[4 * r] = r * n;
      u32[4 * r + 1] = 0;
      u32[4 * r + 2] = n;
      u32[4 * r + 3] = 0;
    }
    duckdb.copy_data_to_vector(vector, 0, scratch, 0, count * 16);
    allValid(count);
    writeValidity(vector, count);
    duckdb.list_vector_reserve(vector, total);
    duckdb.list_vector_set_size(vector, total);
    const child = duckdb.list_vector_get_child(vector);
    const first = start * n * width + offset;
    if (kind === "double") gatherDoubles(data, first, width, total);
    else gatherInts(data, first, width, total);
    duckdb.copy_data_to_vector(child, 0, scratch, 0, total * (kind === "double" ? 8 : 4));
    writeValidity(child, total);
  };
}

/** A BIGINT column of whole numbers below 2^53 held as doubles (combo ids). */
export function bigintColumn(type: DuckDBType, column: string, ids: (row: number) => number): ColumnFill {
  if (type.typeId !== DuckDBTypeId.BIGINT) throw new Error(`column ${column}: expected BIGINT, got ${type}`);
  return (vector, start, count) => {
    for (let r = 0; r < count; r++) {
      const id = ids(start + r);
      u32[2 * r] = id % 0x1_0000_0000; // little-endian int64: low word first
      u32[2 * r + 1] = Math.floor(id / 0x1_0000_0000);
    }
    duckdb.copy_data_to_vector(vector, 0, scratch, 0, count * 8);
    allValid(count);
    writeValidity(vector, count);
  };
}

/** An INTEGER column computed from the row index (the fold number of a fold row). */
export function intColumn(type: DuckDBType, column: string, value: (row: number) => number): ColumnFill {
  if (type.typeId !== DuckDBTypeId.INTEGER)
    throw new Error(`column ${column}: expected INTEGER, got ${type}`);
  return (vector, start, count) => {
    for (let r = 0; r < count; r++) i32[r] = value(start + r);
    duckdb.copy_data_to_vector(vector, 0, scratch, 0, count * 4);
    allValid(count);
    writeValidity(vector, count);
  };
}

/** A VARCHAR column holding the same string on every row (the job id). */
export function constantText(type: DuckDBType, column: string, text: string): ColumnFill {
  if (type.typeId !== DuckDBTypeId.VARCHAR)
    throw new Error(`column ${column}: expected VARCHAR, got ${type}`);
  return (vector, _start, count) => {
    for (let r = 0; r < count; r++) duckdb.vector_assign_string_element(vector, r, text);
    allValid(count);
    writeValidity(vector, count);
  };
}

/** A column left NULL (dsr and same_as, set when the job is finalised; unknown columns). */
export const nullColumn: ColumnFill = (vector, _start, count) => {
  mask.fill(0, 0, Math.ceil(count / 64) * 2);
  writeValidity(vector, count);
};

/**
 * One data chunk per column-type list (a file's `results` or `results_folds`), reused by every
 * ingest: the appender copies what it is given, so a chunk is reset and refilled. The bindings
 * free a chunk only in its finalizer, and V8 does not see the ~2 MB of native vectors behind the
 * small handle, so a chunk made per append piled up unfreed and the RSS grew with the job.
 */
const chunks = new Map<string, DuckDBDataChunk>();

function reusableChunk(types: readonly DuckDBType[]): DuckDBDataChunk {
  const key = types.map(String).join(",");
  let chunk = chunks.get(key);
  if (!chunk) chunks.set(key, (chunk = DuckDBDataChunk.create(types)));
  return chunk;
}

/**
 * Appends `nRows` rows whose column c (the table's storage order, `types[c]`) is written by
 * `fills[c]`, one data chunk of up to the standard vector size at a time.
 */
export function appendFilled(
  appender: DuckDBAppender,
  types: readonly DuckDBType[],
  fills: readonly ColumnFill[],
  nRows: number,
): void {
  if (nRows === 0) return;
  const chunk = reusableChunk(types);
  for (let start = 0; start < nRows; start += STANDARD) {
    const count = Math.min(STANDARD, nRows - start);
    chunk.reset();
    chunk.rowCount = count;
    for (let c = 0; c < fills.length; c++)
      fills[c]!(duckdb.data_chunk_get_vector(chunk.chunk, c), start, count);
    appender.appendDataChunk(chunk);
  }
}
