// Sierra Chart bar exports: `Date, Time, Open, High, Low, Last, Volume, NumberOfTrades, …`
// (space after each comma), local times in the export time zone, each row labelled with its
// bar's start (ENGINE.md §1, §10).
import { checkDelimiter, FieldSplitter, type Header, requireColumn } from "./fields.js";
import type { LegBuilder } from "./leg-builder.js";
import type { KnownBarFormat } from "./leg-format.js";
import { DAY_MS, parseDate, parseTimeOfDay } from "./parse-time.js";
import { type RowParser, RowReader } from "./row-reader.js";

export function sierraParser(
  file: string,
  header: Header,
  fmt: KnownBarFormat,
  builder: LegBuilder,
): RowParser {
  checkDelimiter(file, header, ",");
  const iDate = requireColumn(file, header, "Date");
  const iTime = requireColumn(file, header, "Time");
  const iOpen = requireColumn(file, header, "Open");
  const iHigh = requireColumn(file, header, "High");
  const iLow = requireColumn(file, header, "Low");
  // `Last` is Sierra's name for the close; `Close` stands in for it, and `Last` wins if both.
  const iClose = requireColumn(file, header, "Last", ["Close"]);
  const iVol = requireColumn(file, header, "Volume");
  const names = header.names.map((n) => n.trim());
  builder.names = {
    open: names[iOpen],
    high: names[iHigh],
    low: names[iLow],
    close: names[iClose],
    volume: names[iVol],
  };
  const need = Math.max(iDate, iTime, iOpen, iHigh, iLow, iClose, iVol) + 1;

  const split = new FieldSplitter(",");
  const rows = new RowReader(builder, split, fmt, true);
  const { starts, ends } = split;
  return (buf, start, end, line) => {
    const n = split.split(buf, start, end, need);
    if (n < need)
      return builder.reject(line, `expected at least ${need} fields, found ${n}`, "too few fields");
    const day = parseDate(buf, starts[iDate], ends[iDate]);
    if (Number.isNaN(day)) return rows.rejectField(buf, iDate, names[iDate], line, "date");
    const tod = parseTimeOfDay(buf, starts[iTime], ends[iTime]);
    if (Number.isNaN(tod)) return rows.rejectField(buf, iTime, names[iTime], line, "time");
    const o = rows.num(buf, iOpen, names[iOpen], line);
    if (Number.isNaN(o)) return;
    const h = rows.num(buf, iHigh, names[iHigh], line);
    if (Number.isNaN(h)) return;
    const l = rows.num(buf, iLow, names[iLow], line);
    if (Number.isNaN(l)) return;
    const c = rows.num(buf, iClose, names[iClose], line);
    if (Number.isNaN(c)) return;
    const v = rows.num(buf, iVol, names[iVol], line);
    if (Number.isNaN(v)) return;
    const ts = rows.localToTs(day * DAY_MS + tod, line);
    if (Number.isNaN(ts)) return;
    builder.add(line, ts, o, h, l, c, v);
  };
}
