// Local clock times of the session settings (`"HH:MM"`, 00:00 through 24:00) as milliseconds
// after local midnight. "24:00" is accepted because it is the natural way to write "end of the
// calendar day" for a day_roll or an entry_end.
import { InputError } from "../errors.js";

export const DAY_MS = 86_400_000;

const HH_MM = /^(\d{2}):(\d{2})$/;

/** Milliseconds after local midnight of an `HH:MM` string; InputError (with `path`) otherwise. */
export function parseClockTime(value: string, path: string): number {
  const match = typeof value === "string" ? HH_MM.exec(value) : null;
  if (match) {
    const hours = Number(match[1]);
    const minutes = Number(match[2]);
    const ok = minutes < 60 && (hours < 24 || (hours === 24 && minutes === 0));
    if (ok) return (hours * 60 + minutes) * 60_000;
  }
  throw new InputError(
    `${path} must be a local time "HH:MM" between 00:00 and 24:00, got ${JSON.stringify(value)}`,
    path,
  );
}
