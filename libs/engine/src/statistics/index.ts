export * from "./daily-statistics.js";
export * from "./stat-row.js";
export * from "./deflated-sharpe.js";
export * from "./trade-list-statistics.js";
