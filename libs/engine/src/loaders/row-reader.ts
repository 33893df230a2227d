// What every format's row parser shares: reading a named numeric field, and turning a local
// (or explicitly offset) time into a bar-start timestamp, with a precise complaint on failure.
import { TimeZone } from "../calendar/tz.js";
import type { FieldSplitter } from "./fields.js";
import type { LegBuilder } from "./leg-builder.js";
import type { KnownBarFormat } from "./leg-format.js";
import { LocalClock } from "./local-clock.js";
import { isNanText, parseNumber } from "./parse-number.js";
import { formatNaive } from "./parse-time.js";

/** A data-row parser: gets each data line as a byte range and feeds the builder. */
export type RowParser = (buf: Buffer, start: number, end: number, line: number) => void;

export class RowReader {
  readonly clock: LocalClock | null;
  /** Label shift: a row labelled with its bar's end starts one file bar earlier. */
  readonly shiftMs: number;

  constructor(
    readonly builder: LegBuilder,
    readonly split: FieldSplitter,
    fmt: KnownBarFormat,
    localTimes: boolean,
  ) {
    this.clock = localTimes ? new LocalClock(TimeZone.of(fmt.tz)) : null;
    this.shiftMs = fmt.label === "end" ? fmt.fileBarMs : 0;
  }

  /** Field `k` as a number; NaN (after rejecting the row) if it is not one. */
  num(buf: Buffer, k: number, name: string, line: number): number {
    const v = parseNumber(buf, this.split.starts[k], this.split.ends[k]);
    if (Number.isNaN(v)) this.rejectField(buf, k, name, line, "number");
    return v;
  }

  /** Rejects the row for field `k`, distinguishing empty, "nan" and plain garbage. */
  rejectField(buf: Buffer, k: number, name: string, line: number, what: string): void {
    const text = this.split.text(buf, k);
    if (text === "") this.builder.reject(line, `empty field '${name}'`);
    else if (isNanText(text))
      this.builder.reject(line, `non-finite value in '${name}'`, "unreadable field", text);
    else this.builder.reject(line, `unparsable ${what} in '${name}'`, "unreadable field", `'${text}'`);
  }

  /**
   * Bar start (epoch ms UTC) of a row whose label time is `naive` local wall-clock ms;
   * NaN (after rejecting the row) for a local time inside a DST gap.
   */
  localToTs(naive: number, line: number): number {
    const clock = this.clock!;
    const utc = clock.toUtc(naive, this.builder.lastTs + this.shiftMs);
    if (Number.isNaN(utc)) {
      this.builder.reject(
        line,
        `local time does not exist in ${clock.tz.name} (skipped by the spring-forward DST change)`,
        "time in a DST gap",
        formatNaive(naive),
      );
      return utc;
    }
    return utc - this.shiftMs;
  }

  /** Bar start of a row whose label time is already UTC ms. */
  utcToTs(utc: number): number {
    return utc - this.shiftMs;
  }
}
