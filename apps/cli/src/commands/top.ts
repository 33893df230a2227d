// `pairgrid top`: the best rows of a job in a results file, as an aligned table or as JSON.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "@pairgrid/engine";
import {
  checkRankable,
  describeInterruption,
  interruption,
  type JobRecord,
  jobGrid,
  jobRanking,
  jobSpec,
  localProbe,
  replayCommand,
  ResultsDb,
  resumeCommand,
  type TwinGroup,
} from "@pairgrid/resultsdb";
import type { Command } from "commander";
import { resolveJob } from "../resolve-job.js";

interface TopFlags {
  db: string;
  job?: string;
  by?: string;
  limit: string;
  minTrades?: string;
  order?: string;
  command?: string;
  json?: boolean;
  all?: boolean;
}

/** Statistics shown after the varying parameters, in this order (plus the ranking one). */
const SHOWN_STATS = ["n_trades", "total_pnl", "sharpe", "dsr", "max_dd", "win_rate", "profit_factor"];

function countFlag(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new InputError(`${flag}: expected an integer ≥ ${min}, got '${text}'`, flag);
  }
  return n;
}

/**
 * The parameters shown as columns and set by the replay command: every axis the job's spec varies
 * (a running job's rows may not show them all yet), read from the spec, which costs nothing where
 * asking 25 M rows which parameters vary took a second; for a spec this version cannot read, the
 * parameters its rows vary.
 */
async function varyingAxes(db: ResultsDb, job: JobRecord): Promise<string[]> {
  try {
    return jobGrid(jobSpec(job.spec, job.job_id)).params.map((a) => a.name);
  } catch {
    return db.varyingParams(job.job_id);
  }
}

function cell(name: string, v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v !== "number") return String(v);
  if (name === "combo_id" || name.startsWith("n_")) return String(v);
  if (name.endsWith("pnl") || name === "max_dd") return v.toFixed(2);
  if (name === "sharpe" || name === "dsr" || name === "win_rate" || name === "profit_factor")
    return v.toFixed(3);
  return String(Number(v.toPrecision(6))); // parameters: as written in the spec, without float noise
}

/**
 * What a listed row stands for besides itself: "+3 identical (lookback 60|120, z_exit 0|off)", the
 * parameters that vary inside its group of twins with their values ("off" for NULL); "" for none.
 */
export function twinsText(group: TwinGroup | undefined): string {
  if (!group || group.n_identical === 0) return "";
  const varying = Object.entries(group.varying).map(
    ([p, values]) => `${p} ${values.map((v) => (v === null ? "off" : cell(p, v))).join("|")}`,
  );
  return `+${group.n_identical} identical${varying.length > 0 ? ` (${varying.join(", ")})` : ""}`;
}

/**
 * Right-aligned columns under a header line; one line per row. With `twins` (the groups of the
 * rows, in order) a last, left-aligned column says what each row's group of twins holds.
 */
export function formatTopTable(
  rows: Record<string, unknown>[],
  params: readonly string[],
  by: string,
  twins?: readonly TwinGroup[],
): string {
  const stats = SHOWN_STATS.includes(by) ? SHOWN_STATS : [...SHOWN_STATS, by];
  const columns = ["rank", "combo_id", ...params, ...stats];
  const body = rows.map((r, i) => [String(i + 1), ...columns.slice(1).map((c) => cell(c, r[c]))]);
  const widths = columns.map((c, j) => Math.max(c.length, ...body.map((b) => b[j]!.length)));
  const line = (cells: string[]) => cells.map((s, j) => s.padStart(widths[j]!)).join("  ");
  const notes = rows.map((_, i) => twinsText(twins?.[i]));
  if (!notes.some((n) => n !== "")) return [line(columns), ...body.map(line)].join("\n");
  return [`${line(columns)}  twins`, ...body.map((b, i) => `${line(b)}  ${notes[i]}`.trimEnd())].join("\n");
}

