// What the dashboard's analysis routes read, as one interface (the routes stay thin wiring), and
// its implementation over a results file: SQL in @pairgrid/resultsdb, on-demand engine runs of one
// combination with the job's data kept for the last two jobs looked at. The coordinator and
// `pairgrid serve` share it.
import { type GridPlan, type GridSpec, synthOrigin, TRADE_CSV_COLUMNS } from "@pairgrid/engine";
import {
  type AxisValues,
  checkCombo,
  type ComboReport,
  comboReport,
  type ExportTable,
  bestAscending,
  type ImportanceReport,
  paramImportance,
  copyRankedRows,
  type ExportFile,
  exportFile,
  type ExportFormat,
  countRows,
  GRID_STATS,
  type Heatmap,
  type HeatmapQuery,
  heatmap,
  type JobData,
  type JobGrid,
  jobGrid,
  jobPlan,
  jobRanking,
  jobSpec,
  loadJobData,
  type Ranking,
  type RankingAsk,
  rankingExampleSql,
  replayCommand,
  type RowsPage,
  type RowsQuery,
  type ResultsDb,
  rowsPage,
  storedRow,
} from "@pairgrid/resultsdb";
import { LruMap } from "@pairgrid/jobs";

/** `GET /jobs/:id/grid`: the axes a heatmap may use, and what can be shown on them. */
export interface GridView {
  job_id: string;
  /** Varying parameters, in spec order. */
  params: AxisValues[];
  /** Single-valued parameters. */
  fixed: Record<string, number | null>;
  /** Statistic columns (§7 and dsr). */
  stats: string[];
  /** Rows stored so far. */
  n_rows: number;
  /** "synthetic data (model market, seed 7)" when a synth.json lies next to the job's data, else null. */
  data_origin: string | null;
  /** The job's ranking (its spec's rank.by and rank.min_trades): the dashboard's defaults. */
  rank: { by: string; min_trades: number; order: "asc" | "desc"; example_sql: string };
  /** The job's hedge (ols | kalman) and engine: which parameters and charts apply to it. */
  hedge: string;
  engine: string;
}

export type ComboTable = "trades" | "equity";

/** A combination's report and the command that replays it. */
export type ComboView = ComboReport & { command: string };

/** A ranked-rows or heatmap query whose ranking fields default to the job's (ranking.ts). */
export type RowsAsk = Omit<RowsQuery, "by" | "minTrades"> & { by?: string; minTrades?: number };
export type HeatmapAsk = Omit<HeatmapQuery, "minTrades"> & { minTrades?: number };

/**
 * Every method answers null when there is no such job. Bad names or values throw InputError (with
 * the query field as path); `combo` also throws UnknownComboError and DataUnavailableError.
 */
export interface ResultsReader {
  grid(jobId: string): Promise<GridView | null>;
  /** The job's ranking with the caller's overrides (GET /jobs/:id/results). */
  ranking(jobId: string, ask: RankingAsk): Promise<Ranking | null>;
  heatmap(jobId: string, q: HeatmapAsk): Promise<Heatmap | null>;
  rows(jobId: string, q: RowsAsk): Promise<RowsPage | null>;
  /** Share of a statistic's variance each varying parameter explains (param-importance.ts). */
  importance(
    jobId: string,
    q: { stat?: string; minTrades?: number; all?: boolean },
  ): Promise<ImportanceReport | null>;
  /** Every ranked row passing the filters, as a table to download. */
  rowsExport(
    jobId: string,
    q: Omit<RowsAsk, "limit" | "offset">,
    format: ExportFormat,
  ): Promise<ExportFile | null>;
  /** A combination's trades, or its equity at every bar, as a table to download. */
  comboExport(jobId: string, comboId: number, table: ComboTable): Promise<ExportTable | null>;
  /** Runs the reference engine (and the hybrid comparison, with fast data) on one combination. */
  combo(jobId: string, comboId: number): Promise<ComboView | null>;
}

