// What a local run needs of this package (the thread pool), without the queue code: `pairgrid run`
// starts faster when BullMQ and ioredis are not loaded at all.
export * from "./chunk-task.js";
export * from "./local-pool.js";
export * from "./redis-url.js";
