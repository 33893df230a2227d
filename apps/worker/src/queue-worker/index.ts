export * from "./blob-cache.js";
export * from "./chunk-queue-worker.js";
export * from "./disk-blob-cache.js";
export * from "./metrics-server.js";
export * from "./worker-metrics.js";
