// Grid specs are YAML files on disk (grids/*.yaml), so POST /jobs takes them as they are; JSON
// goes through fastify's own parser after the same nesting check. A body that cannot be read is
// a 400 `invalid_body` with one plain line, whatever went wrong: a syntax error, nesting past
// MAX_BODY_DEPTH, an alias bomb ("billion laughs"), a key given twice. YAML costs far more CPU per
// byte than JSON (~3 µs), so YAML bodies are held to YAML_BODY_LIMIT; a spec is a few KB.
import type { FastifyInstance } from "fastify";
import { type Document, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { jsonTooDeep, MAX_BODY_DEPTH, yamlTooDeep } from "./body-nesting.js";
import { HttpError } from "./errors.js";

export const YAML_MEDIA_TYPES = ["application/yaml", "text/yaml", "application/x-yaml"];

/** Largest YAML body (or the server's body limit, if smaller). */
export const YAML_BODY_LIMIT = 256 * 1024;

/** Alias uses resolved when the document becomes plain data (the yaml package's guard). */
export const MAX_YAML_ALIASES = 100;

const invalid = (message: string) => new HttpError(400, "invalid_body", message);

/** The first key given twice in one mapping, as text; null if none. Keys compared as text. */
function repeatedKey(doc: Document): string | null {
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) return key;
        seen.add(key);
        pending.push(pair.value);
      }
    } else if (isSeq(node)) pending.push(...node.items);
  }
  return null;
}

export function parseYamlBody(text: string): unknown {
  if (yamlTooDeep(text)) throw invalid(`YAML body nested too deep (more than ${MAX_BODY_DEPTH} levels)`);
  // uniqueKeys off: the package compares every key with every other (quadratic); see repeatedKey
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true });
  const err = doc.errors[0];
  // the first line already says where ("… at line 2, column 1:"); the rest is a code excerpt
  if (err) throw invalid(`YAML syntax error: ${err.message.split("\n")[0]!.replace(/:$/, "")}`);
  const key = repeatedKey(doc);
  // a key given twice is a mistake, not "last one wins"
  if (key !== null) throw invalid(`YAML: a mapping has the key '${key.slice(0, 80)}' twice`);
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    // the package's alias guard throws a ReferenceError ("Excessive alias count …")
    if (e instanceof ReferenceError) {
      throw invalid(`YAML aliases expand too far (more than ${MAX_YAML_ALIASES} alias uses)`);
    }
    throw invalid("YAML body cannot be read");
  }
}

export function registerBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser(
    YAML_MEDIA_TYPES,
    { parseAs: "string", bodyLimit: Math.min(bodyLimit, YAML_BODY_LIMIT) },
    (_req, body, done) => {
      try {
        done(null, parseYamlBody(body as string));
      } catch (err) {
        done(err instanceof HttpError ? err : invalid("YAML body cannot be read"));
      }
    },
  );
  // fastify's defaults: a `__proto__` or `constructor.prototype` key is refused
  const json = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    if (jsonTooDeep(body as string)) {
      return done(invalid(`JSON body nested too deep (more than ${MAX_BODY_DEPTH} levels)`), undefined);
    }
    json(req, body as string, done);
  });
}
