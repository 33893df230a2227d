// Databento OHLCV files read by DuckDB's own CSV (plain, .gz, .zst) and Parquet readers: several
// times faster than the line parser, and the only zstd reader the project ships natively. The
// rows go through the same LegBuilder checks; DuckDB gives no line numbers, so any row that a
// check or a cast refuses (and any file DuckDB cannot read) sends the CSV file back to the line
// parser, which names the line. Parquet has no lines: its errors name the row number.
import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance } from "@duckdb/node-api";
import type Bindings from "@duckdb/node-bindings";
import { createRequire } from "node:module";
import { DataFileError } from "../errors.js";
import { textChunks } from "./byte-chunks.js";
import { FileRows, type RowColumns } from "./databento-rows.js";
import { type Header, readHeader, requireColumn, findColumn, checkDelimiter } from "./fields.js";
import { fileKind } from "./file-kind.js";
import type { FileRead } from "./leg-parts.js";
import type { FileOptions } from "./parse-text-file.js";

let instance: Promise<DuckDBInstance> | null = null;
/** The bindings under node-api (doubles() reads vectors with them), set with `instance`. */
let native: { bindings: typeof Bindings; DOUBLE: number } | null = null;

/**
 * DuckDB's own memory: the loads only stream (a CSV buffer per thread, a streamed result's
 * READ_AHEAD, a Parquet row group), a few hundred MB at most, so a bound well above that keeps
 * the process's peak near the loaded columns instead of DuckDB's default of 80 % of the RAM.
 */
const DUCKDB_MEMORY_LIMIT = "1GB";

/**
 * How far a streamed query may read ahead of the rows the main thread has taken (DuckDB's
 * streaming_buffer_size, per connection; default 976 KiB, a few chunks): with more room DuckDB's
 * threads parse on while the main thread checks rows. W8 on 60 days, cold, alternating, 4 runs
 * each: 1.69–1.94 → 1.90–2.41 M rows/s per leg, the command 2.85–3.13 → 2.35–2.69 s, the same CPU,
 * peak RSS +100 MB (16 MB and 256 MB did no better).
 */
const READ_AHEAD = "64MB";

/**
 * One in-memory DuckDB for the process's loads, created on first use; the native library is
 * loaded only then, so commands that read no Databento file do not pay for it at start-up.
 */
export async function loaderDb(): Promise<DuckDBConnection> {
  instance ??= import("@duckdb/node-api").then(({ DuckDBInstance, DuckDBTypeId }) => {
    // the very bindings node-api is built on (resolved from its own folder): a chunk made by one
    // copy of the native library must never be read by another, should the versions drift apart
    const fromApi = createRequire(import.meta.resolve("@duckdb/node-api"));
    native = { bindings: fromApi("@duckdb/node-bindings") as typeof Bindings, DOUBLE: DuckDBTypeId.DOUBLE };
    return DuckDBInstance.create(":memory:", { threads: "2", memory_limit: DUCKDB_MEMORY_LIMIT });
  });
  const con = await (await instance).connect();
  await con.run(`SET streaming_buffer_size = '${READ_AHEAD}'`);
  return con;
}

/**
 * Epoch ms of a BIGINT of epoch ns, exact for whole ms; a time with a sub-millisecond part gets
 * half a ms more, so the bar-grid check catches it (as parseNanosToMs does).
 */
const msOfNanos = (ns: string) =>
  `((${ns}) // 1000000)::DOUBLE + CASE WHEN (${ns}) % 1000000 <> 0 THEN 0.5 ELSE 0 END`;

/** SQL string literal. */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** SQL identifier. */
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * The header of a (possibly compressed) text file and the fields of its first data row; null
 * when it has no header, sample null when it has no data row.
 */
