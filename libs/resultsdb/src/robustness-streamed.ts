// The robustness report (robustness-report.ts) in memory independent of the job's size: the fold
// matrix is streamed in blocks (fold-block-source.ts) through the engine's streamed CSCV and
// walk-forward (exact: see pbo-streamed.ts), and everything that concerns a few rows — the top
// ranking, their DSR, their twins, their grid neighbours' statistics — is asked of DuckDB for
// those rows only. The answer is the one robustnessOf gives over the whole job read into memory
// (robustness-streamed.test.ts checks that, number for number).
import { type DuckDBConnection, VARCHAR } from "@duckdb/node-api";
import {
  checkCscvGroups,
  checkWalkForwardWindow,
  CscvStream,
  defaultCscvGroups,
  defaultWalkForwardWindow,
  type FoldBlock,
  type FoldStatistic,
  PARAM_NAMES,
  RobustnessPool,
  WalkForwardStream,
} from "@pairgrid/engine";
import { availableParallelism } from "node:os";
import { foldBlockSource, foldShape, foldTradesOf } from "./fold-block-source.js";
import {
  type ParamValues,
  pboReport,
  type RankedRow,
  type RobustnessQuery,
  type RobustnessReport,
  walkReport,
  type WalkForwardReport,
} from "./robustness-json.js";
import { type FoldLayout, ident } from "./schema.js";

const orNull = (v: number) => (Number.isFinite(v) ? v : null);
const toNumber = (v: unknown) => (v === null || v === undefined ? Number.NaN : Number(v));
/** A double as SQL that parses back to exactly the same double (shortest round-trip form). */
const doubleSql = (v: number) => (Number.isNaN(v) ? "NULL::DOUBLE" : `'${String(v)}'::DOUBLE`);

interface Axis {
  /** Index in PARAM_NAMES. */
  j: number;
  name: string;
  /** Sorted distinct non-null values. */
  levels: Float64Array;
}

/** Parameters taking more than one value over the rows (null counting as one), as grid-neighbours.ts. */
async function varyingAxes(conn: DuckDBConnection, jobId: string): Promise<Axis[]> {
  const cols = PARAM_NAMES.map(
    (p) =>
      `list(DISTINCT ${ident(p)}::DOUBLE) FILTER (WHERE ${ident(p)} IS NOT NULL), bool_or(${ident(p)} IS NULL)`,
  ).join(", ");
  const row = (
    await conn.runAndReadAll(`SELECT ${cols} FROM results WHERE job_id = $1`, [jobId], [VARCHAR])
  ).getRowsJS()[0]!;
  const axes: Axis[] = [];
  PARAM_NAMES.forEach((name, j) => {
    const values = ((row[2 * j] as number[] | null) ?? []).map(Number);
    const hasNull = row[2 * j + 1] === true;
    if (values.length + (hasNull ? 1 : 0) > 1)
      axes.push({ j, name, levels: Float64Array.from(values).sort() });
  });
  return axes;
}

interface RowFacts {
  value: number;
  sharpe: number;
  dsr: number;
  totalPnl: number;
  nTrades: number;
  params: Float64Array;
}

/** The statistic, results columns and parameter values of the given rows, by combo id. */
async function rowFacts(
  conn: DuckDBConnection,
  jobId: string,
  by: FoldStatistic,
  ids: readonly number[],
): Promise<Map<number, RowFacts>> {
  const out = new Map<number, RowFacts>();
  if (ids.length === 0) return out;
  const reader = await conn.runAndReadAll(
    `SELECT combo_id::DOUBLE, ${ident(by)}::DOUBLE, sharpe, dsr, total_pnl, n_trades::DOUBLE, ` +
      `${PARAM_NAMES.map((p) => `${ident(p)}::DOUBLE`).join(", ")} ` +
      `FROM results WHERE job_id = $1 AND combo_id IN (${[...new Set(ids)].join(", ")})`,
    [jobId],
    [VARCHAR],
  );
  for (const r of reader.getRowsJS()) {
    out.set(Number(r[0]), {
      value: toNumber(r[1]),
      sharpe: toNumber(r[2]),
      dsr: toNumber(r[3]),
      totalPnl: toNumber(r[4]),
      nTrades: toNumber(r[5]),
      params: Float64Array.from(r.slice(6), toNumber),
    });
  }
  return out;
}

