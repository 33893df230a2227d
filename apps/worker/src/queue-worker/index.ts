export * from "./blob-cache.js";
export * from "./chunk-queue-worker.js";
export * from "./metrics-server.js";
export * from "./worker-metrics.js";
