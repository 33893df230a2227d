// Where the coordinator writes its log lines, in a file of its own so the parts that log
// (redis-policy.ts) need not import the coordinator that uses them.
export interface CoordinatorLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}
