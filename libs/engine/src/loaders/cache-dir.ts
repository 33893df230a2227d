// Where loaded bars are cached between runs.
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/** `$PAIRGRID_CACHE_DIR`, else `$XDG_CACHE_HOME/pairgrid`, else `~/.cache/pairgrid`. */
export function defaultCacheDir(): string {
  const own = process.env.PAIRGRID_CACHE_DIR;
  if (own) return own;
  // The XDG base-directory spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, "pairgrid");
  return join(homedir(), ".cache", "pairgrid");
}
