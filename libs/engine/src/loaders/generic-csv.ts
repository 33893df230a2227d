// Configurable delimited files: a `timestamp` column (or `date` + `time`), a `close`, and
// optional open (default: the close), high/low (default: the larger/smaller of open and close)
// and volume (default: 0). Times are local in the
// given zone unless the text carries `Z` or an offset; `24:00` is midnight ending the day.
import { DataFileError } from "../errors.js";
import {
  checkDelimiter,
  FieldSplitter,
  findColumn,
  type Header,
  missingColumn,
  requireColumn,
} from "./fields.js";
import type { LegBuilder } from "./leg-builder.js";
import type { KnownBarFormat } from "./leg-format.js";
import { DAY_MS, type ParsedTimestamp, parseDate, parseTimeOfDay, parseTimestamp } from "./parse-time.js";
import { type RowParser, RowReader } from "./row-reader.js";

/** Column index for a setting: a named column must exist; an unnamed one is used if present. */
function optionalColumn(file: string, header: Header, named: string | undefined, fallback: string): number {
  return named !== undefined ? requireColumn(file, header, named) : findColumn(header, fallback);
}

export function genericCsvParser(
  file: string,
  header: Header,
  fmt: KnownBarFormat,
  builder: LegBuilder,
): RowParser {
  checkDelimiter(file, header, fmt.delimiter);
  const cols = fmt.columns ?? { close: "close" };
  let iTs = -1;
  let iDate = -1;
  let iTime = -1;
  if (cols.timestamp !== undefined) iTs = requireColumn(file, header, cols.timestamp);
  else if (cols.date !== undefined && cols.time !== undefined) {
    iDate = requireColumn(file, header, cols.date);
    iTime = requireColumn(file, header, cols.time);
  } else if (findColumn(header, "timestamp") >= 0) iTs = findColumn(header, "timestamp");
  else if (findColumn(header, "date") >= 0 && findColumn(header, "time") >= 0) {
    iDate = findColumn(header, "date");
    iTime = findColumn(header, "time");
  } else throw missingColumn(file, header, "'timestamp' (or 'date' and 'time')");
  const iClose = requireColumn(file, header, cols.close);
  const iOpen = optionalColumn(file, header, cols.open, "open");
  const iHigh = optionalColumn(file, header, cols.high, "high");
  const iLow = optionalColumn(file, header, cols.low, "low");
  const iVol = optionalColumn(file, header, cols.volume, "volume");
  if (fmt.dropZeroVolume && iVol < 0) {
    throw new DataFileError(
      file,
      header.line,
      "dropping zero-volume rows needs a volume column, and there is none",
      { excerpt: `columns found: ${header.names.join(", ")}` },
    );
  }
  const names = header.names.map((n) => n.trim());
  const name = (k: number, dflt: number) => names[k >= 0 ? k : dflt];
  builder.names = {
    open: name(iOpen, iClose),
    high: name(iHigh, iClose),
    low: name(iLow, iClose),
    close: names[iClose],
    volume: iVol >= 0 ? names[iVol] : "volume",
  };
  const need = Math.max(iTs, iDate, iTime, iClose, iOpen, iHigh, iLow, iVol) + 1;

  const split = new FieldSplitter(fmt.delimiter);
  const rows = new RowReader(builder, split, fmt, true);
  const { starts, ends } = split;
  const stamp: ParsedTimestamp = { naive: 0, offsetMs: 0 };
  return (buf, start, end, line) => {
    const n = split.split(buf, start, end, need);
    if (n < need)
      return builder.reject(line, `expected at least ${need} fields, found ${n}`, "too few fields");
    let naive: number;
    let offset = Number.NaN;
    if (iTs >= 0) {
      parseTimestamp(buf, starts[iTs], ends[iTs], stamp);
      naive = stamp.naive;
      offset = stamp.offsetMs;
      if (Number.isNaN(naive)) return rows.rejectField(buf, iTs, names[iTs], line, "timestamp");
    } else {
      const day = parseDate(buf, starts[iDate], ends[iDate]);
      if (Number.isNaN(day)) return rows.rejectField(buf, iDate, names[iDate], line, "date");
      const tod = parseTimeOfDay(buf, starts[iTime], ends[iTime]);
      if (Number.isNaN(tod)) return rows.rejectField(buf, iTime, names[iTime], line, "time");
      naive = day * DAY_MS + tod;
    }
    const c = rows.num(buf, iClose, names[iClose], line);
    if (Number.isNaN(c)) return;
    const o = iOpen >= 0 ? rows.num(buf, iOpen, names[iOpen], line) : c;
    if (Number.isNaN(o)) return;
    // A missing high or low is the most the bar is known to span: its open and close.
    const h = iHigh >= 0 ? rows.num(buf, iHigh, names[iHigh], line) : Math.max(o, c);
    if (Number.isNaN(h)) return;
    const l = iLow >= 0 ? rows.num(buf, iLow, names[iLow], line) : Math.min(o, c);
    if (Number.isNaN(l)) return;
    const v = iVol >= 0 ? rows.num(buf, iVol, names[iVol], line) : 0;
    if (Number.isNaN(v)) return;
    const ts = !Number.isNaN(offset) ? rows.utcToTs(naive - offset) : rows.localToTs(naive, line);
    if (Number.isNaN(ts)) return;
    builder.add(line, ts, o, h, l, c, v);
  };
}
