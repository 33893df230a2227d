export * from "./trade.js";
export * from "./reference-engine.js";
export * from "./trades-csv.js";
export * from "./hybrid-dollar-reference.js";
export * from "./hybrid-zlive-reference.js";
export * from "./run-comparison.js";
