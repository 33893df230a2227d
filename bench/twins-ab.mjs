// Marking twins (same_as) of a big finished job, tree against tree: each tree's markTwins with
// that tree's own writer memory limit and partitions, on the same results file, same_as reset to
// NULL first, trees alternating (A B A B …). Prints wall, CPU, peak RSS and a checksum of the
// same_as column, which must agree between trees. The file is modified (same_as), so pass a copy,
// e.g. of W7's (PAIRGRID_W7_FILE). Usage:
//   node bench/twins-ab.mjs FILE TURNS TREE [TREE…]
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const [file, turns, ...trees] = process.argv.slice(2);
if (!file || !turns || trees.length === 0) {
  process.stderr.write("usage: node bench/twins-ab.mjs FILE TURNS TREE [TREE…]\n");
  process.exit(2);
}

// One turn, in a process of its own (peak RSS is the process's): run by this file with --one.
const ONE = `
  const [file, tree] = process.argv.slice(1);
  const { DuckDBInstance } = await import(tree + "/node_modules/@duckdb/node-api/lib/index.js");
  const { markTwins } = await import(tree + "/libs/resultsdb/dist/src/twin-groups.js");
  const rdb = await import(tree + "/libs/resultsdb/dist/src/results-db.js");
  // trees from before WRITER_MEMORY_LIMIT opened writers with the one limit
  const memory = rdb.WRITER_MEMORY_LIMIT ? rdb.duckdbMemoryLimit(false) : rdb.duckdbMemoryLimit();
  const db = await DuckDBInstance.create(file, { memory_limit: memory });
  const conn = await db.connect();
  const job = String((await conn.runAndReadAll("SELECT job_id FROM jobs LIMIT 1")).getRowsJS()[0][0]);
  await conn.run("UPDATE results SET same_as = NULL");
  await conn.run("CHECKPOINT");
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const twins = await markTwins(conn, job);
  const cpu = process.cpuUsage(cpu0);
  const sum = (await conn.runAndReadAll(
    "SELECT sum(hash(combo_id, same_as) % 1000000007)::VARCHAR FROM results",
  )).getRowsJS()[0][0];
  console.log(JSON.stringify({
    memory, twins,
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
    cpu_seconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    checksum: sum,
  }));
`;

for (let k = 0; k < Number(turns); k++) {
  for (const tree of trees.map((t) => resolve(t))) {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", ONE, resolve(file), tree], {
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`${tree}: ${r.stderr}`);
    process.stdout.write(`${tree} turn ${k}: ${r.stdout.trim()}\n`);
  }
}
