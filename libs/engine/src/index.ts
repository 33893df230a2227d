export * from "./calendar/index.js";
export * from "./data/index.js";
export * from "./errors.js";
export * from "./indicators/index.js";
export * from "./pipeline/index.js";
export * from "./spec/index.js";
export * from "./synth/index.js";
export * from "./time/tz.js";
