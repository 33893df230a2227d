// Data paths of a spec sent by someone else (POST /jobs): every file the loader could read for
// it must lie inside one folder, the data root, once symbolic links are resolved. Checked before
// any byte of data is read. Refusals name the spec field and never a path outside the root, and
// say nothing of what exists outside it (the lexical check comes before any file-system call).
import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { InputError } from "../errors.js";
import type { GridSpec } from "./grid-spec-schema.js";

/** Entries looked at under one folder or glob before giving up (a glob over a huge tree). */
export const MAX_CHECKED_ENTRIES = 100_000;

const GLOB_CHARS = /[*?[\]{}]/;

/** True when `p` is `root` or lies under it (both absolute and normalised). */
export function isInside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === "" || (r !== ".." && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

function refuse(field: string, message: string): never {
  throw new InputError(`${field}: ${message}`, field);
}

const errnoCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? "error";

/**
 * The spec with every data path (`data.a.slow`, `data.b.fast`, …) resolved inside `root`:
 * relative paths against it, absolute ones only if they lie in it, and each file's real path
 * (and, for a folder or a glob, the real path of every entry a symbolic link could take
 * elsewhere) inside the root's real path. Files are given as their real paths, so a link
 * swapped afterwards is not followed. Anything else is an InputError naming the field.
 */
export async function resolveDataPaths(spec: GridSpec, root: string): Promise<GridSpec> {
  const rootAbs = resolve(root);
  const out = structuredClone(spec);
  // lexical first: a path outside the root is refused before the file system is asked anything
  for (const leg of ["a", "b"] as const) {
    for (const which of ["slow", "fast"] as const) {
      const p = out.data[leg][which];
      if (p !== undefined && !isInside(rootAbs, resolve(rootAbs, p))) {
        refuse(
          `data.${leg}.${which}`,
          "outside the data root (paths resolve inside the coordinator's --data-dir)",
        );
      }
    }
  }
  let realRoot: string;
  try {
    realRoot = await realpath(rootAbs);
  } catch (e) {
    throw new Error(`data root ${rootAbs}: ${errnoCode(e)}`, { cause: e });
  }
  for (const leg of ["a", "b"] as const) {
    for (const which of ["slow", "fast"] as const) {
      const p = out.data[leg][which];
      if (p !== undefined) {
        out.data[leg][which] = await resolveOne(
          `data.${leg}.${which}`,
          resolve(rootAbs, p),
          rootAbs,
          realRoot,
        );
      }
    }
  }
  return out;
}

async function resolveOne(field: string, abs: string, rootAbs: string, realRoot: string): Promise<string> {
  const rel = relative(rootAbs, abs) || ".";
  // a glob: its fixed leading folders are checked like a folder, and everything under them
  const parts = rel.split(sep);
  const firstGlob = parts.findIndex((s) => GLOB_CHARS.test(s));
  const isGlob = firstGlob >= 0;
  const fixed = isGlob ? join(rootAbs, ...parts.slice(0, firstGlob)) : abs;
  let real: string;
  try {
    real = await realpath(fixed);
  } catch (e) {
    const code = errnoCode(e);
    if (code === "ENOENT") refuse(field, `no such file in the data root: ${rel}`);
    refuse(field, `cannot resolve ${rel} in the data root (${code})`);
  }
  if (!isInside(realRoot, real)) refuse(field, `${rel} is a link to a place outside the data root`);
  const st = await stat(real);
  if (st.isDirectory()) await checkEntries(field, real, realRoot, isGlob);
  return isGlob ? join(real, ...parts.slice(firstGlob)) : real;
}

/**
 * Every entry of the folder `dir` (and of its subfolders when `deep`, as a glob may reach them)
 * whose real path is outside the root is refused: only a symbolic link can lead out of a folder
 * that is itself inside, so only links are resolved.
 */
async function checkEntries(field: string, dir: string, realRoot: string, deep: boolean): Promise<void> {
  const seen = new Set([dir]);
  const pending = [dir];
  let checked = 0;
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (e) {
      refuse(field, `cannot list ${relative(realRoot, folder) || "."} in the data root (${errnoCode(e)})`);
    }
    for (const ent of entries) {
      if (++checked > MAX_CHECKED_ENTRIES) {
        refuse(field, `more than ${MAX_CHECKED_ENTRIES} entries to check under it in the data root`);
      }
      const full = join(folder, ent.name);
      let real = full;
      if (ent.isSymbolicLink()) {
        try {
          real = await realpath(full);
        } catch {
          continue; // a dangling link names nothing that could be read
        }
        if (!isInside(realRoot, real)) {
          refuse(field, `${relative(realRoot, full)} is a link to a place outside the data root`);
        }
      }
      if (!deep || seen.has(real)) continue;
      const isDir =
        ent.isDirectory() || (ent.isSymbolicLink() && (await stat(real).catch(() => null))?.isDirectory());
      if (isDir) {
        seen.add(real);
        pending.push(real);
      }
    }
  }
}
