// Bearer-token check for every route but the probes. A hook of our own rather than
// @fastify/bearer-auth's: the exemptions and the 401 body are ours either way, and this is a few
// lines. Both sides are hashed before the constant-time compare, so neither the token's content nor
// its length leaks through timing.
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "./errors.js";

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

/**
 * An onRequest hook that lets through requests carrying `Authorization: Bearer <token>`. `exempt`
 * holds route patterns (not raw URLs, so a query string or odd encoding cannot dodge the check); an
 * unknown route has no pattern and needs the token too.
 */
export function bearerAuthHook(token: string, exempt: ReadonlySet<string>) {
  const expected = digest(token);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const route = req.routeOptions.url;
    if (route !== undefined && exempt.has(route)) return;
    const header = req.headers.authorization ?? "";
    const match = /^bearer +(\S+)\s*$/i.exec(header);
    if (match && timingSafeEqual(digest(match[1]), expected)) return;
    void reply.header("www-authenticate", 'Bearer realm="pairgrid"');
    throw new HttpError(
      401,
      "unauthorized",
      header ? "invalid bearer token" : "missing bearer token (Authorization: Bearer <token>)",
    );
  };
}