/** `pairgrid top [--db FILE] [--job ID] [--by METRIC] [--limit N] [--min-trades N] [--json]` */
export function registerTopCommand(program: Command): void {
  program
    .command("top")
    .description("best rows of a job in a results database (default: the latest job)")
    .option("--db <file.duckdb>", "results file", "pairgrid.duckdb")
    .option("--job <id>", "job to rank (default: the most recent)")
    .option("--by <metric>", "statistic to rank by, or dsr (default: the job's rank.by, else sharpe)")
    .option("--limit <n>", "rows to show", "20")
    .option(
      "--min-trades <n>",
      "leave out rows with fewer trades (default: the job's rank.min_trades, else 0)",
    )
    .option("--order <asc|desc>", "sort direction (default: asc for max_dd, desc otherwise)")
    .option("--command <n>", "print the replay command of row N (default: of row 1) after the table")
    .option("--json", "print an array of row objects (null for NULL) instead of a table")
    .option(
      "--all",
      "list every row; by default rows with identical statistics (twins) are listed once, as '+N identical'",
    )
    .action(async (opts: TopFlags) => {
      const file = resolve(opts.db);
      if (!existsSync(file)) throw new InputError(`--db ${opts.db}: no such file`, "--db");
      const limit = countFlag("--limit", opts.limit, 1);
      const minTradesFlag =
        opts.minTrades === undefined ? undefined : countFlag("--min-trades", opts.minTrades, 0);
      if (opts.order !== undefined && opts.order !== "asc" && opts.order !== "desc") {
        throw new InputError(`--order: expected asc or desc, got '${opts.order}'`, "--order");
      }
      const commandRow = opts.command === undefined ? 1 : countFlag("--command", opts.command, 1);
      if (commandRow > limit) {
        throw new InputError(`--command: row ${commandRow} is past --limit ${limit}`, "--command");
      }
      // read-only: a run or coordinator may be writing other jobs (DuckDB then refuses the lock,
      // which surfaces as a one-line InputError naming the file)
      const db = await ResultsDb.open(file, { readOnly: true });
      try {
        const job = await resolveJob(db, opts.job, opts.db);
        // the one ranking rule (resultsdb ranking.ts): the job's rank.by / rank.min_trades unless
        // the flags name others
        const { by, minTrades, ascending } = jobRanking(job.spec, {
          by: opts.by,
          minTrades: minTradesFlag,
          order: opts.order as "asc" | "desc" | undefined,
        });
        try {
          checkRankable(by);
        } catch (err) {
          const from = opts.by !== undefined ? "--by" : `rank.by of job ${job.job_id}`;
          throw new InputError(`${from}: ${(err as Error).message}`, "--by");
        }
        const all = opts.all === true;
        const rows = await db.top({ jobId: job.job_id, by, minTrades, limit, ascending, all });
        // a run that died without marking its job (killed, crashed): say so, and how to finish it
        const gone = interruption(job, file, localProbe());
        const notice = gone
          ? `job ${job.job_id}: interrupted (${describeInterruption(gone)}); ` +
            // SPEC: the spec file is not recorded (cannot happen for a run that beat)
            `resume with: ${gone.resume ?? resumeCommand("SPEC", file, job.job_id)}`
          : null;
        if (opts.json) {
          // stdout stays the rows array scripts parse
          if (notice) process.stderr.write(`${notice}\n`);
          process.stdout.write(`${JSON.stringify(rows)}\n`);
          return;
        }
        if (notice) process.stdout.write(`${notice}\n`);
        const params = await varyingAxes(db, job);
        process.stdout.write(
          `job ${job.job_id} (${job.name}, ${gone ? "interrupted" : job.status}, ${job.n_done}/${job.n_combos} rows): ` +
            `top ${rows.length} by ${by}${ascending ? " ascending" : ""}, n_trades ≥ ${minTrades}\n`,
        );
        if (rows.length === 0) return;
        const twins = all
          ? undefined
          : await db.twinGroups(
              job.job_id,
              rows.map((r) => Number(r.combo_id)),
            );
        process.stdout.write(`${formatTopTable(rows, params, by, twins)}\n`);
        const row = rows[commandRow - 1];
        if (!row) {
          throw new InputError(
            `--command: row ${commandRow} is past the ${rows.length} rows ranked`,
            "--command",
          );
        }
        const command = replayCommand(job.spec_path, { params: params.map((name) => ({ name })) }, row);
        process.stdout.write(`replay row ${commandRow} (combo ${String(row.combo_id)}): ${command}\n`);
      } finally {
        await db.close();
      }
    });
}
