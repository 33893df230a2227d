// Ingest throughput alone: N rows with 16 folds each, into a fresh results file through
// ResultsDb.ingestChunk (the path `pairgrid run` and the coordinator use), `inFlight` chunks
// in flight as the local executor has (4 per kernel thread: 8 at --threads 2) in chunks
// of `chunk` rows (W6's default chunk size is 2000). cpu_s is the ingest alone; close_cpu_s adds
// the final checkpoint of close(), which a run pays too. `lanes` sets the writer's ingest lanes
// (results-db.ts INGEST_LANES; default: the tree's own). Usage:
//   node bench/ingest-micro.mjs [rows] [tree] [chunk=2000] [inFlight=8] [lanes]
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const nRows = Number(process.argv[2] ?? 200_000);
const tree = resolve(process.argv[3] ?? ".");
const { ResultsDb } = await import(pathToFileURL(join(tree, "libs/resultsdb/dist/src/index.js")).href);
const { PARAM_NAMES, N_STATS, FOLD_WIDTH } = await import(
  pathToFileURL(join(tree, "libs/engine/dist/src/index.js")).href
);

const chunkSize = Number(process.argv[4] ?? 2000);
const inFlight = Number(process.argv[5] ?? 8);
const lanes = process.argv[6] === undefined ? undefined : Number(process.argv[6]);
const nFolds = 16;
function batch(c) {
  const k = chunkSize;
  const comboIds = new Float64Array(k);
  const params = new Float64Array(k * PARAM_NAMES.length);
  const stats = new Float64Array(k * N_STATS);
  const folds = new Float64Array(k * nFolds * FOLD_WIDTH);
  for (let r = 0; r < k; r++) comboIds[r] = c * k + r;
  for (let i = 0; i < params.length; i++) params[i] = i % 7 === 0 ? NaN : (i * 0.37) % 11;
  for (let i = 0; i < stats.length; i++) stats[i] = (i * 31 + c) % 97;
  for (let i = 0; i < folds.length; i++)
    folds[i] = i % 4 === 0 || i % 4 === 3 ? (i + c) % 50 : Math.cos(i + c);
  return { comboIds, params, stats, folds, nFolds };
}
const dir = mkdtempSync(join(process.env.MICRO_DIR ?? tmpdir(), "ingest-micro-"));
const file = join(dir, "r.duckdb");
const db = await ResultsDb.open(file, { ingestLanes: lanes });
await db.createJob({
  job_id: "j1",
  name: "micro",
  spec: {},
  n_combos: nRows,
  n_chunks: Math.ceil(nRows / chunkSize),
});
const batches = Array.from({ length: 8 }, (_, i) => batch(i));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
// at most `inFlight` chunks submitted and not yet stored, the next one submitted as soon as any
// is stored (libs/jobs/src/local/dispatch.ts bounds a run's chunks the same way)
const nChunks = Math.ceil(nRows / chunkSize);
let next = 0;
async function feed() {
  while (next < nChunks) {
    const c = next++;
    const ids = new Float64Array(chunkSize);
    for (let r = 0; r < chunkSize; r++) ids[r] = c * chunkSize + r;
    await db.ingestChunk("j1", c, { ...batches[c % 8], comboIds: ids });
  }
}
await Promise.all(Array.from({ length: inFlight }, feed));
const s = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await db.close();
const closeCpu = process.cpuUsage(cpu0);
const sClose = (performance.now() - t0) / 1000;
const size = statSync(file).size;
console.log(
  JSON.stringify({
    tree,
    rows: nRows,
    seconds: s.toFixed(2),
    rows_per_s: Math.round(nRows / s),
    rows_per_s_with_close: Math.round(nRows / sClose),
    chunk: chunkSize,
    in_flight: inFlight,
    lanes: lanes ?? "default",
    cpu_s: ((cpu.user + cpu.system) / 1e6).toFixed(2),
    close_cpu_s: ((closeCpu.user + closeCpu.system) / 1e6).toFixed(2),
    file_mb: (size / 1e6).toFixed(1),
    rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
rmSync(dir, { recursive: true, force: true });
