export * from "./coordinator.js";
export * from "./coordinator-log.js";
export * from "./coordinator-metrics.js";
export * from "./job-service.js";
export * from "./http/index.js";
export * from "./read-only-jobs.js";
export * from "./results-reader.js";
export * from "./read-only-server.js";
