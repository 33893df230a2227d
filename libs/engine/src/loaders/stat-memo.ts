// A small memo of content hashes by file identity, so a second load of an unchanged
// multi-gigabyte file needs a stat() instead of re-hashing every byte.
import type { Stats } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

const MEMO_FILE = "file-hashes.json";
/** Enough for years of daily files of several legs; the memo is read once per leg load. */
const MAX_ENTRIES = 20_000;
/**
 * A file modified within this long before it was hashed is not memoized: on file systems with
 * coarse timestamps a second write in the same tick would keep size and mtime (git's "racy"
 * case), and the memo would vouch for content it never saw.
 */
export const RACY_MS = 2000;

interface MemoEntry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  sha256: string;
  usedAt: number;
}

type Memo = Record<string, MemoEntry>;

async function readMemo(cacheDir: string): Promise<Memo> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(cacheDir, MEMO_FILE), "utf8"));
    return parsed && typeof parsed === "object" ? (parsed as Memo) : {};
  } catch {
    return {}; // missing or damaged: every file is simply re-hashed
  }
}

function sameFile(e: MemoEntry | undefined, st: Stats): e is MemoEntry {
  return (
    e !== undefined &&
    typeof e.sha256 === "string" &&
    e.size === st.size &&
    e.mtimeMs === st.mtimeMs &&
    e.ctimeMs === st.ctimeMs &&
    e.ino === st.ino
  );
}

/** The remembered content hash of `absPath` if its size, mtime, ctime and inode still match. */
export async function recallHash(cacheDir: string, absPath: string, st: Stats): Promise<string | null> {
  return (await recallHashes(cacheDir, [{ absPath, st }]))[0]!;
}

/** `recallHash` for many files at once (the memo is read once: a leg may be hundreds of files). */
export async function recallHashes(
  cacheDir: string,
  files: { absPath: string; st: Stats }[],
): Promise<(string | null)[]> {
  const memo = await readMemo(cacheDir);
  return files.map(({ absPath, st }) => {
    const e = memo[absPath];
    return sameFile(e, st) ? e.sha256 : null;
  });
}

export interface HashToRemember {
  absPath: string;
  st: Stats;
  sha256: string;
  /** When hashing began (epoch ms). */
  hashStartedAt: number;
}

/** Remembers `sha256` for the file as it was at `st`, hashed starting at `hashStartedAt` (epoch ms). */
export async function rememberHash(
  cacheDir: string,
  absPath: string,
  st: Stats,
  sha256: string,
  hashStartedAt: number,
): Promise<void> {
  await rememberHashes(cacheDir, [{ absPath, st, sha256, hashStartedAt }]);
}

/** `rememberHash` for many files at once: one read and one write of the memo. */
export async function rememberHashes(cacheDir: string, entries: HashToRemember[]): Promise<void> {
  const fit = entries.filter((e) => e.hashStartedAt - e.st.mtimeMs >= RACY_MS);
  if (fit.length === 0) return;
  const memo = await readMemo(cacheDir);
  const now = Date.now();
  for (const { absPath, st, sha256 } of fit) {
    memo[absPath] = {
      size: st.size,
      mtimeMs: st.mtimeMs,
      ctimeMs: st.ctimeMs,
      ino: st.ino,
      sha256,
      usedAt: now,
    };
  }
  const keys = Object.keys(memo);
  if (keys.length > MAX_ENTRIES) {
    keys.sort((x, y) => memo[x].usedAt - memo[y].usedAt);
    for (const k of keys.slice(0, keys.length - MAX_ENTRIES)) delete memo[k];
  }
  await mkdir(cacheDir, { recursive: true });
  // Write-then-rename: a concurrent reader sees the old memo or the new one, never half of one.
  const tmp = join(cacheDir, `${MEMO_FILE}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  await writeFile(tmp, JSON.stringify(memo));
  await rename(tmp, join(cacheDir, MEMO_FILE));
}
