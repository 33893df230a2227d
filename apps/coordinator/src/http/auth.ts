// Bearer-token check for every route but the probes (and the dashboard's static files). A hook of
// our own rather than @fastify/bearer-auth's: the exemptions and the 401 body are ours either way,
// and this is a few lines. Both sides are hashed before the constant-time compare, so neither the
// token's content nor its length leaks through timing.
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "./errors.js";

/** Query parameter carrying the token where a header cannot be set (a browser's EventSource). */
export const ACCESS_TOKEN_PARAM = "access_token";

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

export interface AuthExemptions {
  /** Route patterns that need no token at all (probes, the dashboard page and its scripts). */
  open: ReadonlySet<string>;
  /**
   * Route patterns that also accept `?access_token=<token>`: the SSE stream, which EventSource
   * opens without custom headers. Only GET routes belong here; a token in a URL can end up in
   * logs and browser history, so the header stays the way everything else is called.
   */
  queryToken?: ReadonlySet<string>;
}

/**
 * An onRequest hook that lets through requests carrying `Authorization: Bearer <token>`. The
 * exemptions hold route patterns (not raw URLs, so a query string or odd encoding cannot dodge the
 * check); an unknown route has no pattern and needs the token too.
 */
export function bearerAuthHook(token: string, exempt: AuthExemptions) {
  const expected = digest(token);
  const matches = (given: string) => timingSafeEqual(digest(given), expected);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const route = req.routeOptions.url;
    if (route !== undefined && exempt.open.has(route)) return;
    const header = req.headers.authorization ?? "";
    const match = /^bearer +(\S+)\s*$/i.exec(header);
    if (match && matches(match[1]!)) return;
    const fromQuery = (req.query as Record<string, unknown> | undefined)?.[ACCESS_TOKEN_PARAM];
    const queryAllowed = req.method === "GET" && route !== undefined && exempt.queryToken?.has(route);
    if (queryAllowed && typeof fromQuery === "string" && matches(fromQuery)) return;
    void reply.header("www-authenticate", 'Bearer realm="pairgrid"');
    const given = header || (queryAllowed && fromQuery !== undefined);
    throw new HttpError(
      401,
      "unauthorized",
      given ? "invalid bearer token" : "missing bearer token (Authorization: Bearer <token>)",
    );
  };
}
