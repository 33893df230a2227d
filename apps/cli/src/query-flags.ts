// `--query-memory` and `--query-timeout` (coordinator and serve): POST /query's memory cap and time
// limit, checked before anything starts (a bad value exits 2 naming the flag).
import { InputError } from "@pairgrid/engine";
import { MIN_QUERY_MEMORY, type SandboxOptions } from "@pairgrid/resultsdb";

export const QUERY_MEMORY_DEFAULT = "1GB";
export const QUERY_TIMEOUT_DEFAULT = "10s";

/** 1000-based like DuckDB's memory_limit ("1GB" = 10⁹ bytes); the binary ones (GiB) too. */
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const TIME_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** "1GB", "512MB", "1.5GiB" → bytes. */
export function sizeFlag(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit ? Math.round(Number(m[1]) * unit) : NaN;
  if (!(bytes >= MIN_QUERY_MEMORY) || !Number.isSafeInteger(bytes)) {
    throw new InputError(
      `${flag} ${text}: expected a size such as 512MB or 2GB, at least ${MIN_QUERY_MEMORY / 1e6}MB`,
      flag,
    );
  }
  return bytes;
}

/** "10s", "2500ms", "1m" → milliseconds. */
export function durationFlag(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  const unit = m ? TIME_UNITS[m[2]!.toLowerCase()] : undefined;
  const ms = m && unit ? Math.round(Number(m[1]) * unit) : NaN;
  if (!(ms >= 1) || !Number.isSafeInteger(ms)) {
    throw new InputError(`${flag} ${text}: expected a duration such as 10s, 500ms or 2m`, flag);
  }
  return ms;
}

export function queryLimits(flags: { queryMemory: string; queryTimeout: string }): SandboxOptions {
  return {
    memoryBytes: sizeFlag("--query-memory", flags.queryMemory),
    timeoutMs: durationFlag("--query-timeout", flags.queryTimeout),
  };
}

/** The two options, worded once for both commands. */
export const QUERY_MEMORY_HELP = "memory cap of one POST /query query (e.g. 512MB, 2GB)";
export const QUERY_TIMEOUT_HELP = "time limit of one POST /query query (e.g. 30s, 2m)";
