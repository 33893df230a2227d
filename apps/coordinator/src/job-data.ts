// A submitted spec's data, read the way a server must read files named by a client: paths held
// inside the data root (resolveDataPaths), and load errors that name the file relative to that
// root and the spec field, so neither the server's folders nor (see DataFileError.plainMessage)
// the file's content reach the client.
import { relative } from "node:path";
import {
  DataFileError,
  type FastCloses,
  type GridSpec,
  InputError,
  isHybridEngine,
  loadFastCloses,
  loadSlowPair,
  resolveDataPaths,
  type SlowPair,
} from "@pairgrid/engine";

/** The spec field that names `file` (a resolved path), if any. */
function fieldOf(spec: GridSpec, file: string): string | undefined {
  for (const leg of ["a", "b"] as const) {
    for (const which of ["slow", "fast"] as const) {
      if (spec.data[leg][which] === file) return `data.${leg}.${which}`;
    }
  }
  return undefined;
}

export class JobData {
  /** `root` must be the data root's real path (symlinks resolved), as resolved specs use it. */
  constructor(private readonly root: string) {}

  /** The spec with its data paths resolved inside the root; InputError naming the field if not. */
  resolve(spec: GridSpec): Promise<GridSpec> {
    return resolveDataPaths(spec, this.root);
  }

  /** Slow bars of a resolved spec; a bad file is a DataFileError relative to the root. */
  loadSlow(spec: GridSpec): Promise<SlowPair> {
    return this.relocating(spec, () => loadSlowPair(spec));
  }

  /** A hybrid grid's aligned fast closes (null for the slow engine), errors as loadSlow's. */
  async loadFast(spec: GridSpec, sp: SlowPair): Promise<FastCloses | null> {
    if (!isHybridEngine(spec.engine)) return null;
    return (await this.relocating(spec, () => loadFastCloses(spec, sp))).fast;
  }

  /** What a job ships: its slow bars and, for a hybrid grid, its fast closes. */
  async load(spec: GridSpec): Promise<JobInputs> {
    const sp = await this.loadSlow(spec);
    return { sp, fast: await this.loadFast(spec, sp) };
  }

  private async relocating<T>(spec: GridSpec, load: () => Promise<T>): Promise<T> {
    try {
      return await load();
    } catch (err) {
      if (err instanceof DataFileError)
        throw err.relocated(relative(this.root, err.file), fieldOf(spec, err.file));
      throw err;
    }
  }
}

/** A job's data as read from its files. */
export interface JobInputs {
  sp: SlowPair;
  /** The aligned fast closes of a hybrid grid; null for the slow engine. */
  fast: FastCloses | null;
}

/**
 * What a client may read about a failure: a data file error without its excerpt, bad input as
 * is (it names fields and the client's own values), and nothing of any other error.
 */
export function clientMessage(err: unknown): string {
  if (err instanceof DataFileError) return err.plainMessage;
  if (err instanceof InputError) return err.message;
  return "internal error (details in the coordinator's log)";
}
