// Every failure leaves as JSON `{error, message, path?}`: 4xx for the client's fault with a message
// that says what to fix, 5xx with a fixed message (the details go to the log, never a stack trace
// to the client).
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { clientText, HttpError, isInputError } from "./errors.js";

export interface ErrorBody {
  error: string;
  message: string;
  path?: string;
}

/** Names for the 4xx statuses fastify itself raises (bad JSON, wrong method…). */
const STATUS_NAMES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  406: "not_acceptable",
  408: "request_timeout",
  411: "length_required",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "too_many_requests",
};

/** fastify's own "the body does not parse" errors, named like a bad YAML body (body-parsers.ts). */
const BAD_BODY_CODES = new Set(["FST_ERR_CTP_INVALID_JSON_BODY", "FST_ERR_CTP_EMPTY_JSON_BODY"]);

/** Fastify names the query string `querystring`; clients know it as `query`. */
const CONTEXT_NAMES: Record<string, string> = { querystring: "query" };

function validationError(err: FastifyError & { validation: { instancePath: string; message?: string }[] }) {
  const first = err.validation[0];
  const context = CONTEXT_NAMES[err.validationContext ?? ""] ?? err.validationContext ?? "request";
  const field = first.instancePath.split("/").filter(Boolean).join(".");
  return {
    status: 400,
    body: {
      error: "bad_request",
      message: first.message ?? "invalid value",
      path: field ? `${context}.${field}` : context,
    },
  };
}

/** The status and body for an error (also used for the errors fastify raises before routing). */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof HttpError) {
    const body: ErrorBody = { error: err.errorCode, message: err.message };
    if (err.path !== undefined) body.path = err.path;
    return { status: err.statusCode, body };
  }
  if (hasZodFastifySchemaValidationErrors(err)) return validationError(err);
  // Routes translate the InputErrors they expect (with the right code and path); one from any
  // other call is still the client's fault, not a 500.
  if (isInputError(err)) {
    const body: ErrorBody = { error: "bad_request", message: clientText(err) };
    if (err.path !== undefined) body.path = err.path;
    return { status: 400, body };
  }
  const fe = err as Partial<FastifyError>;
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const name = BAD_BODY_CODES.has(fe.code ?? "")
      ? "invalid_body"
      : (STATUS_NAMES[status] ?? "client_error");
    return { status, body: { error: name, message: fe.message ?? name } };
  }
  return { status: 500, body: { error: "internal", message: "internal server error" } };
}

/** One-line log of the server's own (always on, unlike fastify's request log). */
export interface ServerLog {
  warn(msg: string): void;
  error(msg: string): void;
}

/** Bad input worth a log line: a body or spec refused (a probe shows up here), not a 401 or 404. */
const LOGGED_4XX = new Set([400, 413, 415]);

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split("\n")[0]!;

export function installErrorHandling(app: FastifyInstance, log?: ServerLog): void {
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toErrorResponse(err);
    // the route's pattern, not the URL: a query string may hold an access token
    const where = `${req.method} ${req.routeOptions.url ?? "(no route)"}`;
    if (status >= 500) {
      req.log.error({ err }, "request failed");
      log?.error(`${where}: ${status} ${firstLine(err)}`);
    } else if (LOGGED_4XX.has(status)) log?.warn(`${where}: ${status} ${body.error}: ${body.message}`);
    void reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: "not_found", message: `no route ${req.method} ${req.url}` });
  });
}
