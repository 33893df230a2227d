export * from "./leg-format.js";
export * from "./load-slow-pair.js";
