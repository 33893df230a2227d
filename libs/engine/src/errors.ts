/**
 * Typed errors for bad user input. The CLI maps any `InputError` to exit code 2 and prints
 * its one-line message; the HTTP layer maps it to a 4xx. Anything else is a bug and keeps its stack.
 */
export class InputError extends Error {
  /** Field path inside a spec (e.g. `params.z_entry`), when the error is about a spec field. */
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(message);
    this.name = "InputError";
    this.path = path;
  }
}

/** A problem at a precise place in a data file: renders as `file:line: reason`. */
export class DataFileError extends InputError {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = "DataFileError";
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
