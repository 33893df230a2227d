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

export interface DataFileErrorDetails {
  /**
   * Text taken from the file (a field, the header, a value or time read from a row), kept out of
   * `reason` so that a server can say what is wrong without repeating the file's content.
   */
  excerpt?: string;
  /** Spec field naming the file (`data.a.slow`), when known. */
  path?: string;
}

/**
 * A problem at a precise place in a data file. `message` (what the CLI prints) is
 * `file:line: reason: excerpt`; `plainMessage` (what the HTTP API answers) leaves the excerpt out.
 * Line 0 means the file as a whole (it cannot be opened, it is not a file): `file: reason`.
 */
export class DataFileError extends InputError {
  readonly file: string;
  readonly line: number;
  /** What is wrong, in words of our own: never text copied from the file. */
  readonly reason: string;
  readonly excerpt: string | undefined;
  constructor(file: string, line: number, reason: string, details: DataFileErrorDetails = {}) {
    const where = line > 0 ? `${file}:${line}` : file;
    super(`${where}: ${reason}${details.excerpt === undefined ? "" : `: ${details.excerpt}`}`, details.path);
    this.name = "DataFileError";
    this.file = file;
    this.line = line;
    this.reason = reason;
    this.excerpt = details.excerpt;
  }

  /** `file:line: reason`, without the excerpt: safe to send to someone who may not read the file. */
  get plainMessage(): string {
    return `${this.line > 0 ? `${this.file}:${this.line}` : this.file}: ${this.reason}`;
  }

  /** The same error about `file` (e.g. the path relative to a data root) and spec field `path`. */
  relocated(file: string, path: string | undefined): DataFileError {
    return new DataFileError(file, this.line, this.reason, {
      excerpt: this.excerpt,
      path: path ?? this.path,
    });
  }
}
