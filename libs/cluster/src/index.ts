export * from "./blob-store.js";
export * from "./chunk-job.js";
export * from "./cluster-engines.js";
export * from "./job-manifest.js";
export * from "./queue-names.js";
export * from "./redis-connection.js";
export * from "./redis-link.js";
export * from "./result-job.js";
