// A real coordinator behind a real HTTP server on 127.0.0.1 for tests: its own redis-server
// (TestRedis), a DuckDB file and a data root in a temp folder, and every line the server logs
// kept for assertions. Nothing is mocked; only the worker side is absent.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { TestRedis } from "@pairgrid/cluster/testing";
import { Registry } from "prom-client";
import { Coordinator } from "../src/coordinator.js";
import { buildServer } from "../src/http/index.js";

export interface LiveCoordinator {
  url: string;
  /** The data root (`--data-dir`). */
  root: string;
  /** A folder next to the root, outside it. */
  outside: string;
  /** Lines logged by the coordinator and the HTTP server, `LEVEL message`. */
  logs: string[];
  /** Writes `text` to `rel` under the root (folders created). */
  write(rel: string, text: string): string;
  post(body: string, contentType: string): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

export async function startLiveCoordinator(): Promise<LiveCoordinator> {
  const tmp = mkdtempSync(join(tmpdir(), "pairgrid-live-"));
  const root = join(tmp, "root");
  const outside = join(tmp, "outside");
  mkdirSync(root);
  mkdirSync(outside);
  const redis = await TestRedis.start();
  const logs: string[] = [];
  const line = (level: string) => (msg: string) => logs.push(`${level} ${msg}`);
  const log = { info: line("info"), warn: line("WARN"), error: line("ERROR") };
  const coordinator = await Coordinator.start({
    redisUrl: redis.url,
    dbFile: join(tmp, "jobs.duckdb"),
    dataDir: root,
    maxCombos: 1_000_000,
    log,
  });
  const app = buildServer({ jobs: coordinator, metrics: new Registry(), log });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    root,
    outside,
    logs,
    write(rel, text) {
      const file = join(root, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    async post(body, contentType) {
      const res = await fetch(`${url}/jobs`, {
        method: "POST",
        body,
        headers: { "content-type": contentType },
      });
      return { status: res.status, text: await res.text() };
    },
    async stop() {
      await app.close();
      await coordinator.close();
      await redis.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
