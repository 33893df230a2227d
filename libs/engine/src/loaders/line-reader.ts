// Streams a text file (plain, .gz or .zst) line by line as byte ranges, never holding more than
// two chunks of it.
// Lines are handed out as (buffer, start, end) so parsers read numbers straight from the bytes
// without building a string per line: this is the hot path for multi-gigabyte 1-second files.
import { DataFileError } from "../errors.js";
import { textChunks } from "./byte-chunks.js";

export const CHUNK_BYTES = 4 << 20;

/**
 * Longest line accepted, in bytes before the newline (a bar row is under 200). A file with no
 * newline at all would otherwise be gathered whole into memory before the first row is seen.
 */
export const MAX_LINE_BYTES = 64 * 1024;

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Called once per non-blank line; `line` is 1-based and counts blank lines too. */
export type LineHandler = (buf: Buffer, start: number, end: number, line: number) => void;

export interface ReadLinesOptions {
  chunkBytes?: number;
  /** Sees the first chunk before any line is handed out (used to size the column buffers). */
  onFirstChunk?: (chunk: Buffer) => void;
}

/**
 * Calls `onLine` for every line of `file` that holds more than spaces. A UTF-8 BOM and a
 * trailing CR (CRLF files) are removed. A plain file is read ahead while a chunk is parsed
 * (byte-chunks.ts). A line split across two chunks is copied
 * into a spill buffer of MAX_LINE_BYTES; a longer line is a DataFileError as soon as it passes
 * the limit, without reading on to its end.
 */
export async function readLines(
  file: string,
  onLine: LineHandler,
  opts: ReadLinesOptions = {},
): Promise<void> {
  const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  const spill = Buffer.allocUnsafe(MAX_LINE_BYTES);
  let spillLen = 0;
  let line = 1;
  let first = true;

  // `seen` bytes of the line so far; `ended` when its newline was found too.
  const tooLong = (seen: number, ended: boolean) =>
    new DataFileError(
      file,
      line,
      `line longer than ${MAX_LINE_BYTES} bytes (${ended ? `${seen} bytes` : `${seen} bytes read without a newline`}): not a bar file, or a damaged one`,
    );
  const emit = (buf: Buffer, start: number, end: number) => {
    if (end - start > MAX_LINE_BYTES) throw tooLong(end - start, true);
    if (end > start && buf[end - 1] === CR) end--;
    if (
      line === 1 &&
      end - start >= 3 &&
      buf[start] === 0xef &&
      buf[start + 1] === 0xbb &&
      buf[start + 2] === 0xbf
    ) {
      start += 3; // UTF-8 byte-order mark
    }
    let s = start;
    while (s < end && (buf[s] === SPACE || buf[s] === TAB)) s++;
    if (s < end) onLine(buf, start, end, line);
  };
  const toSpill = (buf: Buffer, start: number, end: number, ended: boolean) => {
    const need = spillLen + (end - start);
    if (need > MAX_LINE_BYTES) throw tooLong(need, ended);
    buf.copy(spill, spillLen, start, end);
    spillLen = need;
  };

  for await (const view of textChunks(file, chunkBytes)) {
    const bytesRead = view.length;
    if (bytesRead === 0) continue;
    let start = 0;
    if (first) opts.onFirstChunk?.(view);
    first = false;

    let nl = view.indexOf(LF, start);
    if (spillLen > 0) {
      if (nl === -1) {
        toSpill(view, start, bytesRead, false);
        start = bytesRead;
      } else {
        toSpill(view, start, nl, true);
        emit(spill, 0, spillLen);
        spillLen = 0;
        line++;
        start = nl + 1;
        nl = view.indexOf(LF, start);
      }
    }
    while (nl !== -1) {
      emit(view, start, nl);
      line++;
      start = nl + 1;
      nl = view.indexOf(LF, start);
    }
    if (start < bytesRead) toSpill(view, start, bytesRead, false);
  }
  if (spillLen > 0) emit(spill, 0, spillLen);
}
