export * from "./leg-format.js";
export * from "./load-fast-pair.js";
export * from "./load-slow-pair.js";
