export type { ChunkBatch } from "./chunk-batch.js";
export type { JobRecord, NewJob } from "./job-records.js";
export { ResultsDb, type OpenOptions } from "./results-db.js";
export { FOLD_COLUMNS, isCountStat, JOB_STATUSES, type JobStatus, RESULT_COLUMNS } from "./schema.js";
export { checkRankable, TOP_COLUMNS, type TopOptions } from "./top-query.js";
