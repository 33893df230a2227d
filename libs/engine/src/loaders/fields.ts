// Splitting a delimited line into fields (byte offsets, no strings) and reading the header.
import { DataFileError } from "../errors.js";
import { latin1 } from "./parse-number.js";

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;

/**
 * Splits lines on a one-byte delimiter into reusable offset arrays. Spaces around a field are
 * dropped (Sierra Chart writes `, ` between fields), and a field in double quotes loses them;
 * quoted delimiters are kept inside the field. Doubled quotes are not unescaped: no field the
 * loader reads (numbers, times, ids) can contain one.
 */
export class FieldSplitter {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  count = 0;
  private readonly delim: number;
  private readonly trimTab: boolean;

  constructor(delimiter: string) {
    this.delim = delimiter.charCodeAt(0);
    this.trimTab = this.delim !== TAB;
  }

  /**
   * Splits `buf[start, end)` into at most `maxFields` fields (the rest of the line is not
   * scanned: a parser needs only the columns up to its last one); returns the count.
   */
  split(buf: Uint8Array, start: number, end: number, maxFields = 0x7fffffff): number {
    const delim = this.delim;
    let n = 0;
    let i = start;
    for (;;) {
      while (i < end && (buf[i] === SPACE || (buf[i] === TAB && this.trimTab))) i++;
      let s = i;
      let e: number;
      if (i < end && buf[i] === QUOTE) {
        s = ++i;
        while (i < end && buf[i] !== QUOTE) i++;
        e = i;
        while (i < end && buf[i] !== delim) i++;
      } else {
        while (i < end && buf[i] !== delim) i++;
        e = i;
        while (e > s && (buf[e - 1] === SPACE || (buf[e - 1] === TAB && this.trimTab))) e--;
      }
      if (n === this.starts.length) this.grow();
      this.starts[n] = s;
      this.ends[n] = e;
      n++;
      if (i >= end || n === maxFields) break;
      i++;
    }
    this.count = n;
    return n;
  }

  /** Field `k` of the last split line as text (for messages and ids). */
  text(buf: Uint8Array, k: number): string {
    return latin1(buf, this.starts[k], this.ends[k]);
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}

/** The header line: its raw text and its column names (trimmed, quotes removed). */
export interface Header {
  text: string;
  names: string[];
  /** Its line number: 1 unless blank lines come first. */
  line: number;
}

export function readHeader(
  buf: Uint8Array,
  start: number,
  end: number,
  line: number,
  delimiter: string,
): Header {
  const split = new FieldSplitter(delimiter);
  const n = split.split(buf, start, end);
  const names: string[] = [];
  for (let k = 0; k < n; k++) {
    names.push(
      Buffer.from(buf.buffer, buf.byteOffset + split.starts[k], split.ends[k] - split.starts[k]).toString(
        "utf8",
      ),
    );
  }
  return { text: Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("utf8"), names, line };
}

const LIKELY_DELIMITERS = [",", ";", "\t", "|"];

export function showDelimiter(d: string): string {
  return d === "\t" ? "tab" : `'${d}'`;
}

/**
 * A header that splits into a single field while holding another common delimiter means the
 * file uses a different delimiter than configured: say so, rather than "missing column".
 */
export function checkDelimiter(file: string, header: Header, expected: string): void {
  if (header.names.length !== 1) return;
  for (const d of LIKELY_DELIMITERS) {
    if (d !== expected && header.text.includes(d)) {
      throw new DataFileError(
        file,
        header.line,
        `wrong delimiter: expected ${showDelimiter(expected)} but the header looks ${showDelimiter(d)}-delimited`,
        { excerpt: `"${header.text}"` },
      );
    }
  }
}

/** Index of the column named `name` (trimmed, case-insensitive), or −1. */
export function findColumn(header: Header, name: string): number {
  const want = name.trim().toLowerCase();
  return header.names.findIndex((n) => n.trim().toLowerCase() === want);
}

/** Index of a required column; a missing one is a header error naming what was found. */
export function requireColumn(
  file: string,
  header: Header,
  name: string,
  alternatives: string[] = [],
): number {
  for (const n of [name, ...alternatives]) {
    const k = findColumn(header, n);
    if (k >= 0) return k;
  }
  throw missingColumn(file, header, [name, ...alternatives].map((n) => `'${n}'`).join(" or "));
}

/** The header error for a missing column: names what was wanted and lists what was found. */
export function missingColumn(file: string, header: Header, wanted: string): DataFileError {
  const found = header.names.map((n) => `'${n}'`).join(", ");
  return new DataFileError(file, header.line, `missing column ${wanted}`, {
    excerpt: `columns found: ${found}`,
  });
}
