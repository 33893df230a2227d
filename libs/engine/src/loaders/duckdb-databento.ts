// Databento OHLCV files read by DuckDB's own CSV (plain, .gz, .zst) and Parquet readers: several
// times faster than the line parser, and the only zstd reader the project ships natively. The
// rows go through the same LegBuilder checks; DuckDB gives no line numbers, so any row that a
// check or a cast refuses (and any file DuckDB cannot read) sends the CSV file back to the line
// parser, which names the line. Parquet has no lines: its errors name the row number.
import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance } from "@duckdb/node-api";
import { DataFileError } from "../errors.js";
import { textChunks } from "./byte-chunks.js";
import { type ContractRun, RTYPE_BAR_MS } from "./databento-csv.js";
import { type Header, readHeader, requireColumn, findColumn, checkDelimiter } from "./fields.js";
import { LegBuilder, NeedsLineParse } from "./leg-builder.js";
import { maxJumpOf } from "./leg-format.js";
import { fileKind } from "./file-kind.js";
import { type FileRead, type Segment, sliceSegment, dropZeroVolume } from "./leg-parts.js";
import type { FileOptions } from "./parse-text-file.js";

let instance: Promise<DuckDBInstance> | null = null;

/**
 * One in-memory DuckDB for the process's loads, created on first use; the native library is
 * loaded only then, so commands that read no Databento file do not pay for it at start-up.
 */
export async function loaderDb(): Promise<DuckDBConnection> {
  instance ??= import("@duckdb/node-api").then(({ DuckDBInstance }) =>
    DuckDBInstance.create(":memory:", { threads: "2" }),
  );
  return (await instance).connect();
}

/**
 * Epoch ms of a BIGINT of epoch ns, exact for whole ms; a time with a sub-millisecond part gets
 * half a ms more, so the bar-grid check catches it (as parseNanosToMs does).
 */
const msOfNanos = (ns: string) =>
  `((${ns}) // 1000000)::DOUBLE + CASE WHEN (${ns}) % 1000000 <> 0 THEN 0.5 ELSE 0 END`;

/** Databento's undefined price (i64::MAX in 1e-9 units) as the double the SQL gives for it. */
const UNDEF_PX = 2 ** 63 / 1e9; // i64::MAX as a double is 2^63

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
    const r = await con.runAndReadAll(`SELECT TRY_CAST(${src.rtype} AS DOUBLE) FROM ${src.from} LIMIT 1`);
    const v = r.getRows()[0]?.[0];
    return typeof v === "number" ? v : null;
  } catch {
    return null;
  } finally {
    con.closeSync();
  }
}

interface Source {
  from: string;
  ts: string;
  id: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  rtype: string | null;
  symbol: string | null;
  /** The header's first name: a row holding it there is a repeated header line. */
  headerMark: string | null;
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
      from: `read_parquet(${lit(file)})`,
      ts: tsSql,
      id: `${ident(need("instrument_id"))}::DOUBLE`,
      open: px("open"),
      high: px("high"),
      low: px("low"),
      close: px("close"),
      volume: `${ident(need("volume"))}::DOUBLE`,
      rtype: type.has("rtype") ? ident("rtype") : null,
      symbol: type.has("symbol") ? ident("symbol") : null,
      headerMark: null,
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
  // the undefined-price sentinel (i64::MAX) comes out as UNDEF_PX: caught by the row loop
  const px = (name: string) => (decimal ? col(name) : `${col(name)} / 1e9`);
  return {
    from:
      `read_csv(${lit(file)}, header = true, auto_detect = false, delim = ',', quote = '"', ` +
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
    headerMark: null,
  };
}

/** A double column of a result chunk as its typed array (the vector's own memory, no copy). */
function doubles(chunk: DuckDBDataChunk, k: number): Float64Array {
  const items = (chunk.getColumnVector(k) as unknown as { items?: unknown }).items;
  if (!(items instanceof Float64Array)) throw new Error("DuckDB result column is not DOUBLE");
  return items;
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
    return await readWith(con, file, opts, parquet, rowsHint);
  } catch (e) {
    if (e instanceof DataFileError) throw e;
    if (parquet) {
      if (e instanceof NeedsLineParse) throw e; // not reached: parquet builders are not probes
      throw new DataFileError(file, 0, `cannot read Parquet file (${(e as Error).message.split("\n")[0]})`);
    }
    return null;
  } finally {
    con.closeSync();
  }
}

