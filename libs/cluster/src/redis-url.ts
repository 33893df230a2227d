// The default Redis address, in a module of its own: the CLI names it in --help without loading
// the queue code nor the Redis client.
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
