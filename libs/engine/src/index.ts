export * from "./errors.js";
export * from "./time/tz.js";