async function firstLines(file: string): Promise<{ header: Header; sample: string[] | null } | null> {
  let text = Buffer.alloc(0);
  // small raw chunks: a zstd or gzip stream is decoded only as far as its first lines need
  for await (const chunk of textChunks(file, 4096)) {
    text = Buffer.concat([text, chunk]);
    const nl = text.indexOf(10);
    if (nl !== -1 && text.indexOf(10, nl + 1) !== -1) break;
    if (text.length > 1 << 20) break;
  }
  if (text.length === 0) return null;
  const lines = text
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .split("\n");
  const headerText = lines[0]!.replace(/\r$/, "");
  const buf = Buffer.from(headerText, "utf8");
  const header = readHeader(buf, 0, buf.length, 1, ",");
  const second = lines.length > 2 ? lines[1]!.replace(/\r$/, "") : null;
  return { header, sample: second === null ? null : second.split(",").map((f) => f.trim()) };
}

/** The Databento rtype of a file's first row (null: no rtype column, or no rows). */
export async function firstRtype(file: string): Promise<number | null> {
  const con = await loaderDb();
  try {
    const src = await sourceOf(file, con);
    if (src === null || src.rtype === null) return null;
    const r = await con.runAndReadAll(
      `SELECT TRY_CAST(${src.rtype} AS DOUBLE) FROM ${src.from(lit(file))} LIMIT 1`,
    );
    const v = r.getRows()[0]?.[0];
    return typeof v === "number" ? v : null;
  } catch {
    return null;
  } finally {
    con.closeSync();
  }
}

interface Source {
  /** The table function over a file, or over a list of alike files (`list` is SQL). */
  from: (list: string) => string;
  ts: string;
  id: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  rtype: string | null;
  symbol: string | null;
}

