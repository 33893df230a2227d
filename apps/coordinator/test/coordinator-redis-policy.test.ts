// The coordinator warns loudly when Redis may evict keys (any maxmemory-policy but noeviction):
// an evicted chunk or result would leave a job unfinished forever; and when Redis runs without
// AOF: a restart loses the queue. One line each. Real redis-server, real DuckDB.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { TestRedis } from "@pairgrid/cluster/testing";
import { connectRedis } from "../src/connect-redis.js";
import { Coordinator } from "../src/coordinator.js";

async function warningsWith(policy: string, appendonly = true): Promise<string[]> {
  const redis = await TestRedis.start({ maxmemoryPolicy: policy, appendonly });
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

test("a Redis without AOF gets one warning line at start; with AOF none", async () => {
  const noAof = await warningsWith("noeviction", false);
  assert.equal(noAof.length, 1, noAof.join("\n"));
  assert.match(
    noAof[0]!,
    /^WARNING: Redis runs without AOF \(appendonly no\).*Run Redis with --appendonly yes\.$/,
  );
  assert.deepEqual(await warningsWith("noeviction", true), []);
});

test("a Redis that refuses CONFIG gets one softer line naming both settings", async () => {
  // rename-command is config-file only; a client without the CONFIG right plays the managed Redis
  const redis = await TestRedis.start();
  const dir = mkdtempSync(join(tmpdir(), "pairgrid-policy-"));
  const warnings: string[] = [];
  const log = { info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  const admin = connectRedis(redis.url, "pairgrid-test-admin");
  try {
    await admin.call("ACL", "SETUSER", "default", "-config");
    const c = await Coordinator.start({
      redisUrl: redis.url,
      dbFile: join(dir, "r.duckdb"),
      dataDir: dir,
      maxCombos: 1000,
      log,
    });
    await c.close();
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(
      warnings[0]!,
      /^cannot read Redis's settings \(CONFIG GET: NOPERM.*\); make sure it runs with --appendonly yes and --maxmemory-policy noeviction$/,
    );
  } finally {
    admin.disconnect();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
