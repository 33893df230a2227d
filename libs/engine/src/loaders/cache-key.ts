// The cache key of a load: the files' content plus every setting that changes the result.
import { createHash } from "node:crypto";
import { type LoadLegOptions, maxJumpOf } from "./leg-format.js";

/** Bump when parsing or the cached layout changes, so old entries stop matching. */
export const LOADER_VERSION = 3; // 3: legs of several files, rolls, bar length from rtype

/**
 * sha256 over the files' content hashes (in the leg's file order) and the normalized parse
 * settings (hex). A leg of one file keys on that file's hash alone, as before.
 */
export function cacheKey(contentSha256: string | string[], opts: LoadLegOptions): string {
  const csv = opts.format === "csv";
  const columns =
    csv && opts.columns ? Object.entries(opts.columns).sort(([x], [y]) => (x < y ? -1 : 1)) : null;
  const settings = {
    loader: LOADER_VERSION,
    format: opts.format,
    // Settings a format ignores are left out, so they cannot split the cache needlessly.
    tz: opts.format === "databento" ? null : opts.tz,
    label: opts.label,
    fileBarMs: opts.fileBarMs ?? "from data",
    delimiter: csv ? opts.delimiter : ",",
    columns,
    dropZeroVolume: opts.dropZeroVolume,
    lenient: opts.lenient,
    maxJump: maxJumpOf(opts),
    targetBarMs: opts.targetBarMs,
    roll: opts.roll ?? null,
    // trading days decide volume rolls and name each roll's day (only Databento files have rolls)
    days: opts.format === "databento" ? (opts.days ?? "default") : null,
  };
  const content = Array.isArray(contentSha256) ? contentSha256.join(",") : contentSha256;
  return createHash("sha256")
    .update(`${content}\n${JSON.stringify(settings)}`)
    .digest("hex");
}
