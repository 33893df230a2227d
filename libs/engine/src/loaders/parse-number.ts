// Number parsing straight from bytes (no string per field). The fast path gathers up to 15
// significant digits into an exact integer and divides once by an exact power of ten: a single
// correctly rounded IEEE division of two exact values, hence bit-identical to `Number(text)`.
// Anything unusual (exponents, long mantissas, inf) takes a slow but strict string path.

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INF_RE = /^([+-]?)inf(inity)?$/i;

/**
 * The decimal number in `buf[start, end)`: optional sign, digits, optional fraction and
 * exponent. NaN when the text is not a number (including "nan" and an empty field);
 * ±Infinity for "inf"/"infinity" or an overflowing exponent, so callers can tell
 * "unparsable" from "non-finite".
 */
export function parseNumber(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end) {
    const c = buf[i];
    if (c === MINUS) {
      neg = true;
      i++;
    } else if (c === PLUS) i++;
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  while (i < end) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
    digits++;
    i++;
  }
  if (i < end && buf[i] === DOT) {
    i++;
    while (i < end) {
      const d = buf[i] - ZERO;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      digits++;
      frac++;
      i++;
    }
  }
  if (i !== end || digits === 0 || digits > 15) return parseNumberText(latin1(buf, start, end));
  const v = frac === 0 ? mant : mant / POW10[frac];
  return neg ? -v : v;
}

/** The strict string path of `parseNumber` (rejects hex, blanks and other things `Number` accepts). */
export function parseNumberText(text: string): number {
  if (DECIMAL_RE.test(text)) return Number(text);
  const inf = INF_RE.exec(text);
  if (inf) return inf[1] === "-" ? -Infinity : Infinity;
  return Number.NaN;
}

/** Databento's undefined-price sentinel (i64::MAX) as written by a raw (non-pretty) CSV export. */
export const DATABENTO_UNDEF_PRICE = "9223372036854775807";

/**
 * A Databento price field. Databento stores prices as fixed-point integers where one unit is
 * 1e-9; a CSV written with `pretty_px` false keeps that integer, with `pretty_px` true it holds
 * the decimal price (always with a decimal point, nine places by default). So: a field with a
 * point or exponent is a decimal price, a bare integer is fixed-point and is divided by 1e9.
 * The division of an exact integer by exact 1e9 rounds once, so both spellings of a price
 * give the same double. NaN for the undefined-price sentinel or unparsable text.
 */
export function parseDatabentoPrice(buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === DOT || c === 101 || c === 69) return parseNumber(buf, start, end);
  }
  const digits = end - start - (buf[start] === MINUS || buf[start] === PLUS ? 1 : 0);
  if (digits >= 1 && digits <= 15) {
    const v = parseNumber(buf, start, end);
    return v / 1e9;
  }
  const text = latin1(buf, start, end);
  if (!/^[+-]?\d+$/.test(text) || text === DATABENTO_UNDEF_PRICE) return Number.NaN;
  // More than 15 digits: place the decimal point in the text so the result is still rounded once.
  const neg = text[0] === "-";
  const body = text.replace(/^[+-]/, "").padStart(10, "0");
  const v = Number(`${body.slice(0, -9)}.${body.slice(-9)}`);
  return neg ? -v : v;
}

/**
 * Epoch milliseconds from an integer count of nanoseconds (Databento `ts_event`, up to 20
 * digits, beyond 2^53): the last six digits are split off as text, so the milliseconds are
 * exact. A non-zero sub-millisecond part adds 0.5 ms, which no bar length divides, so the
 * bar-boundary check rejects such a time instead of silently truncating it. NaN if not digits.
 */
export function parseNanosToMs(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 0 || n > 21) return Number.NaN;
  const split = Math.max(start, end - 6);
  let ms = 0;
  for (let i = start; i < split; i++) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    ms = ms * 10 + d;
  }
  let sub = 0;
  for (let i = split; i < end; i++) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    sub += d;
  }
  return sub === 0 ? ms : ms + 0.5;
}

/** Whether the text of a field reads as "not a number" (so the complaint is non-finite, not unparsable). */
export function isNanText(text: string): boolean {
  return /^[+-]?nan$/i.test(text);
}

export function latin1(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("latin1");
}
