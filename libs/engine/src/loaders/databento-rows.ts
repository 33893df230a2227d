// The rows of one Databento file as DuckDB streams them out (duckdb-databento.ts): checked by the
// same LegBuilder rules as the line parser and kept per contract. A query may cover many files;
// each file has its own FileRows, fed the runs of rows that belong to it.
import { DataFileError } from "../errors.js";
import { type ContractRun, RTYPE_BAR_MS } from "./databento-csv.js";
import { LegBuilder, NeedsLineParse, type RowBlock } from "./leg-builder.js";
import { maxJumpOf } from "./leg-format.js";
import { type FileRead, type Segment, dropZeroVolume, sliceSegment } from "./leg-parts.js";
import type { FileOptions } from "./parse-text-file.js";

/** Databento's undefined price (i64::MAX in 1e-9 units) as the double the SQL gives for it. */
const UNDEF_PX = 2 ** 63 / 1e9; // i64::MAX as a double is 2^63

/** One result chunk's columns, in the order of the SELECT (duckdb-databento.ts). */
export interface RowColumns extends RowBlock {
  id: Float64Array;
  rt: Float64Array;
  sym: { getItem(i: number): unknown };
}

export class FileRows {
  rowsRead = 0;
  private lastId = Number.NaN;
  private lastRtype = Number.NaN;
  private readonly single: LegBuilder;
  private builder: LegBuilder;
  private readonly multiMode: boolean;
  private readonly contracts = new Map<number, { builder: LegBuilder; symbol: string | undefined }>();
  private readonly runs: ContractRun[] = [];
  private readonly maxJump: number | null;
  /** Text rows have no line numbers here: any refusal hands the file to the line parser. */
  private readonly probe: boolean;

  constructor(
    readonly file: string,
    private readonly opts: FileOptions,
    private readonly parquet: boolean,
    /** Rows expected (e.g. a previous daily file's), to size the columns once. */
    rowsHint = 0,
  ) {
    this.maxJump = maxJumpOf(opts);
    this.probe = !parquet;
    this.single = new LegBuilder(file, opts.fileBarMs, opts.lenient, this.maxJump, this.probe);
    this.single.reserve(Math.ceil(rowsHint * 1.05));
    this.builder = this.single;
    this.multiMode = opts.roll?.select === "volume";
  }

  /**
   * Checks and keeps rows [i0, i1) of a chunk. False: a text file's row was refused, so the
   * file must be read by the line parser (which names the line). Parquet rows throw
   * DataFileError naming the row number.
   */
  take(cols: RowColumns, i0: number, i1: number): boolean {
    try {
      return this.rows(cols, i0, i1);
    } catch (e) {
      if (e instanceof NeedsLineParse) return false;
      throw e;
    }
  }

  private rows(cols: RowColumns, i0: number, i1: number): boolean {
    const { ts, id, o, h, l, c, v, rt, sym } = cols;
    const { file, opts, parquet, single } = this;
    const wantRtypeMs = opts.fileBarMs;
    for (let i = i0; i < i1; i++) {
      // the rows from here on of the current rtype and contract, with defined prices, in bulk
      if (rt[i] === this.lastRtype && id[i] === this.lastId) {
        let j = i;
        while (
          j < i1 &&
          rt[j] === this.lastRtype &&
          id[j] === this.lastId &&
          o[j] !== UNDEF_PX &&
          h[j] !== UNDEF_PX &&
          l[j] !== UNDEF_PX &&
          c[j] !== UNDEF_PX
        ) {
          j++;
        }
        const took = this.builder.addMany(cols, i, j, parquet ? this.rowsRead + 1 : 0);
        this.rowsRead += took;
        i += took;
        if (i === i1) break;
        // row i failed a check, or changes rtype or contract: the row-by-row path below
      }
      this.rowsRead++;
      const line = parquet ? this.rowsRead : 0;
      if (rt[i] !== this.lastRtype) {
        const known = RTYPE_BAR_MS[rt[i]!];
        if (known && known[1] !== wantRtypeMs) {
          if (!parquet) return false; // the line parser reports it with its line
          throw new DataFileError(
            file,
            line,
            `rtype ${rt[i]} is ${known[0]} bars but the file's bar length is set otherwise ` +
              `(${opts.fileBarSetting ?? "data.file_bar_seconds"}: leave it unset to take it from rtype)`,
          );
        }
        this.lastRtype = rt[i]!;
      }
      const inst = id[i]!;
      if (inst !== this.lastId) {
        if (Number.isNaN(inst)) {
          if (!parquet) return false;
          throw new DataFileError(file, line, "instrument_id is not a number");
        }
        const s = sym.getItem(i);
        const symbol = s === null || s === undefined ? undefined : String(s);
        if (this.multiMode) {
          let entry = this.contracts.get(inst);
          if (entry === undefined) {
            const b = new LegBuilder(file, opts.fileBarMs, opts.lenient, this.maxJump, this.probe);
            entry = { builder: b, symbol };
            this.contracts.set(inst, entry);
          }
          this.builder = entry.builder;
        } else {
          if (!Number.isNaN(this.lastId) && ts[i]! <= single.lastTs) {
            if (!parquet) return false;
            throw new DataFileError(
              file,
              line,
              "rows of several instruments are interleaved; export one (e.g. continuous) symbol per file, " +
                "or set data.roll.select: volume",
            );
          }
          single.newContract();
          this.runs.push({
            row: single.n,
            line,
            id: String(inst),
            ...(symbol === undefined ? {} : { symbol }),
          });
        }
        this.lastId = inst;
      }
      if (o[i] === UNDEF_PX || h[i] === UNDEF_PX || l[i] === UNDEF_PX || c[i] === UNDEF_PX) {
        if (!parquet) return false; // the line parser names the undefined price and its line
        this.builder.reject(line, "undefined price (UNDEF_PRICE)", "bad price");
        continue;
      }
      this.builder.add(line, ts[i]!, o[i]!, h[i]!, l[i]!, c[i]!, v[i]!);
    }
    return true;
  }

  /** The file's segments and counts; null when a text file had no rows (the line parser says why). */
  finish(): FileRead | null {
    const { file, opts, parquet, single } = this;
    if (this.rowsRead === 0) {
      if (!parquet) return null;
      throw new DataFileError(file, 0, "no data rows (empty file)");
    }
    const builders = this.multiMode ? [...this.contracts.values()].map((e) => e.builder) : [single];
    let segments: Segment[] = [];
    if (this.multiMode) {
      for (const [inst, e] of this.contracts) {
        segments.push({
          file,
          id: String(inst),
          ...(e.symbol === undefined ? {} : { symbol: e.symbol }),
          bars: e.builder.finish(),
          lines: parquet ? e.builder.rowLines() : null,
        });
      }
    } else {
      const whole: Segment = {
        file,
        id: "",
        bars: single.finish(),
        lines: parquet ? single.rowLines() : null,
      };
      this.runs.forEach((run, k) => {
        const to = k + 1 < this.runs.length ? this.runs[k + 1]!.row : single.n;
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
      stats: {
        rowsRead: this.rowsRead,
        skipped,
        skippedByKind,
        skippedSamples,
        zeroVolumeDropped,
        // a header repeated inside a text file fails DuckDB's typed read, so such a file is read
        // by the line parser, which counts it; rows that reach here hold no header
        headersRepeated: 0,
      },
    };
  }
}
