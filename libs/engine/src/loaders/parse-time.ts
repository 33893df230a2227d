// Dates and times parsed straight from bytes into "naive" epoch ms (local wall-clock fields
// encoded as if they were UTC; the time zone is applied separately, see local-clock.ts).

export const DAY_MS = 86_400_000;

const ZERO = 48;
const COLON = 58;
const DOT = 46;
const DASH = 45;
const SLASH = 47;
const PLUS = 43;
const SPACE = 32;
const UPPER_T = 84;
const UPPER_Z = 90;
const LOWER_Z = 122;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * `YYYY-MM-DD` or `YYYY/M/D` (either separator, month and day of one or two digits) in
 * `buf[start, end)` → day number since the epoch, or NaN (also for impossible dates).
 */
export function parseDate(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 8 || end - start > 10) return Number.NaN;
  let i = start;
  let y = 0;
  for (const stop = start + 4; i < stop; i++) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    y = y * 10 + d;
  }
  const sep = buf[i++];
  if (sep !== DASH && sep !== SLASH) return Number.NaN;
  let m = 0;
  const mStart = i;
  while (i < end && buf[i] !== sep) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    m = m * 10 + d;
    i++;
  }
  if (i === mStart || i - mStart > 2 || i === end) return Number.NaN;
  i++;
  const dStart = i;
  let day = 0;
  for (; i < end; i++) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    day = day * 10 + d;
  }
  if (i === dStart || i - dStart > 2) return Number.NaN;
  // Consecutive rows nearly always share a date: remember the last one.
  const key = (y * 100 + m) * 100 + day;
  if (key === lastDateKey) return lastDateDays;
  if (m < 1 || m > 12 || day < 1 || day > daysInMonth(y, m)) return Number.NaN;
  lastDateKey = key;
  lastDateDays = daysFromCivil(y, m, day);
  return lastDateDays;
}

let lastDateKey = -1;
let lastDateDays = 0;

/**
 * `H:MM`, `HH:MM:SS` or `HH:MM:SS.fff…` (1–9 fraction digits) → ms since midnight, or NaN.
 * `24:00` (with zero seconds) is the end of the day, 86 400 000. A non-zero part below one
 * millisecond adds 0.5 ms, which no bar length divides, so the bar-boundary check rejects it
 * rather than the loader truncating silently.
 */
export function parseTimeOfDay(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let h = 0;
  while (i < end && buf[i] !== COLON) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    h = h * 10 + d;
    i++;
  }
  if (i === start || i - start > 2 || end - i < 3) return Number.NaN;
  const mi = two(buf, i + 1);
  i += 3;
  let s = 0;
  let ms = 0;
  let sub = 0;
  if (i < end) {
    if (buf[i] !== COLON || end - i < 3) return Number.NaN;
    s = two(buf, i + 1);
    i += 3;
    if (i < end) {
      if (buf[i] !== DOT || end - i < 2 || end - i > 10) return Number.NaN;
      i++;
      for (let k = 0; i < end; i++, k++) {
        const d = buf[i] - ZERO;
        if (d < 0 || d > 9) return Number.NaN;
        if (k < 3) ms += d * (k === 0 ? 100 : k === 1 ? 10 : 1);
        else sub += d;
      }
    }
  }
  if (!(mi < 60 && s < 60)) return Number.NaN; // NaN from `two` fails these too
  if (h === 24) return mi === 0 && s === 0 && ms === 0 && sub === 0 ? DAY_MS : Number.NaN;
  if (h > 23) return Number.NaN;
  const t = ((h * 60 + mi) * 60 + s) * 1000 + ms;
  return sub === 0 ? t : t + 0.5;
}

function two(buf: Uint8Array, i: number): number {
  const a = buf[i] - ZERO;
  const b = buf[i + 1] - ZERO;
  if (a < 0 || a > 9 || b < 0 || b > 9) return Number.NaN;
  return a * 10 + b;
}

/** Result of `parseTimestamp`: naive ms, and the UTC offset written in the text (NaN if none). */
export interface ParsedTimestamp {
  naive: number;
  offsetMs: number;
}

/**
 * `DATE[ T]TIME[Z|±HH[:MM]]` in `buf[start, end)`, DATE and TIME as for `parseDate` and
 * `parseTimeOfDay`. Sets `out.naive` (NaN if unparsable) and `out.offsetMs` (the written
 * offset, local = utc + offset; 0 for Z; NaN when the text names none, so the caller applies
 * the file's time zone).
 */
export function parseTimestamp(buf: Uint8Array, start: number, end: number, out: ParsedTimestamp): void {
  out.naive = Number.NaN;
  out.offsetMs = Number.NaN;
  let i = start;
  while (i < end && buf[i] !== SPACE && buf[i] !== UPPER_T) i++;
  const day = parseDate(buf, start, i);
  if (Number.isNaN(day) || i === end) return;
  while (i < end && buf[i] === SPACE) i++;
  if (buf[i] === UPPER_T) i++;
  const tStart = i;
  while (i < end) {
    const c = buf[i];
    if (c === UPPER_Z || c === LOWER_Z || c === PLUS || c === DASH || c === SPACE) break;
    i++;
  }
  const tod = parseTimeOfDay(buf, tStart, i);
  if (Number.isNaN(tod)) return;
  let offset = Number.NaN;
  if (i < end) {
    const c = buf[i];
    if ((c === UPPER_Z || c === LOWER_Z) && i + 1 === end) offset = 0;
    else if (c === PLUS || c === DASH) {
      const hh = two(buf, i + 1);
      let mm = 0;
      let j = i + 3;
      if (j < end && buf[j] === COLON) j++;
      if (j < end) {
        mm = two(buf, j);
        j += 2;
      }
      if (j !== end || !(hh <= 14 && mm < 60)) return;
      offset = (c === DASH ? -1 : 1) * (hh * 60 + mm) * 60_000;
    } else return;
  }
  out.naive = day * DAY_MS + tod;
  out.offsetMs = offset;
}

/** `YYYY-MM-DD HH:MM:SS[.fff]` of a naive-ms value, for messages. */
export function formatNaive(naive: number): string {
  const d = new Date(Math.floor(naive));
  const iso = d.toISOString();
  const msPart = d.getUTCMilliseconds() !== 0 ? iso.slice(19, 23) : "";
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${msPart}`;
}

/** ISO-8601 UTC of epoch ms, for messages. */
export function formatUtc(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace(".000Z", "Z");
}
