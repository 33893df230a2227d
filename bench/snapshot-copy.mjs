// What one POST /query snapshot of a coordinator's results file costs (query-snapshot.ts), the two
// ways its writer can make it (results-db.ts snapshotHost), alternating on a file of your choice
// (say a W6 file kept with PAIRGRID_W6_KEEP=1), under the writer's memory limit:
//   - file: CHECKPOINT, then the file's bytes copied (the way taken while writes wait);
//   - duckdb: COPY FROM DATABASE into a new file (the fallback).
// Wall time and this process's CPU (user + system: the kernel's copy counts) per copy, medians.
//   node bench/snapshot-copy.mjs <results.duckdb> [turns=3]
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { copyCheckpointed, copyThroughDuckDB, WRITER_MEMORY_LIMIT } from "@pairgrid/resultsdb";

const file = process.argv[2];
const turns = Number(process.argv[3] ?? 3);
if (!file || !(Number.isInteger(turns) && turns >= 1)) {
  console.error("usage: node bench/snapshot-copy.mjs <results.duckdb> [turns=3]");
  process.exit(2);
}
// beside the file, as the coordinator's snapshots are (not /tmp, which may be memory)
const dir = mkdtempSync(join(dirname(file), ".snapshot-copy-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// the writer's own two ways (libs/resultsdb/src/snapshot-copies.ts); nothing else writes the file here
const WAYS = {
  file: async (instance, out) => {
    if (!(await copyCheckpointed(instance, file, out))) throw new Error(`${file}: the checkpoint left a WAL`);
  },
  duckdb: (instance, out) => copyThroughDuckDB(instance, out),
};

/** The snapshot opens read-only, as a query process opens it, and holds every row. */
async function rowsIn(path) {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  const n = (await conn.runAndReadAll("SELECT count(*) FROM results")).getRows()[0][0];
  conn.closeSync();
  instance.closeSync();
  return Number(n);
}

try {
  const instance = await DuckDBInstance.create(file, { memory_limit: WRITER_MEMORY_LIMIT });
  const conn = await instance.connect();
  const rows = Number((await conn.runAndReadAll("SELECT count(*) FROM results")).getRows()[0][0]);
  const figures = { file: [], duckdb: [] };
  for (let turn = 0; turn < turns; turn++) {
    for (const way of turn % 2 === 0 ? ["file", "duckdb"] : ["duckdb", "file"]) {
      const out = join(dir, `snapshot-${way}.duckdb`);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await WAYS[way](instance, out);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const snapshotMb = Math.round(statSync(out).size / 1e6);
      const held = await rowsIn(out);
      if (held !== rows) throw new Error(`${way} snapshot holds ${held} rows, not ${rows}`);
      rmSync(out, { force: true });
      const fig = { seconds, cpu: (cpu.user + cpu.system) / 1e6, snapshotMb };
      figures[way].push(fig);
      console.error(
        `turn ${turn + 1} ${way}: ${seconds.toFixed(1)} s, ${fig.cpu.toFixed(1)} CPU-s, ${snapshotMb} MB`,
      );
    }
  }
  conn.closeSync();
  instance.closeSync();
  const summary = (xs) => ({
    copy_seconds: xs.map((x) => Number(x.seconds.toFixed(1))),
    cpu_seconds: xs.map((x) => Number(x.cpu.toFixed(1))),
    median_copy_seconds: Number(median(xs.map((x) => x.seconds)).toFixed(1)),
    median_cpu_seconds: Number(median(xs.map((x) => x.cpu)).toFixed(1)),
    snapshot_mb: xs[0].snapshotMb,
  });
  console.log(
    JSON.stringify({
      file,
      file_mb: Math.round(statSync(file).size / 1e6),
      rows,
      file_copy: summary(figures.file),
      duckdb_copy: summary(figures.duckdb),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
