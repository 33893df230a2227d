// How deep a request body nests, measured on its text before a parser builds anything. Parsers
// recurse (or, for the `yaml` package's CST parser, slow down quadratically) with the depth: a
// few MB of `[` cost tens of seconds, gigabytes, or a stack overflow that V8 may turn into a
// fatal error. A grid spec nests about 5 levels, so anything past MAX_BODY_DEPTH is refused.
import { Lexer } from "yaml";

export const MAX_BODY_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** True when JSON text nests arrays/objects deeper than `max` (strings skipped; stops early). */
export function jsonTooDeep(text: string, max = MAX_BODY_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
  }
  return false;
}

const isNewline = (tok: string) => tok === "\n" || tok === "\r\n" || tok === "\r";
const isIndent = (tok: string) => /^ +$/.test(tok);

/**
 * True when YAML text may nest deeper than about `max`, by an estimate computed on the lexer's
 * tokens (linear; quotes, comments and block scalars understood): on each line, the open flow
 * collections (`[`, `{`), plus the block indicators (`-`, `?`, `:`), plus the indentation. A
 * block level is an indicator on its line or sits right of its parent (but for a sequence that
 * shares its mapping key's column: at most two levels per column), so the real depth is at most
 * twice this sum plus one, ~130 for `max` 64: far below the ~800 levels where the parser fails.
 * Stops at the first line over `max`.
 */
export function yamlTooDeep(text: string, max = MAX_BODY_DEPTH): boolean {
  let flow = 0;
  let indent = 0;
  let indicators = 0;
  let lineStart = true;
  for (const tok of new Lexer().lex(text)) {
    if (isNewline(tok)) {
      lineStart = true;
      indent = 0;
      indicators = 0;
      continue;
    }
    if (lineStart) {
      lineStart = false;
      if (isIndent(tok)) {
        indent = tok.length;
        continue;
      }
    }
    if (tok === "[" || tok === "{") flow++;
    else if (tok === "]" || tok === "}") flow = Math.max(0, flow - 1);
    else if (flow === 0 && (tok === "-" || tok === "?" || tok === ":")) indicators++;
    if (flow + indicators + indent > max) return true;
  }
  return false;
}
