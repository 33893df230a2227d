// Databento OHLCV CSV: `ts_event, rtype, publisher_id, instrument_id, open, high, low, close,
// volume[, symbol]`. `ts_event` is the bar's start in UTC nanoseconds (or ISO 8601 when written
// with pretty timestamps); prices are fixed-point integers of 1e-9 or, with pretty prices,
// decimals (see parseDatabentoPrice). A change of instrument_id is a contract roll; with
// `roll.select: volume` a file holds several contracts interleaved, each checked on its own.
import { DataFileError } from "../errors.js";
import { checkDelimiter, FieldSplitter, findColumn, type Header, requireColumn } from "./fields.js";
import type { LegBuilder } from "./leg-builder.js";
import { fmtMs, type KnownBarFormat } from "./leg-format.js";
import { DATABENTO_UNDEF_PRICE, parseDatabentoPrice, parseNanosToMs, parseNumber } from "./parse-number.js";
import { formatUtc, type ParsedTimestamp, parseTimestamp } from "./parse-time.js";
import { type RowParser, RowReader } from "./row-reader.js";

/** Bar length of each OHLCV record type: the file's bar length, or a check of the one set. */
export const RTYPE_BAR_MS: Record<number, [string, number]> = {
  32: ["ohlcv-1s", 1000],
  33: ["ohlcv-1m", 60_000],
  34: ["ohlcv-1h", 3_600_000],
  35: ["ohlcv-1d", 86_400_000],
};

const DASH = 45;

/** Where a contract starts in a one-contract-at-a-time file: its first row in the builder. */
export interface ContractRun {
  row: number;
  line: number;
  id: string;
  symbol?: string;
}

/** The builder of one contract's rows, for files holding several contracts interleaved. */
export type BuilderFor = (id: number, symbol: string | undefined) => LegBuilder;

export function databentoParser(
  file: string,
  header: Header,
  fmt: KnownBarFormat,
  builder: LegBuilder,
  runs: ContractRun[],
  multi: BuilderFor | null = null,
): RowParser {
  checkDelimiter(file, header, ",");
  const iTs = requireColumn(file, header, "ts_event");
  const iId = requireColumn(file, header, "instrument_id");
  const iOpen = requireColumn(file, header, "open");
  const iHigh = requireColumn(file, header, "high");
  const iLow = requireColumn(file, header, "low");
  const iClose = requireColumn(file, header, "close");
  const iVol = requireColumn(file, header, "volume");
  const iRtype = findColumn(header, "rtype");
  const iSym = findColumn(header, "symbol");
  const names = header.names.map((n) => n.trim());
  builder.names = {
    open: names[iOpen],
    high: names[iHigh],
    low: names[iLow],
    close: names[iClose],
    volume: names[iVol],
  };
  const need = Math.max(iTs, iId, iOpen, iHigh, iLow, iClose, iVol, iRtype, iSym) + 1;

  const split = new FieldSplitter(",");
  // Databento times are UTC: the clock is never used; the label still shifts (start by default).
  const rows = new RowReader(builder, split, fmt, false);
  const { starts, ends } = split;
  const stamp: ParsedTimestamp = { naive: 0, offsetMs: 0 };
  let lastRtype = Number.NaN;
  let lastId = Number.NaN;
  let lastBuilder = builder;

  const px = (buf: Buffer, k: number, line: number): number => {
    const v = parseDatabentoPrice(buf, starts[k], ends[k]);
    if (Number.isNaN(v)) {
      const text = split.text(buf, k);
      if (text === DATABENTO_UNDEF_PRICE || text === "") {
        builder.reject(
          line,
          `undefined price in '${names[k]}' (${text === "" ? "empty" : "UNDEF_PRICE"})`,
          "bad price",
        );
      } else rows.rejectField(buf, k, names[k], line, "price");
    }
    return v;
  };

  return (buf, start, end, line) => {
    const n = split.split(buf, start, end, need);
    if (n < need)
      return builder.reject(line, `expected at least ${need} fields, found ${n}`, "too few fields");
    if (iRtype >= 0) {
      const rtype = parseNumber(buf, starts[iRtype], ends[iRtype]);
      if (rtype !== lastRtype) {
        const known = RTYPE_BAR_MS[rtype];
        if (known && known[1] !== fmt.fileBarMs) {
          // A settings mismatch, not a bad row: fatal even in lenient mode.
          throw new DataFileError(
            file,
            line,
            `rtype ${rtype} is ${known[0]} bars but the file's bar length is set to ${fmtMs(fmt.fileBarMs)} ` +
              `(${fmt.fileBarSetting ?? "data.file_bar_seconds"}: leave it unset to take it from rtype)`,
          );
        }
        lastRtype = rtype;
      }
    }
    let utc: number;
    const ts0 = starts[iTs];
    const ts1 = ends[iTs];
    if (ts1 - ts0 > 10 && buf[ts0 + 4] === DASH) {
      parseTimestamp(buf, ts0, ts1, stamp);
      utc = stamp.naive - (!Number.isNaN(stamp.offsetMs) ? stamp.offsetMs : 0);
    } else utc = parseNanosToMs(buf, ts0, ts1);
    if (Number.isNaN(utc)) return rows.rejectField(buf, iTs, names[iTs], line, "timestamp");
    const id = parseNumber(buf, starts[iId], ends[iId]);
    if (Number.isNaN(id)) return rows.rejectField(buf, iId, names[iId], line, "number");
    const o = px(buf, iOpen, line);
    if (Number.isNaN(o)) return;
    const h = px(buf, iHigh, line);
    if (Number.isNaN(h)) return;
    const l = px(buf, iLow, line);
    if (Number.isNaN(l)) return;
    const c = px(buf, iClose, line);
    if (Number.isNaN(c)) return;
    const v = rows.num(buf, iVol, names[iVol], line);
    if (Number.isNaN(v)) return;
    const ts = rows.utcToTs(utc);
    if (multi !== null) {
      // several contracts interleaved: each has its own builder, so its own order and jump checks
      if (id !== lastId) {
        lastBuilder = multi(id, iSym >= 0 ? split.text(buf, iSym) : undefined);
        lastId = id;
      }
      lastBuilder.add(line, ts, o, h, l, c, v);
      return;
    }
    if (id !== lastId && !Number.isNaN(lastId) && ts <= builder.lastTs) {
      return builder.reject(
        line,
        `timestamp does not follow line ${builder.lastLine} and the instrument changes: ` +
          "rows of several instruments are interleaved; export one (e.g. continuous) symbol per file, " +
          "or set data.roll.select: volume",
        "interleaved instruments",
        `${formatUtc(ts)}, instrument ${lastId} → ${id}`,
      );
    }
    // A roll's price gap is real: the jump check starts over with the new contract.
    if (id !== lastId) builder.newContract();
    if (!builder.add(line, ts, o, h, l, c, v)) return;
    if (id !== lastId) {
      const run: ContractRun = { row: builder.n - 1, line, id: String(id) };
      if (iSym >= 0) run.symbol = split.text(buf, iSym);
      runs.push(run);
      lastId = id;
    }
  };
}
