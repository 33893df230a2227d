export * from "./compute-indicators.js";
export * from "./indicators-csv.js";