/**
 * The first `limit` rows by the full-sample statistic, each twin group once (same_as NULL), as
 * rankRows over the first rows: largest first, NULL after every number, ties by combo_id.
 */
async function topIds(
  conn: DuckDBConnection,
  jobId: string,
  by: FoldStatistic,
  limit: number,
  hasSameAs: boolean,
): Promise<number[]> {
  const reader = await conn.runAndReadAll(
    `SELECT combo_id::DOUBLE FROM results WHERE job_id = $1${hasSameAs ? " AND same_as IS NULL" : ""} ` +
      `ORDER BY ${ident(by)} DESC NULLS LAST, combo_id ASC LIMIT ${limit}`,
    [jobId],
    [VARCHAR],
  );
  return reader.getRowsJS().map((r) => Number(r[0]));
}

/** How many rows point at each of the given combo ids (same_as): "+N identical". */
async function twinCounts(conn: DuckDBConnection, jobId: string, ids: readonly number[]) {
  const out = new Map<number, number>();
  if (ids.length === 0) return out;
  const reader = await conn.runAndReadAll(
    `SELECT same_as::DOUBLE, count(*)::DOUBLE FROM results WHERE job_id = $1 AND same_as IN (${ids.join(", ")}) GROUP BY 1`,
    [jobId],
    [VARCHAR],
  );
  for (const r of reader.getRowsJS()) out.set(Number(r[0]), Number(r[1]));
  return out;
}

/**
 * Stability of the given rows (engine stability.ts): the median of their grid neighbours'
 * statistic (NULL as 0) minus their own. A neighbour is one level up or down one varying axis,
 * every other axis equal; the level order is that of the values over the job's rows, and a
 * neighbour is the lowest combo_id with those parameters (gridNeighbours' first row of a key).
 * One join of DuckDB over the job against the few probe points.
 */
async function stabilityOf(
  conn: DuckDBConnection,
  jobId: string,
  by: FoldStatistic,
  axes: readonly Axis[],
  rows: readonly { id: number; facts: RowFacts }[],
): Promise<Map<number, { stability: number; nNeighbours: number }>> {
  const probes: { owner: number; params: number[] }[] = [];
  for (const { id, facts } of rows) {
    const own = axes.map((a) => facts.params[a.j]!);
    axes.forEach((a, k) => {
      const v = own[k]!;
      if (Number.isNaN(v)) return; // null is nobody's neighbour along its own axis
      const i = a.levels.indexOf(v);
      for (const step of [i - 1, i + 1]) {
        if (step < 0 || step >= a.levels.length) continue;
        const p = own.slice();
        p[k] = a.levels[step]!;
        probes.push({ owner: id, params: p });
      }
    });
  }
  const out = new Map<number, { stability: number; nNeighbours: number }>();
  const found = new Map<number, number>(); // probe → neighbour combo id
  if (probes.length > 0) {
    const values = probes.map((p, k) => `(${k}, ${p.params.map(doubleSql).join(", ")})`).join(", ");
    const names = axes.map((_, k) => `x${k}`);
    const on = axes.map((a, k) => `r.${ident(a.name)}::DOUBLE IS NOT DISTINCT FROM p.x${k}`).join(" AND ");
    const reader = await conn.runAndReadAll(
      `SELECT p.k, min(r.combo_id)::DOUBLE FROM (SELECT * FROM results WHERE job_id = $1) r ` +
        `JOIN (VALUES ${values}) p(k, ${names.join(", ")}) ON ${on} GROUP BY p.k`,
      [jobId],
      [VARCHAR],
    );
    for (const r of reader.getRowsJS()) found.set(Number(r[0]), Number(r[1]));
  }
  const neighbourFacts = await rowFacts(conn, jobId, by, [...found.values()]);
  const byOwner = new Map<number, number[]>();
  probes.forEach((p, k) => {
    const id = found.get(k);
    if (id === undefined) return;
    const v = neighbourFacts.get(id)!.value;
    const list = byOwner.get(p.owner) ?? [];
    list.push(Number.isNaN(v) ? 0 : v);
    byOwner.set(p.owner, list);
  });
  for (const { id, facts } of rows) {
    const list = byOwner.get(id) ?? [];
    const sorted = Float64Array.from(list).sort();
    const n = sorted.length;
    const mid = n >>> 1;
    const median = n === 0 ? Number.NaN : n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    out.set(id, { stability: median - facts.value, nNeighbours: n });
  }
  return out;
}

