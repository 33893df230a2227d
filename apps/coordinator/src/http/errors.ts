// The one error type the HTTP layer throws on purpose. Routes and hooks throw it; the error handler
// (error-handler.ts) turns it into the JSON body `{error, message, path?}` of INTERFACE.md.
import { DataFileError, InputError } from "@pairgrid/engine";

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    /** Machine-readable name, sent as `error` (e.g. `not_found`, `bad_spec`). */
    readonly errorCode: string,
    message: string,
    /** Field at fault (`query.limit`, `params.z_entry`), when there is one. */
    readonly path?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function notFound(message: string): HttpError {
  return new HttpError(404, "not_found", message);
}

/**
 * Bad input as JobService reports it. Not "any error with a `path`": Node's fs errors carry one
 * too (ENOENT's file name), and those are the server's business, not a field of the request.
 * The name check covers a second copy of @pairgrid/engine in node_modules.
 */
export function isInputError(err: unknown): err is InputError {
  return err instanceof InputError || (err instanceof Error && err.name === "InputError");
}

/**
 * What a client is told about bad input: a data file error without its excerpt (the file's text
 * stays on the server, INTERFACE.md), anything else by its one-line message.
 */
export function clientText(err: InputError): string {
  return err instanceof DataFileError ? err.plainMessage : err.message;
}

/**
 * Turns bad input reported by the job service into a 400; anything else is returned unchanged so
 * the caller rethrows it and it surfaces as a 500. `mapPath` places the service's field path in
 * the request (a results option `limit` is the query field `query.limit`).
 */
export function asBadInput(
  err: unknown,
  errorCode: string,
  mapPath: (path: string) => string = (p) => p,
): unknown {
  if (!isInputError(err)) return err;
  return new HttpError(400, errorCode, clientText(err), err.path ? mapPath(err.path) : undefined);
}
