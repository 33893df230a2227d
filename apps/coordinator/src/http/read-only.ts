// Read-only servers (`pairgrid serve` over a results file) answer the routes that change jobs with
// 405 before anything else runs (before the body is even read); every other route works as on the
// coordinator.
import type { FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "./errors.js";

/** "METHOD pattern" of each route that changes state, with the methods its URL still allows. */
const WRITE_ROUTES = new Map<string, string>([
  ["POST /jobs", "GET, HEAD"],
  ["POST /jobs/:id/cancel", ""],
]);

export async function readOnlyHook(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const allow = WRITE_ROUTES.get(`${req.method} ${req.routeOptions.url}`);
  if (allow === undefined) return;
  void reply.header("allow", allow);
  throw new HttpError(
    405,
    "read_only",
    "this server only reads a results file (pairgrid serve): submit and cancel jobs on a coordinator",
  );
}
