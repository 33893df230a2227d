// A stamp of the files a spec's data names, by what stat says of each (size, mtime, ctime, inode):
// equal stamps mean files unchanged as far as the load cache's hash memo can tell (load-leg.ts
// trusts the same four fields), so a server may keep what it derived from them (the cluster
// coordinator's fast day blobs) instead of reading and compressing hundreds of MB again.
import { stat } from "node:fs/promises";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import { listLegFiles } from "./leg-files.js";

/**
 * The spec's data and session settings and every data file's stat, as one string; null when a
 * path cannot be listed or stated (the load then reports it as usual).
 */
export async function dataFilesStamp(spec: GridSpec): Promise<string | null> {
  const paths = [spec.data.a.slow, spec.data.b.slow, spec.data.a.fast, spec.data.b.fast];
  try {
    const files = await Promise.all(
      paths.map(async (p) => {
        if (p === undefined) return null;
        const listed = await listLegFiles(p);
        return Promise.all(
          listed.map(async (f) => {
            const st = await stat(f);
            return [f, st.size, st.mtimeMs, st.ctimeMs, st.ino];
          }),
        );
      }),
    );
    return JSON.stringify({ data: spec.data, session: spec.session, files });
  } catch {
    return null;
  }
}