/** What the reader uses of a results file: job records, and its connection for the queries. */
export type ResultsSource = Pick<ResultsDb, "getJob" | "read">;

interface JobEntry {
  spec: GridSpec;
  /** The job's own ranking (no overrides). */
  rank: Ranking;
  grid: JobGrid;
  /** GridView.data_origin, looked up once per job. */
  origin: string | null;
  /** Built on the first combination page (ids → parameter values). */
  plan: GridPlan | null;
}

/**
 * Parquet types of the trade columns (TRADE_COLUMNS, then entry_time and exit_time). Keyed by the
 * column-name union so a column added to the trade list fails to compile until it has a type here.
 */
const TRADE_TYPES: Record<(typeof TRADE_CSV_COLUMNS)[number], string> = {
  side: "INTEGER",
  entry_i: "BIGINT",
  exit_i: "BIGINT",
  entry_ts: "BIGINT",
  exit_ts: "BIGINT",
  entry_a: "DOUBLE",
  entry_b: "DOUBLE",
  exit_a: "DOUBLE",
  exit_b: "DOUBLE",
  beta_entry: "DOUBLE",
  n_a: "DOUBLE",
  n_b: "DOUBLE",
  pnl_gross: "DOUBLE",
  costs: "DOUBLE",
  pnl_net: "DOUBLE",
  reason: "VARCHAR",
  bars_held: "BIGINT",
  mfe: "DOUBLE",
  mae: "DOUBLE",
  exit_day: "VARCHAR",
  entry_time: "VARCHAR",
  exit_time: "VARCHAR",
};

/** Columns of the SQL box's first query: the ranked table's leading ones. */
const EXAMPLE_COLUMNS = ["combo_id", "n_trades", "total_pnl", "sharpe", "dsr"];

/** Jobs whose validated spec is kept (a few KB each; validating a big grid's spec takes a while). */
const SPEC_CACHE = 32;
/** Jobs whose market data stays loaded: the one being looked at and the one before. */
const DATA_CACHE = 2;

export class ResultsDbReader implements ResultsReader {
  private readonly specs = new LruMap<string, JobEntry>(SPEC_CACHE);
  private readonly data = new LruMap<string, Promise<JobData>>(DATA_CACHE);

  constructor(private readonly source: ResultsSource) {}

  async grid(jobId: string): Promise<GridView | null> {
    const job = await this.job(jobId);
    if (!job) return null;
    const n = await this.source.read((conn) => countRows(conn, jobId));
    const { rank } = job;
    return {
      job_id: jobId,
      ...job.grid,
      stats: [...GRID_STATS],
      n_rows: n,
      data_origin: job.origin,
      rank: {
        by: rank.by,
        min_trades: rank.minTrades,
        order: rank.ascending ? "asc" : "desc",
        example_sql: rankingExampleSql(jobId, rank, EXAMPLE_COLUMNS),
      },
      hedge: job.spec.hedge,
      engine: job.spec.engine,
    };
  }

  async ranking(jobId: string, ask: RankingAsk): Promise<Ranking | null> {
    const job = await this.job(jobId);
    return job ? jobRanking(job.spec, ask) : null;
  }

  async heatmap(jobId: string, q: HeatmapAsk): Promise<Heatmap | null> {
    const job = await this.job(jobId);
    if (!job) return null;
    const query: HeatmapQuery = { ...q, minTrades: q.minTrades ?? job.rank.minTrades };
    return this.source.read((conn) => heatmap(conn, jobId, job.grid, query));
  }

  async rows(jobId: string, q: RowsAsk): Promise<RowsPage | null> {
    const job = await this.job(jobId);
    if (!job) return null;
    const rank = jobRanking(job.spec, { by: q.by, minTrades: q.minTrades, order: q.order });
    const query: RowsQuery = {
      ...q,
      by: rank.by,
      minTrades: rank.minTrades,
      order: rank.ascending ? "asc" : "desc",
    };
    return this.source.read((conn) => rowsPage(conn, jobId, query));
  }

