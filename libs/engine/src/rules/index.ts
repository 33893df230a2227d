export * from "./config-vector.js";
export * from "./enums.js";
export * from "./sizing.js";
export * from "./kernel-tally.js";
export * from "./kernel-gates.js";
export * from "./combo-rules.js";
