// Grid specs are YAML files on disk (grids/*.yaml), so POST /jobs takes them as they are. JSON stays
// fastify's built-in parser; this adds the YAML media types. The global bodyLimit applies here too.
import type { FastifyInstance } from "fastify";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { HttpError } from "./errors.js";

export const YAML_MEDIA_TYPES = ["application/yaml", "text/yaml", "application/x-yaml"];

export function registerYamlParser(app: FastifyInstance): void {
  app.addContentTypeParser(YAML_MEDIA_TYPES, { parseAs: "string" }, (_req, body, done) => {
    try {
      // uniqueKeys: a key given twice is a mistake, not "last one wins"
      done(null, parseYaml(body as string, { uniqueKeys: true }));
    } catch (err) {
      if (!(err instanceof YAMLParseError)) return done(err as Error);
      // the first line already says where ("… at line 2, column 1:"); the rest is a code excerpt
      const message = err.message.split("\n")[0].replace(/:$/, "");
      done(new HttpError(400, "invalid_body", `YAML syntax error: ${message}`));
    }
  });
}
