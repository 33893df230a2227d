// Reading a grid spec file (YAML or JSON) into a validated GridSpec.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { InputError } from "../errors.js";
import type { GridSpec } from "./grid-spec-schema.js";
import { validateSpec } from "./validate-spec.js";

export interface LoadedSpec {
  spec: GridSpec;
  /** Absolute path of the spec file. */
  file: string;
}

/** Parses spec text: JSON when it looks like JSON, YAML otherwise (YAML is a superset). */
export function parseSpecText(text: string, file: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0]?.line ?? 1;
      throw new InputError(`${file}:${line}: ${err.message.split("\n")[0]}`);
    }
    throw err;
  }
}

export function loadSpecFile(path: string, opts: { checkFiles?: boolean } = {}): LoadedSpec {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError(`${path}: cannot read grid spec file`);
  }
  const raw = parseSpecText(text, path);
  try {
    return { spec: validateSpec(raw, dirname(file), opts.checkFiles ?? true), file };
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${path}: ${err.message}`, err.path);
    throw err;
  }
}
