// The coordinator warns loudly when Redis may evict keys (any maxmemory-policy but noeviction):
// an evicted chunk or result would leave a job unfinished forever. Real redis-server, real DuckDB.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { TestRedis } from "@pairgrid/worker/testing";
import { Coordinator } from "../src/coordinator.js";

async function warningsWith(policy: string): Promise<string[]> {
  const redis = await TestRedis.start({ maxmemoryPolicy: policy });
  const dir = mkdtempSync(join(tmpdir(), "pairgrid-policy-"));
  const warnings: string[] = [];
  const log = { info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  try {
    const c = await Coordinator.start({
      redisUrl: redis.url,
      dbFile: join(dir, "r.duckdb"),
      dataDir: dir,
      maxCombos: 1000,
      log,
    });
    await c.close();
    return warnings;
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a Redis that may evict keys gets a loud warning naming the policy; noeviction gets none", async () => {
  const lru = await warningsWith("allkeys-lru");
  assert.equal(lru.length, 1);
  assert.match(lru[0]!, /WARNING: Redis maxmemory-policy is 'allkeys-lru', not 'noeviction'/);
  assert.deepEqual(await warningsWith("noeviction"), []);
});
