// `pairgrid run`: check and plan the grid (refusing a bad or oversized one before any data is
// read), load the data once, create or resume the job, hand it to the job runner with the local
// executor (@pairgrid/jobs), then rank. Returns the exit code: 0 done, 130 stopped by a signal
// (job cancelled, resumable).
import {
  defaultChunkSize,
  type EventSettings,
  eventSettingsFor,
  type GridPlan,
  type GridSpec,
  type HybridGridData,
  loadHybridGridData,
  loadSlowPair,
  loadSpecFile,
  packGridData,
  planGrid,
  synthOrigin,
} from "@pairgrid/engine";
import {
  createJob,
  JobRunner,
  type LedgerJob,
  LocalExecutor,
  type LocalReport,
  type RunCounters,
  resumeJob,
  startHeartbeat,
  StopRequest,
} from "@pairgrid/jobs";
import { replayCommand, ResultsDb, resumeCommand } from "@pairgrid/resultsdb";
import { formatTopTable } from "./commands/top.js";
import { printLoadReports } from "./load-report.js";
import type { RunSettings } from "./run-flags.js";
import { grouped, startProgress } from "./run-progress.js";
import { watchStopSignals } from "./run-signals.js";

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function runLocalGrid(specPath: string, s: RunSettings): Promise<number> {
  const log = s.quiet ? () => {} : (line: string) => process.stderr.write(`${line}\n`);
  const { spec } = loadSpecFile(specPath);
  const plan = planGrid(spec, s.maxCombos);
  // one ingest lane: a second (results-db.ts INGEST_LANES) gains rows per second only on a core the
  // kernels leave free, and `run` gives them every core; it would only split the trickle of
  // results into more, smaller commits (W6 with two lanes, alternating: 220 → 228 CPU-s, medians
  // of 3, no faster ingest; within this machine's noise, but no gain to pay it for)
  const db = await ResultsDb.open(s.db, { ingestLanes: 1 });
  let stopHeartbeat = () => {};
  try {
    // a resume is checked (spec, chunk size) before the data is loaded
    let job: LedgerJob | null = s.resume ? await resumeJob(db, s.resume, spec, plan, s.chunkSize) : null;
    const tLoad = performance.now();
    const sp = await loadSlowPair(spec);
    const data = packGridData(sp);
    printLoadReports(log, sp.reports);
    // hybrid engines: the fast files too, checked against the slow bars, shared with the threads
    let hybrid: HybridGridData | null = null;
    if (spec.engine !== "slow") {
      const fast = await loadHybridGridData(spec, sp);
      printLoadReports(log, { "a fast": fast.load.reports.a, "b fast": fast.load.reports.b });
      hybrid = fast.data;
    }
    const loadMs = performance.now() - tLoad;
    job ??= await createJob(db, spec, plan, s.chunkSize ?? defaultChunkSize(plan, s.threads), "local");
    // from here until the job is marked, a reader can tell whether this process still runs it
    stopHeartbeat = await startHeartbeat(db, job.jobId, specPath);
    process.stdout.write(`job ${job.jobId}\n`);
    const events = eventSettingsFor(spec, plan, data.base, s.kernel);
    const toRun = job.chunking.chunks.length - job.done.size;
    logPlan(log, spec, plan, job, toRun, s, sp.pair.ts.length, events);
    const runner = new JobRunner(
      db,
      new LocalExecutor({ pair: sp.pair, data, hybrid, threads: s.threads, events }),
    );

    // From here a signal stops the run instead of killing the process, until the job is marked;
    // one arriving after the last chunk changes nothing. The notice goes to stderr even with
    // --quiet: the user pressed a key and waits for an answer.
    const stop = new StopRequest();
    const unwatch = watchStopSignals(stop, (line) => process.stderr.write(`${line}\n`));
    const total = job.chunking.chunks.reduce((n, c) => n + (job!.done.has(c.chunkId) ? 0 : c.t1 - c.t0), 0);
    const progress = startProgress({
      total,
      mode: s.quiet ? "off" : process.stderr.isTTY ? "bar" : "lines",
      log,
    });
    try {
      const out = await runner
        .run(job, { stop, onProgress: (_job, run) => progress.update(run.combos) })
        .finally(() => progress.stop());
      logTimes(log, out.report, out.counters, loadMs);
      if (out.status === "cancelled") {
        printResumeHint(specPath, s, job, toRun, out.report);
        return 130;
      }
    } finally {
      unwatch();
    }
    await printTop(db, spec, plan, job.jobId, specPath);
    return 0;
  } finally {
    stopHeartbeat();
    await db.close();
  }
}

