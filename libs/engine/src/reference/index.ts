export * from "./trade.js";
export * from "./decision-rows.js";
export * from "./reference-engine.js";
export * from "./trades-csv.js";
export * from "./run-comparison.js";
