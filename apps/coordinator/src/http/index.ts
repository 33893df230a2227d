export { buildServer, DEFAULT_BODY_LIMIT, type ServerOptions } from "./server.js";
export { HttpError } from "./errors.js";