function logPlan(
  log: (s: string) => void,
  spec: GridSpec,
  plan: GridPlan,
  job: LedgerJob,
  toRun: number,
  s: RunSettings,
  nBars: number,
  events: EventSettings | null,
): void {
  const { chunks, chunkSize } = job.chunking;
  const what = job.resumed
    ? `resuming: ${toRun} of ${chunks.length} chunks left`
    : `${chunks.length} chunks of ≤ ${grouped(chunkSize)}`;
  log(
    `${spec.name}: ${grouped(plan.total)} combinations in ${plan.nGroups} indicator groups over ` +
      `${grouped(nBars)} bars; ${what}; ${s.threads} threads; ` +
      `${kernelLabel(spec.engine, events)} → ${s.db}`,
  );
}

/** What runs the combinations; hybrid_curve's rows are said to be the curve grid's approximation. */
function kernelLabel(engine: GridSpec["engine"], events: EventSettings | null): string {
  if (engine === "hybrid_curve")
    return "hybrid_curve: precomputed-curve TP×SL grid (approximates hybrid_dollar, trades not re-run)";
  if (engine !== "slow") return `${engine} kernel`;
  return events ? "event-driven kernel" : "bar-scan kernel";
}

/** The time split of a run (BENCH.md W2): where the wall time went, and memory. */
function logTimes(log: (s: string) => void, out: LocalReport, run: RunCounters, loadMs: number): void {
  const wall = out.wallMs / 1000;
  const rss = process.resourceUsage().maxRSS / 1024;
  const ingestRate = run.ingestMs > 0 ? run.rows / (run.ingestMs / 1000) : 0;
  log(
    `${grouped(run.rows)} rows (${grouped(run.combos)} combinations) in ${seconds(out.wallMs)}: ` +
      `${grouped(run.rows / wall)} backtests/s; load ${seconds(loadMs)}, ` +
      `group precompute ${seconds(out.precomputeMs)}, kernels ${seconds(out.kernelMs)} of thread time` +
      `${out.copies > 0 ? ` (${grouped(out.copies)} rows copied from an identical combination)` : ""}, ` +
      `DuckDB ingest ${seconds(run.ingestMs)} ` +
      `(${grouped(ingestRate)} rows/s); peak RSS ${rss.toFixed(0)} MB`,
  );
}

function printResumeHint(
  specPath: string,
  s: RunSettings,
  job: LedgerJob,
  toRun: number,
  out: LocalReport,
): void {
  const left = toRun - out.stored;
  const midWay = out.abandoned > 0 ? ` (${out.abandoned} stopped mid-way)` : "";
  process.stderr.write(
    `job ${job.jobId} cancelled: ${out.stored} chunks stored this run, ${left} left${midWay}. ` +
      `Resume with:\n  ${resumeCommand(specPath, s.db, job.jobId)}\n`,
  );
}

async function printTop(
  db: ResultsDb,
  spec: GridSpec,
  plan: GridPlan,
  jobId: string,
  specPath: string,
): Promise<void> {
  const { by, min_trades: minTrades } = spec.rank;
  // a drawdown ranks best when smallest; every other statistic when largest (as `pairgrid top`)
  const rows = await db.top({ jobId, by, minTrades, limit: 10, ascending: by === "max_dd" });
  // the columns: the axes the spec varies (asking the rows which vary costs a second at 25 M)
  const axes = plan.axes.filter((a) => a.values.length > 1);
  const params = axes.map((a) => a.name);
  // figures from a synthetic market must not pass for a real one's
  const origin = synthOrigin(spec);
  const on = origin ? ` on ${origin.label}` : "";
  // the curve grid's rows must not pass for the exact engine's
  const approx = spec.engine === "hybrid_curve" ? " (curve grid: approximates hybrid_dollar)" : "";
  process.stdout.write(`top ${rows.length} by ${by} (n_trades ≥ ${minTrades})${on}${approx}:\n`);
  if (rows.length === 0) return;
  // each group of twins is listed once (as `pairgrid top`): say what it holds
  const twins = await db.twinGroups(
    jobId,
    rows.map((r) => Number(r.combo_id)),
  );
  process.stdout.write(`${formatTopTable(rows, params, by, twins)}\n`);
  // every axis with several values, so the command replays exactly this row (the one form `top`
  // and the dashboard print too)
  const replay = replayCommand(specPath, { params: axes }, rows[0]!);
  process.stdout.write(`trades of the best row: ${replay}\n`);
  if (spec.engine === "hybrid_curve") {
    const at = replay.indexOf(" --set");
    const sets = at < 0 ? "" : replay.slice(at + 1);
    process.stdout.write(
      `the exact engine on it: pairgrid hybrid ${specPath} --engine hybrid_dollar --compare ${sets}\n`,
    );
  }
}
