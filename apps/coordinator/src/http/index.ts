export { buildServer, DEFAULT_BODY_LIMIT, type ServerOptions } from "./server.js";
export type { ServerLog } from "./error-handler.js";
export { HttpError } from "./errors.js";