export interface StreamedOptions {
  /** Worker threads for the per-row work; 0 = this thread. Default: defaultWorkers(rows). */
  workers?: number;
  /**
   * Called after each block read: `done` rows of `total`, where every pass over the job's rows
   * counts (2 × rows with CSCV, 1 × with walk-forward alone). At 25 M rows a pass takes about
   * half a minute, so a user wants to see it move.
   */
  onProgress?: (done: number, total: number) => void;
}

/** Below this many rows the work takes less than starting workers does. */
const POOL_MIN_ROWS = 200_000;

/** One worker per core (the cores DuckDB's scan leaves idle are the ones they use), at most 4. */
export function defaultWorkers(nRows: number): number {
  return nRows < POOL_MIN_ROWS ? 0 : Math.min(4, Math.max(1, availableParallelism()));
}

/**
 * How far DuckDB may read ahead of a streamed pass (its `streaming_buffer_size`, per connection;
 * default 976 KiB, about one 2048-row block of four fold lists). With so little room its scan
 * threads wait for each fetch, and the two passes over W7's 25 M rows read in 16.6–18.8 s alone;
 * with 64 MB the scan runs ahead on the idle core and the whole report took 26.4–27.9 s against
 * 28.5–29.4 s (−2.5 CPU-s; peak RSS +130 MB, 1.43 GB). 128 MB gained no more.
 */
const STREAM_READ_AHEAD = "64MB";

/**
 * The report of an existing job, read with `conn` (the caller serialises access to it; its
 * streaming_buffer_size is STREAM_READ_AHEAD while the report is read, then DuckDB's default).
 */
export async function robustnessStreamed(
  conn: DuckDBConnection,
  jobId: string,
  layout: FoldLayout,
  hasSameAs: boolean,
  q: RobustnessQuery & { by: FoldStatistic; limit: number },
  opts: StreamedOptions = {},
): Promise<RobustnessReport> {
  await conn.run(`SET streaming_buffer_size = '${STREAM_READ_AHEAD}'`);
  try {
    return await streamedReport(conn, jobId, layout, hasSameAs, q, opts);
  } finally {
    await conn.run("RESET streaming_buffer_size").catch(() => undefined);
  }
}

