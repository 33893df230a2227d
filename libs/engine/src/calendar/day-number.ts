// Trading days are carried as integer day numbers (days since 1970-01-01 of a calendar date),
// which fit an Int32Array and compare with `===`; these convert them to and from `YYYY-MM-DD`.
import { InputError } from "../errors.js";
import { DAY_MS } from "./clock-time.js";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` of a day number. */
export function dayNumberToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of a `YYYY-MM-DD` date; InputError (with `path`, when given) for anything else. */
export function isoToDayNumber(s: string, path?: string): number {
  const match = typeof s === "string" ? ISO_DATE.exec(s) : null;
  if (match) {
    const y = Number(match[1]);
    const m = Number(match[2]);
    const d = Number(match[3]);
    const ms = Date.UTC(y, m - 1, d);
    // Date.UTC rolls 2024-02-30 over into March; a real date survives the round trip
    if (m >= 1 && m <= 12 && new Date(ms).getUTCDate() === d) return ms / DAY_MS;
  }
  const where = path ? `${path}: ` : "";
  throw new InputError(`${where}expected a date YYYY-MM-DD, got ${JSON.stringify(s)}`, path);
}
