// What one POST /query snapshot of a coordinator's results file costs (query-snapshot.ts): the copy
// its writer makes with COPY FROM DATABASE, timed here on a file of your choice (say a W6 file kept
// with PAIRGRID_W6_KEEP=1), under the writer's memory limit. Wall time and this process's CPU.
//   node bench/snapshot-copy.mjs <results.duckdb>
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { WRITER_MEMORY_LIMIT } from "@pairgrid/resultsdb";

const file = process.argv[2];
if (!file) {
  console.error("usage: node bench/snapshot-copy.mjs <results.duckdb>");
  process.exit(2);
}
// beside the file, as the coordinator's snapshots are (not /tmp, which may be memory)
const dir = mkdtempSync(join(dirname(file), ".snapshot-copy-"));
try {
  const instance = await DuckDBInstance.create(file, { memory_limit: WRITER_MEMORY_LIMIT });
  const conn = await instance.connect();
  const source = (await conn.runAndReadAll("SELECT current_database()")).getRows()[0][0];
  const out = join(dir, "snapshot.duckdb");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await conn.run(`ATTACH '${out.replaceAll("'", "''")}' AS snap`);
  await conn.run(`COPY FROM DATABASE "${source}" TO snap`);
  await conn.run("DETACH snap");
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      file,
      file_mb: Math.round(statSync(file).size / 1e6),
      snapshot_mb: Math.round(statSync(out).size / 1e6),
      copy_seconds: Number(seconds.toFixed(1)),
      cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    }),
  );
  conn.closeSync();
  instance.closeSync();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
