export * from "./connect-redis.js";
export * from "./queue-worker/index.js";
