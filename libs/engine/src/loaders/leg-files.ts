// The data files of one leg: a file, a folder (every *.csv, *.csv.gz, *.csv.zst, *.parquet in
// it) or a glob, in name order: vendors name daily files by date, so name order is time order
// (the merge still sorts by time and checks overlaps).
import { readdirSync, statSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { glob, globSync } from "tinyglobby";
import { DataFileError } from "../errors.js";
import { DATA_FILE_RE } from "./file-kind.js";

const GLOB_CHARS = /[*?[\]{}]/;

export const isGlob = (path: string) => GLOB_CHARS.test(path);

const byName = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

function noFiles(path: string, what: string): DataFileError {
  return new DataFileError(path, 0, `no data files (*.csv, *.csv.gz, *.csv.zst, *.parquet) ${what}`);
}

function unreadable(path: string, e: unknown): DataFileError {
  const code = (e as NodeJS.ErrnoException).code ?? "error";
  return new DataFileError(path, 0, `cannot read data file (${code === "ENOENT" ? "no such file" : code})`);
}

export async function listLegFiles(path: string): Promise<string[]> {
  if (isGlob(path)) {
    const files = (await glob([path], { absolute: true, onlyFiles: true, expandDirectories: false })).sort(
      byName,
    );
    if (files.length === 0) throw noFiles(path, "match this pattern");
    return files;
  }
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw unreadable(path, e);
  }
  if (st.isFile()) return [path];
  if (!st.isDirectory()) throw new DataFileError(path, 0, "not a regular file or folder");
  const names = (await readdir(path)).filter((n) => DATA_FILE_RE.test(n)).sort(byName);
  // stat'ed all at once: years of daily files are a thousand round trips to the thread pool
  const paths = names.map((n) => join(path, n));
  const isFile = await Promise.all(paths.map(async (f) => (await stat(f).catch(() => null))?.isFile()));
  const files = paths.filter((_, k) => isFile[k] === true);
  if (files.length === 0) throw noFiles(path, "in this folder");
  return files;
}

/** Whether `path` names at least one data file (for spec checks before any work starts). */
export function hasLegFiles(path: string): boolean {
  try {
    if (isGlob(path)) return globSync([path], { onlyFiles: true, expandDirectories: false }).length > 0;
    const st = statSync(path);
    if (st.isFile()) return true;
    return st.isDirectory() && readdirSync(path).some((n) => DATA_FILE_RE.test(n));
  } catch {
    return false;
  }
}
