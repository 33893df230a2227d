export * from "./backtest-inputs.js";
export * from "./config-vector.js";
export * from "./daily-statistics.js";
export * from "./enums.js";
export * from "./sizing.js";
export * from "./stat-row.js";
export * from "./trade.js";
