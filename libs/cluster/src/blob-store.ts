// Content-addressed binary blobs in Redis: the key is the sha256 of the bytes, so a blob written
// twice (a restarted coordinator, two jobs over the same data) is stored once and a reader can
// check what it got. Large blobs are split into parts so no single Redis command is huge.
import { createHash } from "node:crypto";
import { blobKey, blobPartKey } from "./queue-names.js";

/**
 * The Redis commands the blob store uses, declared here so this library needs no Redis client
 * package: the apps' Redis client satisfies it as it is.
 */
export interface BlobRedis {
  exists(key: string): Promise<number>;
  set(key: string, value: Buffer): Promise<unknown>;
  hset(key: string, fields: Record<string, number>): Promise<number>;
  hgetall(key: string): Promise<Record<string, string>>;
  hget(key: string, field: string): Promise<string | null>;
  getBuffer(key: string): Promise<Buffer | null>;
  del(key: string): Promise<number>;
}

/** 16 MiB per part: well under Redis's 512 MB string limit and its client output buffers. */
const PART_BYTES = 16 * 1024 * 1024;

export const sha256Hex = (buf: Uint8Array) => createHash("sha256").update(buf).digest("hex");

/** Stores `buf` (parts first, then the head key, so a reader never sees a head without parts). */
export async function putBlob(redis: BlobRedis, buf: Buffer): Promise<string> {
  const sha = sha256Hex(buf);
  if ((await redis.exists(blobKey(sha))) === 1) return sha;
  const parts = Math.max(1, Math.ceil(buf.length / PART_BYTES));
  for (let i = 0; i < parts; i++) {
    await redis.set(blobPartKey(sha, i), buf.subarray(i * PART_BYTES, (i + 1) * PART_BYTES));
  }
  await redis.hset(blobKey(sha), { parts, bytes: buf.length });
  return sha;
}

/** The blob's bytes, checked against its sha256; throws when missing or corrupt. */
export async function getBlob(redis: BlobRedis, sha: string): Promise<Buffer> {
  const head = await redis.hgetall(blobKey(sha));
  const parts = Number(head.parts);
  if (!Number.isInteger(parts) || parts < 1)
    throw new Error(`blob ${sha.slice(0, 12)} is missing from Redis`);
  const chunks: Buffer[] = [];
  for (let i = 0; i < parts; i++) {
    const part = await redis.getBuffer(blobPartKey(sha, i));
    if (part === null) throw new Error(`blob ${sha.slice(0, 12)}: part ${i} is missing from Redis`);
    chunks.push(part);
  }
  const buf = Buffer.concat(chunks);
  if (buf.length !== Number(head.bytes) || sha256Hex(buf) !== sha) {
    throw new Error(`blob ${sha.slice(0, 12)}: content does not match its hash`);
  }
  return buf;
}

/** Deletes blobs (head first, so a concurrent reader fails cleanly rather than reading half). */
export async function deleteBlobs(redis: BlobRedis, shas: Iterable<string>): Promise<void> {
  for (const sha of shas) {
    const parts = Number(await redis.hget(blobKey(sha), "parts"));
    await redis.del(blobKey(sha));
    for (let i = 0; i < (Number.isInteger(parts) ? parts : 0); i++) await redis.del(blobPartKey(sha, i));
  }
}