  async importance(
    jobId: string,
    q: { stat?: string; minTrades?: number; all?: boolean },
  ): Promise<ImportanceReport | null> {
    const job = await this.job(jobId);
    if (!job) return null;
    const stat = q.stat ?? job.rank.by;
    const minTrades = q.minTrades ?? job.rank.minTrades;
    return this.source.read((conn) =>
      paramImportance(conn, jobId, job.grid, {
        stat,
        minTrades,
        smallerIsBetter: bestAscending(stat),
        all: q.all,
      }),
    );
  }

  async rowsExport(
    jobId: string,
    q: Omit<RowsAsk, "limit" | "offset">,
    format: ExportFormat,
  ): Promise<ExportFile | null> {
    const job = await this.job(jobId);
    if (!job) return null;
    const rank = jobRanking(job.spec, { by: q.by, minTrades: q.minTrades, order: q.order });
    const query = {
      ...q,
      by: rank.by,
      minTrades: rank.minTrades,
      order: rank.ascending ? "asc" : "desc",
    } as const;
    // DuckDB writes the file itself, on this file's connection (queued like every read)
    return exportFile(format, `rows-${jobId}`, (path) =>
      this.source.read((conn) => copyRankedRows(conn, jobId, query, format, path)),
    );
  }

  async comboExport(jobId: string, comboId: number, table: ComboTable): Promise<ExportTable | null> {
    const job = await this.job(jobId);
    if (!job) return null;
    job.plan ??= jobPlan(job.spec);
    checkCombo({ plan: job.plan }, comboId);
    const data = await this.jobData(jobId, job.spec, job.plan);
    const report = comboReport(data, comboId, null, Number.POSITIVE_INFINITY);
    if (table === "trades") {
      const names = TRADE_CSV_COLUMNS; // as `pairgrid backtest --trades`
      return {
        columns: names.map((name) => ({ name, type: TRADE_TYPES[name] })),
        rows: report.trades.map((t) => names.map((n) => (t as Record<string, unknown>)[n])),
      };
    }
    const { ts, equity, drawdown } = report.equity;
    return {
      columns: [
        { name: "ts", type: "BIGINT" },
        { name: "time", type: "VARCHAR" },
        { name: "equity", type: "DOUBLE" },
        { name: "drawdown", type: "DOUBLE" },
      ],
      rows: ts.map((t, i) => [t, new Date(t).toISOString(), equity[i], drawdown[i]]),
    };
  }

  async combo(jobId: string, comboId: number): Promise<ComboView | null> {
    const job = await this.job(jobId);
    const record = await this.source.getJob(jobId);
    if (!job || !record) return null;
    job.plan ??= jobPlan(job.spec);
    // an id the grid never runs is refused before any data is loaded
    checkCombo({ plan: job.plan }, comboId);
    const stored = await this.source.read((conn) => storedRow(conn, jobId, comboId));
    const data = await this.jobData(jobId, job.spec, job.plan);
    const report = comboReport(data, comboId, stored);
    return { ...report, command: replayCommand(record.spec_path, job.grid, report.params) };
  }

  private async job(jobId: string): Promise<JobEntry | null> {
    const cached = this.specs.get(jobId);
    if (cached) return cached;
    const record = await this.source.getJob(jobId);
    if (!record) return null;
    const spec = jobSpec(record.spec, jobId);
    const entry: JobEntry = {
      spec,
      rank: jobRanking(spec),
      grid: jobGrid(spec),
      origin: synthOrigin(spec)?.label ?? null,
      plan: null,
    };
    this.specs.set(jobId, entry);
    return entry;
  }

  /** The job's data, loaded once for concurrent requests; a failed load is not kept. */
  private jobData(jobId: string, spec: GridSpec, plan: GridPlan): Promise<JobData> {
    let loading = this.data.get(jobId);
    if (!loading) {
      loading = loadJobData(spec, jobId, plan);
      this.data.set(jobId, loading);
      loading.catch(() => {
        if (this.data.peek(jobId) === loading) this.data.delete(jobId);
      });
    }
    return loading;
  }
}