async function readWith(
  con: DuckDBConnection,
  file: string,
  opts: FileOptions,
  parquet: boolean,
  rowsHint: number,
): Promise<FileRead | null> {
  const src = await sourceOf(file, con);
  if (src === null) return null;
  const maxJump = maxJumpOf(opts);
  // text rows have no line numbers here: any refusal re-reads the file with the line parser
  const probe = !parquet;
  const single = new LegBuilder(file, opts.fileBarMs, opts.lenient, maxJump, probe);
  single.reserve(Math.ceil(rowsHint * 1.05));
  const multiMode = opts.roll?.select === "volume";
  const contracts = new Map<number, { builder: LegBuilder; symbol: string | undefined }>();
  const runs: ContractRun[] = [];
  const symbolSql = src.symbol === null ? "NULL" : src.symbol;
  const markSql = src.headerMark === null ? "false" : src.headerMark;
  const rtypeSql = src.rtype === null ? "NULL" : `TRY_CAST(${src.rtype} AS DOUBLE)`;
  const result = await con.stream(
    `SELECT coalesce(${src.ts}, 'NaN'::DOUBLE), coalesce(${src.id}, 'NaN'::DOUBLE), ` +
      `coalesce(${src.open}, 'NaN'::DOUBLE), coalesce(${src.high}, 'NaN'::DOUBLE), ` +
      `coalesce(${src.low}, 'NaN'::DOUBLE), coalesce(${src.close}, 'NaN'::DOUBLE), ` +
      `coalesce(${src.volume}, 'NaN'::DOUBLE), coalesce(${rtypeSql}, 'NaN'::DOUBLE), ` +
      `(CASE WHEN ${markSql} THEN 1 ELSE 0 END)::DOUBLE, ` +
      `${symbolSql} ` +
      `FROM ${src.from}`,
  );
  const wantRtypeMs = opts.fileBarMs;
  let rowsRead = 0;
  let headersRepeated = 0;
  let lastId = Number.NaN;
  let lastRtype = Number.NaN;
  let builder = single;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    const ts = doubles(chunk, 0);
    const id = doubles(chunk, 1);
    const o = doubles(chunk, 2);
    const h = doubles(chunk, 3);
    const l = doubles(chunk, 4);
    const c = doubles(chunk, 5);
    const v = doubles(chunk, 6);
    const rt = doubles(chunk, 7);
    const mark = doubles(chunk, 8);
    const sym = chunk.getColumnVector(9);
    for (let i = 0; i < n; i++) {
      if (mark[i] === 1) {
        headersRepeated++;
        continue;
      }
      rowsRead++;
      const line = parquet ? rowsRead : 0;
      if (rt[i] !== lastRtype) {
        const known = RTYPE_BAR_MS[rt[i]!];
        if (known && known[1] !== wantRtypeMs) {
          if (!parquet) return null; // the line parser reports it with its line
          throw new DataFileError(
            file,
            line,
            `rtype ${rt[i]} is ${known[0]} bars but the file's bar length is set otherwise ` +
              `(${opts.fileBarSetting ?? "data.file_bar_seconds"}: leave it unset to take it from rtype)`,
          );
        }
        lastRtype = rt[i]!;
      }
      const inst = id[i]!;
      if (inst !== lastId) {
        if (Number.isNaN(inst)) {
          if (!parquet) return null;
          throw new DataFileError(file, line, "instrument_id is not a number");
        }
        const s = sym.getItem(i);
        const symbol = s === null || s === undefined ? undefined : String(s);
        if (multiMode) {
          let entry = contracts.get(inst);
          if (entry === undefined) {
            entry = { builder: new LegBuilder(file, opts.fileBarMs, opts.lenient, maxJump, probe), symbol };
            contracts.set(inst, entry);
          }
          builder = entry.builder;
        } else {
          if (!Number.isNaN(lastId) && ts[i]! <= single.lastTs) {
            if (!parquet) return null;
            throw new DataFileError(
              file,
              line,
              "rows of several instruments are interleaved; export one (e.g. continuous) symbol per file, " +
                "or set data.roll.select: volume",
            );
          }
          single.newContract();
          runs.push({ row: single.n, line, id: String(inst), ...(symbol === undefined ? {} : { symbol }) });
        }
        lastId = inst;
      }
      if (o[i] === UNDEF_PX || h[i] === UNDEF_PX || l[i] === UNDEF_PX || c[i] === UNDEF_PX) {
        if (!parquet) return null; // the line parser names the undefined price and its line
        builder.reject(line, "undefined price (UNDEF_PRICE)", "bad price");
        continue;
      }
      builder.add(line, ts[i]!, o[i]!, h[i]!, l[i]!, c[i]!, v[i]!);
    }
  }
  if (rowsRead === 0) {
    if (!parquet) return null;
    throw new DataFileError(file, 0, "no data rows (empty file)");
  }
  const builders = multiMode ? [...contracts.values()].map((e) => e.builder) : [single];
  let segments: Segment[] = [];
  if (multiMode) {
    for (const [inst, e] of contracts) {
      segments.push({
        file,
        id: String(inst),
        ...(e.symbol === undefined ? {} : { symbol: e.symbol }),
        bars: e.builder.finish(),
        lines: parquet ? e.builder.rowLines() : null,
      });
    }
  } else {
    const whole: Segment = { file, id: "", bars: single.finish(), lines: parquet ? single.rowLines() : null };
    runs.forEach((run, k) => {
      const to = k + 1 < runs.length ? runs[k + 1]!.row : single.n;
      segments.push({ ...sliceSegment(whole, run.row, to), id: run.id, symbol: run.symbol });
    });
  }
  let zeroVolumeDropped = 0;
  if (opts.dropZeroVolume) {
    segments = segments
      .map((s) => {
        const r = dropZeroVolume(s);
        zeroVolumeDropped += r.dropped;
        return r.seg;
      })
      .filter((s) => s.bars.ts.length > 0);
  }
  const skipped = builders.reduce((k, b) => k + b.skipped, 0);
  const skippedByKind: FileRead["stats"]["skippedByKind"] = {};
  for (const b of builders) {
    for (const [kind, k] of Object.entries(b.skippedByKind) as [keyof typeof skippedByKind, number][]) {
      skippedByKind[kind] = (skippedByKind[kind] ?? 0) + k;
    }
  }
  const skippedSamples = builders
    .flatMap((b) => b.skippedSamples)
    .slice(0, 10)
    .map((s) => ({ ...s, file }));
  return {
    segments,
    stats: { rowsRead, skipped, skippedByKind, skippedSamples, zeroVolumeDropped, headersRepeated },
  };
}
