// What DuckDB itself needs to store result rows, with no JavaScript per row: rows of the results
// layout (schema.ts's ensureSchema: ~50 scalar columns and the 4 fold lists of 16) generated
// inside DuckDB into an in-memory table, then `INSERT INTO results SELECT …` in row groups into a
// fresh file with a writer's settings (1 thread, 256 MB checkpoint threshold, 512 MB memory),
// then CHECKPOINT. Alternates with bench/ingest-micro.mjs (pairgrid's ingest of as many rows)
// in one run, so the two CPU figures share the machine's state. Usage:
//   node bench/ingest-floor.mjs [rows=1000000] [turns=3] [tree=.]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { median } from "./lib/measure.mjs";

const nRows = Number(process.argv[2] ?? 1_000_000);
const turns = Number(process.argv[3] ?? 3);
const tree = resolve(process.argv[4] ?? ".");
const here = resolve(new URL(".", import.meta.url).pathname);
const { ensureSchema } = await import(pathToFileURL(join(tree, "libs/resultsdb/dist/src/schema.js")).href);
const { PARAM_NAMES, STAT_NAMES } = await import(
  pathToFileURL(join(tree, "libs/engine/dist/src/index.js")).href
);

/** SQL of one generated row of the results layout, from i (noise doubles, small integer counts). */
function rowSql() {
  const params = PARAM_NAMES.map((_, k) => `((i * ${k + 7}) % 11)::DOUBLE`);
  const stats = STAT_NAMES.map((s, k) =>
    s.startsWith("n_") ? `((i * ${k + 3}) % 97)::INTEGER` : `sin(i * ${k + 1}.37) * 1000`,
  );
  const list = (f) => `list_transform(range(16), f -> ${f})`;
  return [
    "'j1'",
    "i",
    ...params,
    ...stats,
    "NULL",
    "NULL",
    list("((i + f) % 50)::INTEGER"),
    list("cos(i + f) * 5000"),
    list("abs(sin(i * f)) * 1e7"),
    list("(60 + f % 3)::INTEGER"),
  ].join(", ");
}

async function floorOnce() {
  const dir = mkdtempSync(join(tmpdir(), "ingest-floor-"));
  try {
    const opts = { threads: "1", checkpoint_threshold: "256MB", memory_limit: "512MB" };
    const db = await DuckDBInstance.create(join(dir, "r.duckdb"), opts);
    const con = await db.connect();
    await ensureSchema(con);
    await con.run(
      `ATTACH ':memory:' AS m; CREATE TABLE m.src AS SELECT ${rowSql()} FROM range(${nRows}) t(i)`,
    );
    const cpu0 = process.cpuUsage();
    for (let s = 0; s < nRows; s += 122_880) {
      await con.run(`INSERT INTO results SELECT * FROM m.src LIMIT 122880 OFFSET ${s}`);
    }
    await con.run("CHECKPOINT");
    const cpu = process.cpuUsage(cpu0);
    con.closeSync();
    db.closeSync();
    return (cpu.user + cpu.system) / 1e6;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pairgridOnce() {
  const run = spawnSync(process.execPath, [join(here, "ingest-micro.mjs"), String(nRows), tree], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`ingest-micro failed:\n${run.stderr}`);
  const line = JSON.parse(run.stdout.trim().split("\n").pop());
  return Number(line.close_cpu_s);
}

const floor = [];
const ours = [];
for (let t = 0; t < turns; t++) {
  floor.push(await floorOnce());
  ours.push(pairgridOnce());
  process.stderr.write(
    `turn ${t + 1}: DuckDB alone ${floor[t].toFixed(2)} CPU-s, pairgrid ${ours[t].toFixed(2)}\n`,
  );
}
const perRow = (s) => (s * 1e6) / nRows;
console.log(
  JSON.stringify({
    rows: nRows,
    turns,
    duckdb_insert_cpu_s: floor.map((s) => +s.toFixed(2)),
    pairgrid_ingest_cpu_s: ours.map((s) => +s.toFixed(2)),
    duckdb_us_per_row: +perRow(median(floor)).toFixed(2),
    pairgrid_us_per_row: +perRow(median(ours)).toFixed(2),
    // one core's worth of rows per second at DuckDB's own cost
    duckdb_rows_per_cpu_s: Math.round(nRows / median(floor)),
  }),
);