/** SQL pieces reading `file`'s columns as ms timestamps and decimal prices; null: no header. */
async function sourceOf(file: string, con: DuckDBConnection): Promise<Source | null> {
  if (fileKind(file) === "parquet") {
    const cols = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit(file)})`)).getRows();
    const type = new Map(cols.map((r) => [String(r[0]), String(r[1])]));
    const need = (name: string) => {
      if (!type.has(name)) {
        throw new DataFileError(
          file,
          0,
          `no column '${name}' (columns found: ${[...type.keys()].join(", ")})`,
        );
      }
      return name;
    };
    const isInt = (name: string) => /INT/.test(type.get(name)!);
    const ts = need("ts_event");
    const tsSql = msOfNanos(
      /TIMESTAMP/.test(type.get(ts)!) ? `epoch_ns(${ident(ts)})` : `${ident(ts)}::BIGINT`,
    );
    // fixed-point prices (1e-9 units) or decimal ones; the undefined-price sentinel is NULL
    const px = (name: string) =>
      isInt(need(name)) ? `${ident(name)}::DOUBLE / 1e9` : `${ident(name)}::DOUBLE`;
    return {
      from: (list) => `read_parquet(${list})`,
      ts: tsSql,
      id: `${ident(need("instrument_id"))}::DOUBLE`,
      open: px("open"),
      high: px("high"),
      low: px("low"),
      close: px("close"),
      volume: `${ident(need("volume"))}::DOUBLE`,
      rtype: type.has("rtype") ? ident("rtype") : null,
      symbol: type.has("symbol") ? ident("symbol") : null,
    };
  }
  const first = await firstLines(file);
  if (first === null || first.sample === null) return null; // the line parser says what is wrong
  const { header, sample } = first;
  checkDelimiter(file, header, ",");
  for (const name of ["ts_event", "instrument_id", "open", "high", "low", "close", "volume"]) {
    requireColumn(file, header, name);
  }
  const names = header.names.map((n) => n.trim());
  const at = (name: string) => findColumn(header, name);
  // Databento's two encodings, told apart by the first row: ns integers and 1e-9 fixed-point
  // prices (raw), or decimal prices; ISO times (pretty_ts) are left to the line parser. Columns
  // are typed, so DuckDB parses numbers itself; a row that does not fit (a repeated header, a
  // bad field) fails the query and the line parser takes the file over.
  if (!/^\d+$/.test(sample[at("ts_event")] ?? "")) return null;
  const decimal = /[.eE]/.test(sample[at("open")] ?? "");
  const PRICES = ["open", "high", "low", "close"];
  const typeOf = (n: string) =>
    n === "ts_event"
      ? "BIGINT"
      : PRICES.includes(n)
        ? decimal
          ? "DOUBLE"
          : "BIGINT"
        : n === "volume" || n === "instrument_id" || n === "rtype"
          ? "DOUBLE"
          : "VARCHAR";
  const columns = `{${names.map((n, k) => `${lit(`c${k}`)}: '${typeOf(n.toLowerCase())}'`).join(", ")}}`;
  const col = (name: string) => ident(`c${at(name)}`);
  // the undefined-price sentinel (i64::MAX) comes out as 2^63 / 1e9: caught by the row loop
  const px = (name: string) => (decimal ? col(name) : `${col(name)} / 1e9`);
  return {
    from: (list) =>
      `read_csv(${list}, header = true, auto_detect = false, delim = ',', quote = '"', ` +
      `columns = ${columns}, null_padding = false, strict_mode = true)`,
    ts: msOfNanos(col("ts_event")),
    id: col("instrument_id"),
    open: px("open"),
    high: px("high"),
    low: px("low"),
    close: px("close"),
    volume: col("volume"),
    rtype: at("rtype") >= 0 ? col("rtype") : null,
    symbol: at("symbol") >= 0 ? col("symbol") : null,
  };
}

/** NaN in place of NULL: the one value every row check refuses, as a missing field is. */
function nullsAsNaN(items: Float64Array, validity: BigUint64Array | null): Float64Array {
  if (validity === null) return items; // DuckDB leaves out the mask when no row is NULL
  let out: Float64Array | null = null;
  for (let w = 0; w * 64 < items.length; w++) {
    const word = validity[w]!;
    if (word === 0xffff_ffff_ffff_ffffn) continue;
    for (let i = w * 64; i < Math.min(items.length, w * 64 + 64); i++) {
      if (((word >> BigInt(i - w * 64)) & 1n) === 0n) (out ??= items.slice())[i] = Number.NaN;
    }
  }
  return out ?? items;
}

/**
 * A DOUBLE column of a result chunk as a typed array over the vector's memory (unless a row is
 * NULL). NULLs are mapped here rather than with `coalesce` in the SQL, which cost a quarter of
 * DuckDB's CPU for the query (measured on daily 1-second files). The chunk's vectors are read
 * through the bindings under node-api's wrappers, which build an object per vector and copy its
 * validity mask: of a cold W8 load (32 M rows per leg, 2048-row chunks), ≈ 6 % of the CPU.
 * The SELECT makes every column but the symbol DOUBLE.
 */
function doubles(chunk: DuckDBDataChunk, k: number): Float64Array {
  const n = chunk.rowCount;
  const bindings = native!.bindings;
  const vector = bindings.data_chunk_get_vector(chunk.chunk, k);
  const bytes = bindings.vector_get_data(vector, n * 8);
  const items = new Float64Array(bytes.buffer, bytes.byteOffset, n);
  const words = Math.ceil(n / 64);
  const mask = bindings.vector_get_validity(vector, words * 8) as Uint8Array | null;
  return nullsAsNaN(items, mask === null ? null : new BigUint64Array(mask.buffer, mask.byteOffset, words));
}

/** The SELECT's column of the raw symbol (selectSql). */
const SYMBOL_COLUMN = 8;

function columnsOf(chunk: DuckDBDataChunk): RowColumns {
  return {
    ts: doubles(chunk, 0),
    id: doubles(chunk, 1),
    o: doubles(chunk, 2),
    h: doubles(chunk, 3),
    l: doubles(chunk, 4),
    c: doubles(chunk, 5),
    v: doubles(chunk, 6),
    rt: doubles(chunk, 7),
    // read where the contract changes only, so its vector is made then
    sym: { getItem: (i: number) => chunk.getColumnVector(SYMBOL_COLUMN).getItem(i) },
  };
}

/**
 * The chunks of a streamed query, each next one fetched while the caller checks the current one
 * (DuckDB's threads fill it meanwhile, instead of waiting for the main thread to ask). Leaving
 * early waits for the fetch in flight, so the connection is never closed under it.
 */
async function* chunksOf(con: DuckDBConnection, sql: string): AsyncGenerator<DuckDBDataChunk> {
  const result = await con.stream(sql);
  // doubles() reads the columns' bytes as float64: every one but the symbol must be DOUBLE
  for (let k = 0; k < result.columnCount; k++) {
    if (k !== SYMBOL_COLUMN && result.columnTypeId(k) !== native!.DOUBLE) {
      throw new Error(`DuckDB result column ${k} is ${result.columnType(k).toString()}, not DOUBLE`);
    }
  }
  let next: Promise<DuckDBDataChunk | null> | null = result.fetchChunk();
  try {
    for (;;) {
      const chunk = await next;
      next = null;
      if (chunk === null || chunk.rowCount === 0) return;
      next = result.fetchChunk();
      // marked handled now: a failure surfaces at the next await, not as an unhandled rejection
      next.catch(() => undefined);
      yield chunk;
    }
  } finally {
    await next?.catch(() => undefined);
  }
}

/** The query of the rows of `list` (SQL: a file or a list of files), as RowColumns' doubles. */
function selectSql(src: Source, list: string, withFileIndex: boolean): string {
  const symbolSql = src.symbol === null ? "NULL" : src.symbol;
  const rtypeSql = src.rtype === null ? "'NaN'::DOUBLE" : `TRY_CAST(${src.rtype} AS DOUBLE)`;
  // NULL (an empty field, Parquet's null) comes out as NaN: see doubles()
  return (
    `SELECT (${src.ts})::DOUBLE, (${src.id})::DOUBLE, (${src.open})::DOUBLE, (${src.high})::DOUBLE, ` +
    `(${src.low})::DOUBLE, (${src.close})::DOUBLE, (${src.volume})::DOUBLE, ${rtypeSql}, ` +
    `${symbolSql}` +
    // which file of the list a row comes from (DuckDB's multi-file readers number them)
    (withFileIndex ? ", file_index::DOUBLE " : " ") +
    `FROM ${src.from(list)}`
  );
}

/**
 * Reads a Databento file through DuckDB. Returns null when the file must be read by the line
 * parser instead: a bad row or field in a text file (to name its line), or a file DuckDB
 * refuses. Settings mismatches (rtype vs bar length) are left to that parser too.
 */
export async function readDatabentoFast(
  file: string,
  opts: FileOptions,
  /** Rows expected (e.g. the previous daily file's), to size the columns once. */
  rowsHint = 0,
): Promise<FileRead | null> {
  const parquet = fileKind(file) === "parquet";
  // lenient text files need the line parser's per-row skipping and samples
  if (opts.lenient && !parquet) return null;
  const con = await loaderDb();
  try {
    const src = await sourceOf(file, con);
    if (src === null) return null;
    const rows = new FileRows(file, opts, parquet, rowsHint);
    for await (const chunk of chunksOf(con, selectSql(src, lit(file), false))) {
      if (!rows.take(columnsOf(chunk), 0, chunk.rowCount)) return null;
    }
    return rows.finish();
  } catch (e) {
    if (e instanceof DataFileError) throw e;
    if (parquet) {
      throw new DataFileError(file, 0, `cannot read Parquet file (${(e as Error).message.split("\n")[0]})`);
    }
    return null;
  } finally {
    con.closeSync();
  }
}

/** Files whose headers are read at once (each decodes a few kB of its stream). */
const SOURCE_CONCURRENCY = 4;
/** Files per query, and queries at once (see readDatabentoFiles). */
const BATCH_FILES = 32;
const QUERY_CONCURRENCY = 2;

/**
 * Reads many Databento files (a leg's daily files) through as few DuckDB queries as their
 * layouts allow: one per distinct header (CSV) or schema (Parquet), over the list of files, so
 * DuckDB reads several files at once and the fixed cost of a query is paid once, not per file.
 * Each file's rows are checked on their own (FileRows). A file gets null, to be read on its
 * own by readDatabentoFast and then the line parser, when anything about it goes wrong here: a
 * refused row, an unreadable header, or a query that fails (then every file of that query).
 * Errors are thus always raised by the single-file path, as before, naming file and line.
 */
export async function readDatabentoFiles(files: string[], opts: FileOptions): Promise<(FileRead | null)[]> {
  const out: (FileRead | null)[] = files.map(() => null);
  const kinds = files.map((f) => fileKind(f) === "parquet");
  // lenient text files need the line parser's per-row skipping and samples
  const wanted = files.map((_, k) => kinds[k]! || !opts.lenient);
  if (!wanted.some(Boolean)) return out;

  const sources: (Source | null)[] = files.map(() => null);
  let next = 0;
  const worker = async () => {
    const con = await loaderDb();
    try {
      while (next < files.length) {
        const k = next++;
        if (wanted[k]) sources[k] = await sourceOf(files[k]!, con).catch(() => null);
      }
    } finally {
      con.closeSync();
    }
  };
  await Promise.all(Array.from({ length: Math.min(SOURCE_CONCURRENCY, files.length) }, worker));

  // files of the same layout (the same SQL but for the file list) share a query
  const groups = new Map<string, number[]>();
  sources.forEach((src, k) => {
    if (src === null) return;
    const key = `${kinds[k]}\n${selectSql(src, "?", true)}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [k]);
    else group.push(k);
  });
  // batches of a group's files, QUERY_CONCURRENCY queries in flight: one streamed query over
  // many compressed files keeps fewer threads busy than two at a time
  const batches: number[][] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += BATCH_FILES) batches.push(group.slice(i, i + BATCH_FILES));
  }
  let nextBatch = 0;
  const reader = async () => {
    const con = await loaderDb();
    try {
      while (nextBatch < batches.length) {
        const batch = batches[nextBatch++]!;
        const src = sources[batch[0]!]!;
        const list = `[${batch.map((k) => lit(files[k]!)).join(", ")}]`;
        await readGroup(con, selectSql(src, list, true), batch, files, kinds, opts, out);
      }
    } finally {
      con.closeSync();
    }
  };
  await Promise.all(Array.from({ length: Math.min(QUERY_CONCURRENCY, batches.length) }, reader));
  return out;
}

