// How the analysis routes answer the ResultsReader's errors: bad names or values in the query are
// the client's 400 (with the query field as path); a combination the grid never runs is a 404; a
// job whose data files or stored spec cannot be used now is a 409 (the request is fine, the job's
// inputs are not); anything else stays a 500.
import { isInputError, HttpError } from "./errors.js";

const named = (err: unknown, name: string) => err instanceof Error && err.name === name;

export function readerError(err: unknown): unknown {
  if (isInputError(err)) {
    return new HttpError(400, "bad_request", err.message, err.path ? `query.${err.path}` : undefined);
  }
  if (named(err, "UnknownComboError")) return new HttpError(404, "not_found", (err as Error).message);
  if (named(err, "DataUnavailableError"))
    return new HttpError(409, "data_unavailable", (err as Error).message);
  if (named(err, "JobSpecError")) return new HttpError(409, "spec_unusable", (err as Error).message);
  return err;
}

/** Runs a reader call, translating its errors; null (no such job) becomes a 404. */
export async function fromReader<T>(jobId: string, call: () => Promise<T | null>): Promise<T> {
  let out: T | null;
  try {
    out = await call();
  } catch (err) {
    throw readerError(err);
  }
  if (out === null) throw new HttpError(404, "not_found", `no job '${jobId}'`);
  return out;
}
