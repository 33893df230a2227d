// One text data file (plain, .gz or .zst) → its rows as single-contract segments, by one
// streaming pass of the line parser. Every row error names its line; a line equal to the header
// (files concatenated by hand, or a vendor's split export) is skipped and counted.
import { DataFileError } from "../errors.js";
import { databentoParser, type BuilderFor, type ContractRun } from "./databento-csv.js";
import { type Header, readHeader } from "./fields.js";
import { genericCsvParser } from "./generic-csv.js";
import { LegBuilder } from "./leg-builder.js";
import { type LoadLegOptions, maxJumpOf } from "./leg-format.js";
import { dropZeroVolume, type FileRead, type Segment, sliceSegment } from "./leg-parts.js";
import { readLines } from "./line-reader.js";
import type { RowParser } from "./row-reader.js";
import { sierraParser } from "./sierra-csv.js";

const LF = 10;

/** Settings of one file's parse, with the bar length known. */
export type FileOptions = LoadLegOptions & { fileBarMs: number };

/**
 * Rows expected in a file of `size` bytes, from the line lengths in its first chunk, with a
 * little slack so the columns rarely need to grow (and, when they do, grow by 1.5×).
 */
export function estimateRows(firstChunk: Uint8Array, size: number): number {
  const sample = firstChunk.subarray(0, 1 << 20);
  let lines = 0;
  for (let i = sample.indexOf(LF); i !== -1; i = sample.indexOf(LF, i + 1)) lines++;
  // Too few lines to measure: short lines if the file is small, else (lines over a megabyte) the
  // file will fail on its line length, and a guess of 64 bytes would reserve gigabytes for it.
  const avg = lines >= 2 ? sample.length / lines : Math.max(64, sample.length);
  return Math.ceil((size / avg) * 1.02) + 16;
}

/** True when `buf[start, end)` holds exactly the bytes of `header`. */
function sameBytes(buf: Buffer, start: number, end: number, header: Buffer): boolean {
  return end - start === header.length && buf.compare(header, 0, header.length, start, end) === 0;
}

/**
 * Parses `file` (of `size` bytes on disk; compressed files are sized from their text as it
 * comes) per `opts`; throws DataFileError on bad input (see LegBuilder).
 */
export async function parseTextFile(file: string, opts: FileOptions, size: number): Promise<FileRead> {
  const maxJump = maxJumpOf(opts);
  const builder = new LegBuilder(file, opts.fileBarMs, opts.lenient, maxJump);
  const runs: ContractRun[] = [];
  // roll.select volume: every contract of the file gets its own builder (own order and jump checks)
  const contracts = new Map<number, { builder: LegBuilder; symbol: string | undefined }>();
  const multi: BuilderFor | null =
    opts.format === "databento" && opts.roll?.select === "volume"
      ? (id, symbol) => {
          let c = contracts.get(id);
          if (c === undefined) {
            c = { builder: new LegBuilder(file, opts.fileBarMs, opts.lenient, maxJump), symbol };
            c.builder.names = builder.names;
            contracts.set(id, c);
          }
          return c.builder;
        }
      : null;
  const delimiter = opts.format === "csv" ? opts.delimiter : ",";
  let parse: RowParser | null = null;
  let header: Buffer | null = null;
  let rowsRead = 0;
  let headersRepeated = 0;
  const makeParser = (h: Header): RowParser => {
    switch (opts.format) {
      case "sierra":
        return sierraParser(file, h, opts, builder);
      case "databento":
        return databentoParser(file, h, opts, builder, runs, multi);
      case "csv":
        return genericCsvParser(file, h, opts, builder);
    }
  };
  await readLines(
    file,
    (buf, start, end, line) => {
      if (parse === null) {
        parse = makeParser(readHeader(buf, start, end, line, delimiter));
        header = Buffer.from(buf.subarray(start, end));
        return;
      }
      if (sameBytes(buf, start, end, header!)) {
        headersRepeated++;
        return;
      }
      rowsRead++;
      parse(buf, start, end, line);
    },
    { onFirstChunk: (chunk) => builder.reserve(estimateRows(chunk, size)) },
  );
  if (parse === null) throw new DataFileError(file, 1, "empty file: no header and no data rows");
  if (rowsRead === 0) throw new DataFileError(file, 1, "no data rows after the header (empty file)");

  const builders = multi === null ? [builder] : [...contracts.values()].map((c) => c.builder);
  let segments: Segment[] = [];
  if (multi === null) {
    const whole: Segment = { file, id: "", bars: builder.finish(), lines: builder.rowLines() };
    if (runs.length === 0) segments.push(whole);
    runs.forEach((run, k) => {
      const to = k + 1 < runs.length ? runs[k + 1]!.row : builder.n;
      segments.push({ ...sliceSegment(whole, run.row, to), id: run.id, symbol: run.symbol });
    });
  } else {
    for (const [id, c] of contracts) {
      segments.push({
        file,
        id: String(id),
        symbol: c.symbol,
        bars: c.builder.finish(),
        lines: c.builder.rowLines(),
      });
    }
  }
  const kept = builders.reduce((n, b) => n + b.n, 0);
  const skipped = builders.reduce((n, b) => n + b.skipped, 0);
  const skippedByKind: FileRead["stats"]["skippedByKind"] = {};
  const skippedSamples = builders
    .flatMap((b) => b.skippedSamples)
    .sort((x, y) => x.line - y.line)
    .slice(0, 10)
    .map((s) => ({ ...s, file }));
  for (const b of builders) {
    for (const [kind, n] of Object.entries(b.skippedByKind) as [keyof typeof skippedByKind, number][]) {
      skippedByKind[kind] = (skippedByKind[kind] ?? 0) + n;
    }
  }
  if (kept === 0) {
    const first = skippedSamples[0]!;
    throw new DataFileError(
      file,
      first.line,
      `no valid rows: all ${rowsRead} data rows were skipped (first: ${first.reason})`,
      { excerpt: first.excerpt },
    );
  }
  let zeroVolumeDropped = 0;
  if (opts.dropZeroVolume) {
    segments = segments.map((s) => {
      const r = dropZeroVolume(s);
      zeroVolumeDropped += r.dropped;
      return r.seg;
    });
    segments = segments.filter((s) => s.bars.ts.length > 0);
  }
  return {
    segments,
    stats: { rowsRead, skipped, skippedByKind, skippedSamples, zeroVolumeDropped, headersRepeated },
  };
}
