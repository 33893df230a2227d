// One leg's file → bars at the target bar length, by one streaming pass (no cache involved).
import { DataFileError } from "../errors.js";
import type { Bars } from "./bars.js";
import type { CachedStats } from "./column-cache.js";
import { databentoParser } from "./databento-csv.js";
import { type Header, readHeader } from "./fields.js";
import { genericCsvParser } from "./generic-csv.js";
import { LegBuilder } from "./leg-builder.js";
import { type LoadLegOptions, maxJumpOf, type Roll } from "./leg-format.js";
import { readLines } from "./line-reader.js";
import { resampleBars } from "./resample.js";
import type { RowParser } from "./row-reader.js";
import { sierraParser } from "./sierra-csv.js";

const LF = 10;

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

function makeParser(
  file: string,
  header: Header,
  opts: LoadLegOptions,
  builder: LegBuilder,
  rolls: Roll[],
): RowParser {
  switch (opts.format) {
    case "sierra":
      return sierraParser(file, header, opts, builder);
    case "databento":
      return databentoParser(file, header, opts, builder, rolls);
    case "csv":
      return genericCsvParser(file, header, opts, builder);
  }
}

/** Parses `file` (of `size` bytes) per `opts`; throws DataFileError on bad input (see LegBuilder). */
export async function parseLeg(
  file: string,
  opts: LoadLegOptions,
  size: number,
): Promise<{ bars: Bars; stats: CachedStats }> {
  const builder = new LegBuilder(file, opts.fileBarMs, opts.lenient, maxJumpOf(opts));
  const rolls: Roll[] = [];
  const delimiter = opts.format === "csv" ? opts.delimiter : ",";
  let parse: RowParser | null = null;
  let rowsRead = 0;
  await readLines(
    file,
    (buf, start, end, line) => {
      if (parse === null) {
        parse = makeParser(file, readHeader(buf, start, end, line, delimiter), opts, builder, rolls);
        return;
      }
      rowsRead++;
      parse(buf, start, end, line);
    },
    { onFirstChunk: (chunk) => builder.reserve(estimateRows(chunk, size)) },
  );
  if (parse === null) throw new DataFileError(file, 1, "empty file: no header and no data rows");
  if (rowsRead === 0) throw new DataFileError(file, 1, "no data rows after the header (empty file)");
  if (builder.n === 0) {
    const first = builder.skippedSamples[0];
    throw new DataFileError(
      file,
      first.line,
      `no valid rows: all ${rowsRead} data rows were skipped (first: ${first.reason})`,
      { excerpt: first.excerpt },
    );
  }
  const zeroVolumeDropped = opts.dropZeroVolume ? builder.dropZeroVolume() : 0;
  if (builder.n === 0) throw new DataFileError(file, 1, `every one of the ${rowsRead} rows has zero volume`);
  let bars = builder.finish();
  if (opts.targetBarMs !== opts.fileBarMs) bars = resampleBars(bars, opts.fileBarMs, opts.targetBarMs);
  return {
    bars,
    stats: {
      rowsRead,
      skipped: builder.skipped,
      skippedByKind: builder.skippedByKind,
      skippedSamples: builder.skippedSamples,
      rolls,
      zeroVolumeDropped,
    },
  };
}
