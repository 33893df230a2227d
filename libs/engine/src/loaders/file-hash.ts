// Content hash of a data file, streamed in large chunks (never the whole file in memory).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { CHUNK_BYTES, MAX_LINE_BYTES } from "./line-reader.js";

const LF = 10;

/**
 * sha256 of the file's bytes (hex), or null as soon as a line longer than MAX_LINE_BYTES shows
 * up: the parse will reject that file, so hashing the rest of it (gigabytes, when a file has no
 * newline at all) would only delay the error. Finding the line costs a backwards search per
 * MAX_LINE_BYTES of file and one per chunk, not one per line. `chunkBytes` is for tests.
 */
export async function hashFile(
  file: string,
  chunkBytes = CHUNK_BYTES,
  /** False for compressed and Parquet files: their bytes are not lines. */
  checkLines = true,
): Promise<string | null> {
  const hash = createHash("sha256");
  let offset = 0; // file offset of the chunk's first byte
  let lastLf = -1; // file offset of a newline with no over-long line before it
  for await (const data of createReadStream(file, { highWaterMark: chunkBytes })) {
    const chunk = data as Buffer;
    const end = offset + chunk.length;
    // The line after `lastLf` must end by `reach` (a line of exactly MAX_LINE_BYTES): jump to the
    // last newline at or before it, until the end of the chunk is within reach; then move to the
    // chunk's last newline, so the next chunk starts from it.
    for (; checkLines;) {
      const reach = lastLf + 1 + MAX_LINE_BYTES;
      if (reach >= end) {
        const lf = chunk.lastIndexOf(LF);
        if (lf !== -1) lastLf = Math.max(lastLf, offset + lf);
        break;
      }
      const lf = chunk.lastIndexOf(LF, reach - offset);
      if (lf === -1 || offset + lf <= lastLf) return null; // leaving the loop closes the stream
      lastLf = offset + lf;
    }
    hash.update(chunk);
    offset = end;
  }
  return hash.digest("hex");
}