async function streamedReport(
  conn: DuckDBConnection,
  jobId: string,
  layout: FoldLayout,
  hasSameAs: boolean,
  q: RobustnessQuery & { by: FoldStatistic; limit: number },
  opts: StreamedOptions,
): Promise<RobustnessReport> {
  const { by, limit } = q;
  // PBO and walk-forward rank results, not rows: a group of twins (same_as) counts once, by its
  // first row (INTERFACE.md); its other rows are not read at all
  const shape = await foldShape(conn, jobId, layout, hasSameAs);
  const F = shape.nFolds;
  const N = shape.nRows;
  if (q.splits !== undefined) checkCscvGroups(q.splits, F);
  if (q.window !== undefined) checkWalkForwardWindow(q.window, F);
  const axes = await varyingAxes(conn, jobId);
  const source = foldBlockSource(conn, jobId, layout, shape);

  // pass 1 serves CSCV's in-sample winners and walk-forward's choices; pass 2 ranks the winners
  const cscvOpts = { by, groups: q.splits ?? defaultCscvGroups(F) };
  const cscv = F >= 2 && N >= 2 ? new CscvStream(N, F, cscvOpts) : null;
  const window = F >= 2 ? (q.window ?? defaultWalkForwardWindow(F)) : 0;
  const wfOpts = { by, modes: ["anchored", "rolling"] as const, window };
  const wf = F >= 2 ? new WalkForwardStream(F, wfOpts) : null;
  const nWorkers = opts.workers ?? defaultWorkers(N);
  const total = (cscv ? 2 : wf ? 1 : 0) * N;
  let done = 0;
  const counted =
    (visit: (b: FoldBlock) => void | Promise<void>) =>
    async (b: FoldBlock): Promise<void> => {
      await visit(b);
      done += b.m.nRows;
      opts.onProgress?.(done, total);
    };
  // no pass reads every row's trade counts: only walk-forward's chosen rows' reach the report,
  // and they are read afterwards (a fifth less to read and copy in pass 1)
  const rowsOnly = { trades: false };
  if ((cscv || wf) && nWorkers > 0) {
    // the per-row work on worker threads, this thread only reading (robustness-pool.ts)
    const pool = new RobustnessPool(
      { nRows: N, nFolds: F, cscv: cscv ? cscvOpts : null, walkForward: wf ? wfOpts : null },
      nWorkers,
    );
    try {
      await source(
        counted((b) => pool.visit(1, b, false)),
        rowsOnly,
      );
      await pool.finishPass1(cscv, wf);
      if (cscv) {
        await source(
          counted((b) => pool.visit(2, b, false)),
          rowsOnly,
        );
        await pool.finishPass2(cscv);
      }
    } finally {
      await pool.close();
    }
  } else if (cscv || wf) {
    await source(
      counted((b) => {
        cscv?.pass1(b);
        wf?.visit(b);
      }),
      rowsOnly,
    );
    if (cscv)
      await source(
        counted((b) => cscv.pass2(b)),
        rowsOnly,
      );
  }
  if (wf) {
    const chosen = wf.bests().flatMap((b) => (b.best.id >= 0 ? [b.best.id] : []));
    wf.fillTrades(await foldTradesOf(conn, jobId, layout, F, chosen));
  }
  const pbo = cscv?.result() ?? null;
  const walk = wf?.result() ?? null;

  const top = await topIds(conn, jobId, by, limit, hasSameAs);
  const chosen = walk ? Array.from(walk.keptIds) : [];
  const facts = await rowFacts(conn, jobId, by, [...top, ...chosen]);
  const paramsOf = (id: number): ParamValues =>
    Object.fromEntries(axes.map((a) => [a.name, orNull(facts.get(id)!.params[a.j]!)]));
  const stab = await stabilityOf(
    conn,
    jobId,
    by,
    axes,
    top.map((id) => ({ id, facts: facts.get(id)! })),
  );
  const twins = hasSameAs ? await twinCounts(conn, jobId, top) : new Map<number, number>();

  const ranked: RankedRow[] = top.map((id, i) => {
    const f = facts.get(id)!;
    const s = stab.get(id)!;
    return {
      rank: i + 1,
      combo_id: id,
      params: paramsOf(id),
      sharpe: orNull(f.sharpe),
      dsr: orNull(f.dsr),
      stability: orNull(s.stability),
      n_neighbours: s.nNeighbours,
      total_pnl: orNull(f.totalPnl),
      n_trades: orNull(f.nTrades),
      n_identical: twins.get(id) ?? 0,
    };
  });

  let walkForward: RobustnessReport["walk_forward"] = null;
  if (walk) {
    const kept = { comboIds: walk.keptIds, folds: walk.kept };
    const [anchored, rolling] = walk.results.map((r) =>
      walkReport(r, kept, (row) => paramsOf(walk.keptIds[row]!)),
    ) as [WalkForwardReport, WalkForwardReport];
    walkForward = { window, anchored, rolling };
  }
  return {
    job_id: jobId,
    by,
    n_combos: shape.nAllRows,
    n_distinct: N,
    n_folds: F,
    params: axes.map((a) => a.name),
    pbo: pbo ? pboReport(pbo) : null,
    walk_forward: walkForward,
    top: ranked,
  };
}
