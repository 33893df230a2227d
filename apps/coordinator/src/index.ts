export * from "./coordinator.js";
export * from "./coordinator-metrics.js";
export * from "./job-service.js";
export * from "./http/index.js";
