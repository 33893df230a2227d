// The cache key of a load: the file's content plus every setting that changes the result.
import { createHash } from "node:crypto";
import { type LoadLegOptions, maxJumpOf } from "./leg-format.js";

/** Bump when parsing or the cached layout changes, so old entries stop matching. */
export const LOADER_VERSION = 2; // 2: OHLC range and max_jump checks

/** sha256 over the content hash and the normalized parse settings (hex). */
export function cacheKey(contentSha256: string, opts: LoadLegOptions): string {
  const csv = opts.format === "csv";
  const columns =
    csv && opts.columns ? Object.entries(opts.columns).sort(([x], [y]) => (x < y ? -1 : 1)) : null;
  const settings = {
    loader: LOADER_VERSION,
    format: opts.format,
    // Settings a format ignores are left out, so they cannot split the cache needlessly.
    tz: opts.format === "databento" ? null : opts.tz,
    label: opts.label,
    fileBarMs: opts.fileBarMs,
    delimiter: csv ? opts.delimiter : ",",
    columns,
    dropZeroVolume: opts.dropZeroVolume,
    lenient: opts.lenient,
    maxJump: maxJumpOf(opts),
    targetBarMs: opts.targetBarMs,
  };
  return createHash("sha256")
    .update(`${contentSha256}\n${JSON.stringify(settings)}`)
    .digest("hex");
}
