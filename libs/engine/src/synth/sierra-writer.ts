// Streaming writer of Sierra Chart bar exports (`Date, Time, Open, High, Low, Last, Volume,
// NumberOfTrades, BidVolume, AskVolume`, dates YYYY/M/D, times HH:MM:SS). Rows are formatted by hand
// into one large Buffer and written with fs.writeSync when it fills: a year of 1-second bars is
// tens of millions of rows (≈ 1 GB per leg), far too many for strings, toFixed or an in-memory file.
// Prices arrive as integer tick counts and are printed with the tick's fixed number of decimals
// (NQ 18000.25 → "18000.25", YM → "39012"), which is exact where multiplying floats is not.
import { closeSync, openSync, writeSync } from "node:fs";
import { type TickDecimal, tickDecimal } from "./instruments.js";

const CHUNK_BYTES = 8 << 20;
/** Longer than any row: 10 fields of at most 20 characters. */
const MAX_ROW_BYTES = 256;
const COMMA = 0x2c;
const SPACE = 0x20;
const COLON = 0x3a;
const DOT = 0x2e;
const NEWLINE = 0x0a;
const ZERO = 0x30;

export class SierraWriter {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;
  private readonly price: TickDecimal;
  rows = 0;

  constructor(
    readonly path: string,
    tickSize: number,
    header: string,
  ) {
    this.fd = openSync(path, "w");
    this.price = tickDecimal(tickSize);
    this.pos = this.buf.write(`${header}\n`, 0, "latin1");
  }

  /**
   * One bar. `datePrefix` is the bytes of "YYYY/M/D, " (see datePrefix()); `second` is the local
   * second of the day of the bar's start; prices are in ticks.
   */
  row(
    datePrefix: Uint8Array,
    second: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    trades: number,
    bidVolume: number,
    askVolume: number,
  ): void {
    if (this.pos > CHUNK_BYTES - MAX_ROW_BYTES) this.flush();
    const buf = this.buf;
    buf.set(datePrefix, this.pos);
    let p = this.pos + datePrefix.length;
    const h = (second / 3600) | 0;
    const m = ((second - h * 3600) / 60) | 0;
    const s = second - h * 3600 - m * 60;
    buf[p++] = ZERO + ((h / 10) | 0);
    buf[p++] = ZERO + (h % 10);
    buf[p++] = COLON;
    buf[p++] = ZERO + ((m / 10) | 0);
    buf[p++] = ZERO + (m % 10);
    buf[p++] = COLON;
    buf[p++] = ZERO + ((s / 10) | 0);
    buf[p++] = ZERO + (s % 10);
    p = this.sep(p);
    p = this.writePrice(p, open);
    p = this.sep(p);
    p = this.writePrice(p, high);
    p = this.sep(p);
    p = this.writePrice(p, low);
    p = this.sep(p);
    p = this.writePrice(p, close);
    p = this.sep(p);
    p = writeUint(buf, p, volume);
    p = this.sep(p);
    p = writeUint(buf, p, trades);
    p = this.sep(p);
    p = writeUint(buf, p, bidVolume);
    p = this.sep(p);
    p = writeUint(buf, p, askVolume);
    buf[p++] = NEWLINE;
    this.pos = p;
    this.rows++;
  }

  /** Writes what is buffered and closes the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.pos = 0;
  }

  private sep(p: number): number {
    this.buf[p] = COMMA;
    this.buf[p + 1] = SPACE;
    return p + 2;
  }

  private writePrice(p: number, ticks: number): number {
    // the price times 10^decimals is an exact integer: print it with a dot before the last digits
    return writeFixed(this.buf, p, ticks * this.price.scaled, this.price.decimals);
  }
}

/** Decimal digits of a non-negative integer; returns the position after them. */
function writeUint(buf: Buffer, p: number, v: number): number {
  return writeFixed(buf, p, v, 0);
}

const INT32_LIMIT = 2_147_483_648;

/**
 * `v / 10^decimals` for a non-negative integer `v`, with exactly `decimals` decimals and at least
 * one digit before the dot; returns the position after it. Digits come from Int32 arithmetic
 * (prices in ticks and volumes always fit), several times faster than float division or toFixed.
 */
function writeFixed(buf: Buffer, p: number, v: number, decimals: number): number {
  if (v >= INT32_LIMIT)
    return p + buf.write(decimals === 0 ? String(v) : (v / 10 ** decimals).toFixed(decimals), p, "latin1");
  let digits =
    v < 10
      ? 1
      : v < 100
        ? 2
        : v < 1e3
          ? 3
          : v < 1e4
            ? 4
            : v < 1e5
              ? 5
              : v < 1e6
                ? 6
                : v < 1e7
                  ? 7
                  : v < 1e8
                    ? 8
                    : v < 1e9
                      ? 9
                      : 10;
  if (digits <= decimals) digits = decimals + 1;
  const end = p + digits + (decimals > 0 ? 1 : 0);
  let i = end;
  for (let d = 0; d < decimals; d++) {
    const q = (v / 10) | 0;
    buf[--i] = ZERO + v - q * 10;
    v = q;
  }
  if (decimals > 0) buf[--i] = DOT;
  while (i > p) {
    const q = (v / 10) | 0;
    buf[--i] = ZERO + v - q * 10;
    v = q;
  }
  return end;
}

/** Bytes of "YYYY/M/D, " for a local calendar date given as a day number. */
export function datePrefix(day: number): Uint8Array {
  const d = new Date(day * 86_400_000);
  return Buffer.from(`${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()}, `, "latin1");
}
