// One dashboard route of a results file, in a process of its own (so its peak RSS is the route's):
//   node bench/lib/analysis-probe.mjs TREE FILE JOB heatmap|combo|rows|importance|grid|finalize
// Opens the file read-only as `pairgrid serve` does and answers through the coordinator's reader.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [tree, file, jobId, route] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(join(tree, p)).href);
const { ResultsDb } = await load("libs/resultsdb/dist/src/index.js");
const { ResultsDbReader } = await load("apps/coordinator/dist/src/results-reader.js");
const db = await ResultsDb.open(file, { readOnly: route !== "finalize" });
const reader = new ResultsDbReader(db);
const t0 = performance.now();
let answer;
if (route === "heatmap") {
  answer = await reader.heatmap(jobId, {
    x: "z_entry",
    y: "z_exit",
    stat: "sharpe",
    agg: "max",
    minTrades: 0,
    fix: {},
  });
} else if (route === "combo") {
  answer = await reader.combo(jobId, 12345);
} else if (route === "finalize") {
  answer = await db.finalizeDsr(jobId);
} else if (route === "importance") {
  answer = await reader.importance(jobId, { stat: "sharpe", minTrades: 0, all: false });
} else if (route === "rows") {
  answer = await reader.rows(jobId, { by: "sharpe", limit: 50, offset: 0, minTrades: 0, filter: {} });
} else {
  answer = await reader.grid(jobId);
}
const seconds = (performance.now() - t0) / 1000;
await db.close();
process.stdout.write(`${JSON.stringify({ route, seconds, bytes: JSON.stringify(answer ?? null).length })}\n`);
