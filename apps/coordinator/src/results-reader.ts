// What the dashboard's analysis routes read, as one interface (the routes stay thin wiring), and
// its implementation over a results file: SQL in @pairgrid/resultsdb, on-demand engine runs of one
// combination with the job's data kept for the last two jobs looked at. The coordinator and
// `pairgrid serve` share it.
import { type GridPlan, type GridSpec, synthOrigin } from "@pairgrid/engine";
import {
  type AxisValues,
  checkCombo,
  type ComboReport,
  comboReport,
  countRows,
  GRID_STATS,
  type Heatmap,
  type HeatmapQuery,
  heatmap,
  type JobData,
  type JobGrid,
  jobGrid,
  jobPlan,
  jobSpec,
  loadJobData,
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
}

/**
 * Every method answers null when there is no such job. Bad names or values throw InputError (with
 * the query field as path); `combo` also throws UnknownComboError and DataUnavailableError.
 */
export interface ResultsReader {
  grid(jobId: string): Promise<GridView | null>;
  heatmap(jobId: string, q: HeatmapQuery): Promise<Heatmap | null>;
  rows(jobId: string, q: RowsQuery): Promise<RowsPage | null>;
  /** Runs the reference engine (and the hybrid comparison, with fast data) on one combination. */
  combo(jobId: string, comboId: number): Promise<ComboReport | null>;
}

/** What the reader uses of a results file: job records, and its connection for the queries. */
export type ResultsSource = Pick<ResultsDb, "getJob" | "read">;

interface JobEntry {
  spec: GridSpec;
  grid: JobGrid;
  /** GridView.data_origin, looked up once per job. */
  origin: string | null;
  /** Built on the first combination page (ids → parameter values). */
  plan: GridPlan | null;
}

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
    return { job_id: jobId, ...job.grid, stats: [...GRID_STATS], n_rows: n, data_origin: job.origin };
  }

  async heatmap(jobId: string, q: HeatmapQuery): Promise<Heatmap | null> {
    const job = await this.job(jobId);
    if (!job) return null;
    return this.source.read((conn) => heatmap(conn, jobId, job.grid, q));
  }

  async rows(jobId: string, q: RowsQuery): Promise<RowsPage | null> {
    if (!(await this.source.getJob(jobId))) return null;
    return this.source.read((conn) => rowsPage(conn, jobId, q));
  }

  async combo(jobId: string, comboId: number): Promise<ComboReport | null> {
    const job = await this.job(jobId);
    if (!job) return null;
    job.plan ??= jobPlan(job.spec);
    // an id the grid never runs is refused before any data is loaded
    checkCombo({ plan: job.plan }, comboId);
    const stored = await this.source.read((conn) => storedRow(conn, jobId, comboId));
    const data = await this.jobData(jobId, job.spec, job.plan);
    return comboReport(data, comboId, stored);
  }

  private async job(jobId: string): Promise<JobEntry | null> {
    const cached = this.specs.get(jobId);
    if (cached) return cached;
    const record = await this.source.getJob(jobId);
    if (!record) return null;
    const spec = jobSpec(record.spec, jobId);
    const entry: JobEntry = {
      spec,
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