async function readGroup(
  con: DuckDBConnection,
  sql: string,
  group: number[],
  files: string[],
  kinds: boolean[],
  opts: FileOptions,
  out: (FileRead | null)[],
): Promise<void> {
  let hint = 0; // daily files of one leg are alike in size: the last one's rows size the next
  const rows: (FileRows | null)[] = group.map(() => null);
  const failed = group.map(() => false);
  const rowsOf = (j: number) => {
    let r = rows[j];
    if (r === null || r === undefined) {
      r = new FileRows(files[group[j]!]!, opts, kinds[group[j]!]!, hint);
      rows[j] = r;
    }
    return r;
  };
  try {
    for await (const chunk of chunksOf(con, sql)) {
      const n = chunk.rowCount;
      const cols = columnsOf(chunk);
      const fileIndex = doubles(chunk, 9);
      // the chunk in runs of rows of one file
      for (let i0 = 0; i0 < n;) {
        const j = fileIndex[i0]!;
        let i1 = i0 + 1;
        while (i1 < n && fileIndex[i1] === j) i1++;
        if (!failed[j]) {
          try {
            if (!rowsOf(j).take(cols, i0, i1)) failed[j] = true;
          } catch {
            failed[j] = true; // the file on its own raises the error
          }
          hint = Math.max(hint, rows[j]!.rowsRead);
        }
        i0 = i1;
      }
    }
  } catch {
    return; // DuckDB refused a file of the list: each is read on its own
  }
  group.forEach((k, j) => {
    const r = rows[j];
    if (failed[j] || r === null || r === undefined) return;
    try {
      out[k] = r.finish();
    } catch {
      out[k] = null;
    }
  });
}
