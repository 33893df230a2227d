// Time-zone arithmetic on epoch milliseconds, from the tz database (via luxon's IANAZone / Intl).
// Offsets are cached per 15-minute bucket: a bucket whose two ends share an offset has that offset
// throughout (no zone changes offset twice within 15 minutes), so hot loops over millions of bars
// call into Intl only a few times per day of data.
import { IANAZone } from "luxon";
import { InputError } from "../errors.js";

const BUCKET_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;

export class TimeZone {
  readonly name: string;
  private readonly zone: IANAZone;
  private readonly cache = new Map<number, number>();

  private constructor(name: string, zone: IANAZone) {
    this.name = name;
    this.zone = zone;
  }

  /** Validated zone; throws InputError (with `path`, when given) for an unknown name. */
  static of(name: string, path?: string): TimeZone {
    const cached = zones.get(name);
    if (cached) return cached;
    if (!IANAZone.isValidZone(name)) {
      throw new InputError(`${path ? `${path}: ` : ""}unknown time zone '${name}'`, path);
    }
    const tz = new TimeZone(name, IANAZone.create(name));
    zones.set(name, tz);
    return tz;
  }

  /** UTC offset in milliseconds (local = utc + offset) at the instant `utcMs`. */
  offsetMs(utcMs: number): number {
    const bucket = Math.floor(utcMs / BUCKET_MS);
    const hit = this.cache.get(bucket);
    if (hit !== undefined) return hit;
    const start = bucket * BUCKET_MS;
    const a = this.zone.offset(start) * 60_000;
    const b = this.zone.offset(start + BUCKET_MS - 1) * 60_000;
    if (a === b) {
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(bucket, a);
      return a;
    }
    return this.zone.offset(utcMs) * 60_000; // a transition inside this bucket: exact lookup
  }

  /** Local wall-clock time expressed as "naive" epoch ms (as if local time were UTC). */
  toLocalNaive(utcMs: number): number {
    return utcMs + this.offsetMs(utcMs);
  }

  /**
   * The UTC instant of a local wall-clock time given as naive ms (Date.UTC of the local fields).
   * A local time that does not exist (spring-forward gap) returns NaN; an ambiguous one
   * (fall-back hour) returns its first occurrence, as ENGINE.md §10 pins.
   */
  fromLocalNaive(naiveMs: number): number {
    // Candidate offsets: those in force a few hours either side. A valid instant u = naive − o
    // must itself have offset o.
    const o1 = this.offsetMs(naiveMs - 14 * HOUR_MS);
    const o2 = this.offsetMs(naiveMs + 14 * HOUR_MS);
    let best = Number.NaN;
    const u1 = naiveMs - o1;
    if (this.offsetMs(u1) === o1) best = u1;
    if (o2 !== o1) {
      const u2 = naiveMs - o2;
      if (this.offsetMs(u2) === o2 && !(u2 >= best)) best = u2;
    }
    return best;
  }
}

const zones = new Map<string, TimeZone>();

/** Naive ms for a local date and time of day (fields as written; month 1-12). */
export function naiveMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/** `YYYY-MM-DD` of a naive-ms value. */
export function isoDate(naive: number): string {
  return new Date(naive).toISOString().slice(0, 10);
}
