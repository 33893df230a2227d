// `pairgrid robustness`: how much to trust a job's best rows (ENGINE.md §7 fold statistics): the
// Probability of Backtest Overfitting (CSCV), walk-forward selection anchored and rolling, and the
// top rows with Sharpe, DSR and the stability of their grid cell. The report itself is built in
// libs/resultsdb (robustness-report.ts), shared with the coordinator and `pairgrid serve`.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError, synthOrigin } from "@pairgrid/engine";
import {
  buildRobustnessReport,
  type JobRecord,
  type RankedRow,
  type RobustnessReport,
  ResultsDb,
  type WalkForwardReport,
} from "@pairgrid/resultsdb";
import type { Command } from "commander";
import { resolveJob } from "../resolve-job.js";
import { lateProgress, type RunProgress } from "../run-progress.js";

interface RobustnessFlags {
  db: string;
  job?: string;
  by: string;
  splits?: string;
  window?: string;
  limit: string;
  json?: boolean;
  quiet?: boolean;
}

/** A report that takes longer than this shows its progress on stderr (25 M rows: about a minute). */
const PROGRESS_AFTER_MS = 2000;

/** The report's progress, rows read of every pass, shown once it has taken PROGRESS_AFTER_MS. */
function reportProgress(quiet: boolean | undefined) {
  let shown: RunProgress | null = null;
  const onProgress = quiet
    ? undefined
    : (done: number, total: number) => {
        shown ??= lateProgress(PROGRESS_AFTER_MS, {
          total,
          mode: process.stderr.isTTY ? "bar" : "lines",
          log: (line) => process.stderr.write(`${line}\n`),
          unit: "rows read",
        });
        shown.update(done);
      };
  return { onProgress, stop: () => shown?.stop() };
}

function countFlag(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
    throw new InputError(`${flag}: expected a whole number, got '${text}'`, flag);
  }
  return n;
}

const num = (v: number | null | undefined, digits: number) =>
  v === null || v === undefined ? "—" : v.toFixed(digits);
const param = (v: number | null) => (v === null ? "null" : String(Number(v.toPrecision(6))));
const folds = (from: number, to: number) => (from === to ? `${from}` : `${from}–${to}`);

/** Right-aligned columns under a header line, indented by two spaces. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]) => `  ${cells.map((s, j) => s.padStart(widths[j]!)).join("  ")}`;
  return [line(header), ...rows.map(line)].join("\n");
}

const slopeTerm = (slope: number | null) =>
  slope === null ? "+ —" : `${slope < 0 ? "−" : "+"} ${Math.abs(slope).toFixed(3)}`;

function pboText(r: RobustnessReport): string {
  const p = r.pbo;
  if (!p) return "PBO: not available (needs at least 2 folds and 2 combinations)";
  const sample = p.sampled ? ` (a fixed sample of ${p.n_splits_total})` : ` of ${p.n_splits_total}`;
  const d = p.degradation;
  return (
    `PBO ${num(p.pbo, 3)}  (CSCV: ${p.groups} groups, ${p.n_splits} splits${sample}; ` +
    `share of splits whose in-sample best ranks at or below the out-of-sample median)\n` +
    `degradation: OOS ${r.by} ≈ ${num(d.intercept, 3)} ${slopeTerm(d.slope)} × IS ${r.by}; ` +
    `P(OOS ${r.by} < 0) = ${num(d.prob_oos_loss, 3)}`
  );
}

function walkText(w: WalkForwardReport, params: string[], firstTest: number, lastFold: number): string {
  const best = w.in_sample_best;
  const st = w.stitched;
  const head =
    `${w.mode}: stitched out-of-sample sharpe ${num(st.sharpe, 3)}, pnl ${num(st.pnl, 2)}, ` +
    `${st.n_trades} trades over folds ${folds(firstTest, lastFold)}; in-sample best ` +
    (best.combo_id === null
      ? "none"
      : `combo ${best.combo_id}: sharpe ${num(best.sharpe, 3)} over all folds, ` +
        `${num(best.oos_period_sharpe, 3)} (pnl ${num(best.oos_period_pnl, 2)}) over folds ${folds(firstTest, lastFold)}`);
  const rows = w.steps.map((s) => [
    folds(s.train_from, s.train_to),
    String(s.test_fold),
    s.combo_id === null ? "—" : String(s.combo_id),
    ...params.map((p) => (s.params ? param(s.params[p] ?? null) : "—")),
    num(s.is_sharpe, 3),
    num(s.oos_sharpe, 3),
    num(s.oos_pnl, 2),
    String(s.oos_n_trades),
  ]);
  const header = ["train", "test", "combo_id", ...params, "is_sharpe", "oos_sharpe", "oos_pnl", "oos_trades"];
  return `${head}\n${table(header, rows)}`;
}

function topText(rows: RankedRow[], params: string[], by: string): string {
  const header = [
    "rank",
    "combo_id",
    ...params,
    "sharpe",
    "dsr",
    "stability",
    "nbrs",
    "total_pnl",
    "n_trades",
  ];
  const body = rows.map((r) => [
    String(r.rank),
    String(r.combo_id),
    ...params.map((p) => param(r.params[p] ?? null)),
    num(r.sharpe, 3),
    num(r.dsr, 3),
    num(r.stability, 3),
    String(r.n_neighbours),
    num(r.total_pnl, 2),
    r.n_trades === null ? "—" : String(r.n_trades),
  ]);
  return (
    `top ${rows.length} by ${by} (stability: median ${by} of the grid neighbours − own; ` +
    `≈ 0 on a plateau, strongly negative for a lone spike)\n${table(header, body)}`
  );
}

/** "; on synthetic data (model market, seed 7)" when the job's data came from `data synth`. */
function originText(spec: unknown): string {
  const origin = synthOrigin(spec);
  return origin ? `; on ${origin.label}` : "";
}

