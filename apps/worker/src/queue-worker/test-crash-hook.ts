// TEST-ONLY hook: with PAIRGRID_TEST_CRASH_CHUNK=<chunk id> set, a worker process SIGKILLs itself
// when it takes that chunk (of any job), as a chunk that crashes its worker would (out of memory,
// a native fault). The cluster tests use it to check how such a chunk fails its job. Unset — as
// it is everywhere but in those tests — it does nothing.
const CRASH_ENV = "PAIRGRID_TEST_CRASH_CHUNK";

export function crashIfTestChunk(chunkId: number): void {
  const raw = process.env[CRASH_ENV];
  if (raw === undefined || raw === "" || Number(raw) !== chunkId) return;
  process.kill(process.pid, "SIGKILL");
}
