// Content hash of a data file, streamed in large chunks (never the whole file in memory).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { CHUNK_BYTES } from "./line-reader.js";

/** sha256 of the file's bytes, hex. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES }))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}