/** " (N distinct results)" when twins make fewer results than rows: what PBO and walk-forward rank. */
function distinctText(r: RobustnessReport): string {
  return r.n_distinct < r.n_combos ? ` (${r.n_distinct} distinct results)` : "";
}

export function formatRobustness(job: JobRecord, r: RobustnessReport): string {
  const parts = [
    `job ${job.job_id} (${job.name}, ${job.status}): ${r.n_combos} combinations${distinctText(r)}, ` +
      `${r.n_folds} folds, by ${r.by}` +
      originText(job.spec),
    pboText(r),
  ];
  const wf = r.walk_forward;
  if (wf) {
    parts.push(
      `walk-forward, window ${wf.window}: choose on past folds (anchored: all of them; rolling: the last ` +
        `${wf.window}), report the next fold`,
      walkText(wf.anchored, r.params, wf.window, r.n_folds - 1),
      walkText(wf.rolling, r.params, wf.window, r.n_folds - 1),
    );
  } else {
    parts.push("walk-forward: not available (needs at least 2 folds)");
  }
  if (r.top.length > 0) parts.push(topText(r.top, r.params, r.by));
  return `${parts.join("\n\n")}\n`;
}

/** `pairgrid robustness [--db FILE] [--job ID] [--by sharpe] [--splits S] [--window W] [--limit N] [--json] [--quiet]` */
export function registerRobustnessCommand(program: Command): void {
  program
    .command("robustness")
    .description(
      "overfitting checks of a job: PBO (CSCV), walk-forward, DSR and grid stability of the top rows",
    )
    .option("--db <file.duckdb>", "results file", "pairgrid.duckdb")
    .option("--job <id>", "job to analyse (default: the most recent)")
    .option("--by <statistic>", "statistic to select and rank by: sharpe or total_pnl", "sharpe")
    .option("--splits <S>", "CSCV groups, even, ≤ folds (default: the largest even number ≤ min(folds, 16))")
    .option("--window <W>", "walk-forward training folds of the rolling mode (default: folds / 4)")
    .option("--limit <n>", "top rows to show", "20")
    .option("--json", "print the report as one JSON object")
    .option("--quiet", "no progress on stderr")
    .action(async (opts: RobustnessFlags) => {
      const file = resolve(opts.db);
      if (!existsSync(file)) throw new InputError(`--db ${opts.db}: no such file`, "--db");
      const query = {
        by: opts.by,
        splits: opts.splits === undefined ? undefined : countFlag("--splits", opts.splits),
        window: opts.window === undefined ? undefined : countFlag("--window", opts.window),
        limit: countFlag("--limit", opts.limit),
      };
      const db = await ResultsDb.open(file, { readOnly: true });
      try {
        const job = await resolveJob(db, opts.job, opts.db);
        let report: RobustnessReport | null;
        const progress = reportProgress(opts.quiet);
        try {
          report = await buildRobustnessReport(db, job.job_id, query, progress.onProgress);
        } catch (err) {
          // the report names its options (`splits`); the user typed flags (`--splits`)
          if (err instanceof InputError && err.path && err.path in query) {
            const reason = err.message.startsWith(`${err.path} `)
              ? err.message.slice(err.path.length + 1)
              : err.message;
            throw new InputError(`--${err.path}: ${reason}`, `--${err.path}`);
          }
          throw err;
        } finally {
          progress.stop();
        }
        if (!report) throw new InputError(`--job ${job.job_id}: no such job in ${opts.db}`, "--job");
        process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatRobustness(job, report));
      } finally {
        await db.close();
      }
    });
}
