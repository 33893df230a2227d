// A data file's text as a sequence of byte chunks, decompressed on the way when its name ends
// in `.gz` (Node's zlib) or `.zst` (fzstd: Node 20 has no zstd). A plain file is read with one
// chunk in flight while the previous one is parsed, so disk and CPU overlap.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { Decompress } from "fzstd";
import { DataFileError } from "../errors.js";
import { fileKind } from "./file-kind.js";

/**
 * The text of `file` in chunks. A chunk is valid until the next one is asked for (buffers are
 * reused). Damaged compressed data is a DataFileError naming the file.
 */
export async function* textChunks(file: string, chunkBytes: number): AsyncGenerator<Buffer> {
  const kind = fileKind(file);
  if (kind === "parquet")
    throw new DataFileError(file, 0, "a Parquet file is not text (read it with format databento)");
  if (kind === "text") yield* plainChunks(file, chunkBytes);
  else yield* decompressed(file, kind, chunkBytes);
}

async function* plainChunks(file: string, chunkBytes: number): AsyncGenerator<Buffer> {
  const fh = await open(file, "r");
  let pending: Promise<{ bytesRead: number }> | null = null;
  try {
    let cur = Buffer.allocUnsafe(chunkBytes);
    let next = Buffer.allocUnsafe(chunkBytes);
    let pos = 0;
    pending = fh.read(cur, 0, chunkBytes, 0);
    for (;;) {
      const { bytesRead }: { bytesRead: number } = await pending;
      if (bytesRead === 0) break;
      pos += bytesRead;
      pending = fh.read(next, 0, chunkBytes, pos);
      yield cur.subarray(0, bytesRead);
      const t = cur;
      cur = next;
      next = t;
    }
  } finally {
    // A parse error can leave the read-ahead in flight: let it settle before closing.
    await pending?.catch(() => undefined);
    await fh.close();
  }
}

async function* decompressed(
  file: string,
  kind: "gzip" | "zstd",
  chunkBytes: number,
): AsyncGenerator<Buffer> {
  const raw = createReadStream(file, { highWaterMark: chunkBytes });
  try {
    if (kind === "gzip") {
      const gunzip = createGunzip({ chunkSize: Math.min(chunkBytes, 1 << 20) });
      raw.on("error", (e) => gunzip.destroy(e));
      try {
        for await (const out of raw.pipe(gunzip)) yield out as Buffer;
      } catch (e) {
        throw damaged(file, "gzip", e);
      }
      return;
    }
    const out: Uint8Array[] = [];
    const zstd = new Decompress((data) => {
      out.push(data);
    });
    let sawData = false;
    for await (const data of raw) {
      sawData = true;
      try {
        zstd.push(data as Buffer);
      } catch (e) {
        throw damaged(file, "zstd", e);
      }
      while (out.length > 0) yield asBuffer(out.shift()!);
    }
    try {
      if (sawData) zstd.push(new Uint8Array(0), true);
    } catch (e) {
      throw damaged(file, "zstd", e);
    }
    while (out.length > 0) yield asBuffer(out.shift()!);
  } finally {
    raw.destroy();
  }
}

function asBuffer(a: Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function damaged(file: string, what: string, e: unknown): DataFileError {
  if (e instanceof DataFileError) return e;
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === "string") throw e;
  return new DataFileError(
    file,
    0,
    `not a valid ${what} file (${e instanceof Error ? e.message : String(e)})`,
  );
}
