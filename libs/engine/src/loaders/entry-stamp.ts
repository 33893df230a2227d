// The "checked" stamp of a cache entry (column-cache.ts): its mtime set to a time derived from
// its CRC-32, in 2000–2008. Any write to the file (a damaged or edited entry) sets the mtime to
// now, and a truncated one fails the size check, so a stamped entry of the right size holds the
// bytes that were checked; its reload need not run a CRC over gigabytes of columns again.
import type { Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";

/** 2000-01-01T00:00:00Z, in seconds: no write made today can carry a stamp. */
const STAMP_BASE_S = 946_684_800;

/** The stamp's mtime for an entry of this CRC, in whole seconds (exact in a double and in ms). */
function stampSeconds(crc: number): number {
  return STAMP_BASE_S + (crc >>> 4);
}

export function hasStamp(st: Stats, crc: number): boolean {
  return st.mtimeMs === stampSeconds(crc) * 1000;
}

/** Stamps an entry whose bytes match `crc` (the access time is left at now). */
export async function setStamp(fh: FileHandle, crc: number): Promise<void> {
  await fh.utimes(Date.now() / 1000, stampSeconds(crc));
}
